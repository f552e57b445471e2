"""The judge's prompt prefix (system prompt and worked examples, ~850 tokens) kept as a saved
llama.cpp state in the user's cache, so a start loads it (~25 MB) instead of evaluating it
again (~13 s on 2 cores).

One file per model file, ``<cache>/states/<model stem>.kv``:

    TUTORKV1\\n
    {"key": ..., "tokens": N, "size": S, "sha256": ...}\\n
    S bytes of ``llama_state_get_data``

``key`` names everything the state depends on (the model file's path, size and mtime, the
prefix's tokens, llama-cpp-python's version, the context size and GPU layers), so a new
prompt, model or library is simply evaluated again and the file replaced. The bytes are
checked against ``sha256`` before llama.cpp sees them: a damaged or foreign file is never
loaded, only evaluated over. Every failure here is logged and ignored (the prefix is then
evaluated as before); nothing here can stop grading.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tutor.atomic import atomic_write_bytes
from tutor.fileread import UnreadableFile, read_limited

MAGIC = b"TUTORKV1\n"
#: A state larger than this is not read (the prefix's state is ~25 MB).
MAX_STATE_BYTES = 256 * 1024 * 1024
_HEADER_LIMIT = 4096

log = logging.getLogger(__name__)


def state_key(model_path: Path, tokens: Sequence[int], *, context: int, gpu_layers: int) -> str:
    """What the saved state depends on, hashed."""
    import llama_cpp

    stat = model_path.stat()
    described = json.dumps({
        "format": 1, "model": str(model_path.resolve()), "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns, "llama_cpp": llama_cpp.__version__,
        "context": context, "gpu_layers": gpu_layers, "tokens": list(tokens),
    }, sort_keys=True)
    return hashlib.sha256(described.encode()).hexdigest()


def state_file(folder: Path, model_path: Path) -> Path:
    """Where the prefix's state for ``model_path`` is kept."""
    return folder / f"{model_path.stem}.kv"


def load_prefix(llm: Any, path: Path, key: str, tokens: Sequence[int]) -> bool:
    """Put the saved prefix ``tokens`` into ``llm``'s (reset) cache. True when it did; False
    (logged) when there is no usable file, and ``llm`` is left reset."""
    try:
        state = read_state(path, key, len(tokens))
        if state is None:
            return False
        import ctypes

        import llama_cpp

        buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
        if llama_cpp.llama_state_set_data(llm.ctx, buffer, len(state)) != len(state):
            raise RuntimeError("llama.cpp did not take the saved state")
        llm.input_ids[:len(tokens)] = tokens
        llm.n_tokens = len(tokens)
        return True
    except (OSError, ValueError, RuntimeError, UnreadableFile) as exc:
        log.warning("the saved prompt state %s was not used: %s", path, exc)
        llm.reset()
        return False


def save_prefix(llm: Any, path: Path, key: str) -> None:
    """Save ``llm``'s cache (the prefix just evaluated) to ``path``. Failures are logged."""
    try:
        data = _state_bytes(llm)
        header = {"key": key, "tokens": llm.n_tokens, "size": len(data),
                  "sha256": hashlib.sha256(data).hexdigest()}
        atomic_write_bytes(path, MAGIC + json.dumps(header).encode() + b"\n" + data)
    except (OSError, ValueError, RuntimeError) as exc:
        log.warning("the prompt state was not saved to %s: %s", path, exc)


def _state_bytes(llm: Any) -> bytes:
    """llama.cpp's state of ``llm``'s context (its KV cache), read straight from the context:
    ``Llama.save_state`` also copies the logits buffer (n_batch x vocabulary floats, 311 MB
    for Qwen2.5), which would raise the first run's peak memory past the 1.6 GB target."""
    import ctypes

    import llama_cpp

    size = llama_cpp.llama_state_get_size(llm.ctx)
    buffer = (ctypes.c_uint8 * size)()
    written = llama_cpp.llama_state_get_data(llm.ctx, buffer, size)
    if written > size:
        raise RuntimeError("llama.cpp wrote more state than it announced")
    return ctypes.string_at(buffer, written)


def read_state(path: Path, key: str, tokens: int) -> bytes | None:
    """The state bytes in ``path`` if it is intact and made for ``key``; else None."""
    if not path.is_file():
        return None
    raw = read_limited(path, MAX_STATE_BYTES + _HEADER_LIMIT, "prompt state")
    if not raw.startswith(MAGIC):
        raise ValueError("not a tutor state file")
    end = raw.find(b"\n", len(MAGIC), len(MAGIC) + _HEADER_LIMIT)
    if end < 0:
        raise ValueError("no header")
    header = json.loads(raw[len(MAGIC):end])
    if not isinstance(header, dict) or header.get("key") != key or header.get("tokens") != tokens:
        log.info("the saved prompt state %s is for another model or prompt", path)
        return None
    data = raw[end + 1:]
    if len(data) != header.get("size") or hashlib.sha256(data).hexdigest() != header.get("sha256"):
        raise ValueError("damaged (size or checksum)")
    return data
