"""The labelled data the graders are fitted and measured on: corpus splits and the dev set.

* ``train`` / ``validation``: the team's corpus (`training/corpus.jsonl`), split by subject
  (`training/splits/`: validation holds whole subjects, so it measures other subjects);
* ``dev``: ``../shared/eval/grading_dev.jsonl``, for reporting only (never for choosing).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "training" / "corpus.jsonl"
SPLITS = ROOT / "training" / "splits"
DEV_SET = ROOT.parent / "shared" / "eval" / "grading_dev.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    """One JSON object per non-empty line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def datasets() -> dict[str, list[dict]]:
    """train / validation (corpus split by held-out subjects) and dev."""
    corpus = {item["id"]: item for item in read_jsonl(CORPUS)}
    out = {}
    for split in ("train", "validation"):
        ids = [line.strip() for line in (SPLITS / f"{split}.txt").read_text().splitlines() if line.strip()]
        out[split] = [corpus[i] for i in ids]
    if not DEV_SET.is_file():
        raise SystemExit(f"training: the dev set {DEV_SET} is missing "
                         "(it comes from ../shared/eval/, next to the repo)")
    out["dev"] = read_jsonl(DEV_SET)
    return out


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
