"""Locating the default model offline, and refusing bad model files clearly."""

from pathlib import Path

import pytest

from tutor.errors import ModelError
from tutor.grading.modelfile import (
    check_model_file,
    resolve_model_path,
    shipped_model_path,
)
from tutor.settings import Settings


def test_shipped_model_is_found_without_network() -> None:
    path = shipped_model_path()
    assert path is not None and path.name.endswith(".gguf")
    assert check_model_file(path) == path


def test_shipped_model_found_in_its_package_folder_and_through_the_wheel_record(
        monkeypatch) -> None:
    from tutor.grading import modelfile

    fast = shipped_model_path()
    assert fast is not None and fast.parent.name == modelfile.DEFAULT_MODEL_PACKAGE
    # A wheel laid out some other way: the distribution's file list still finds it.
    monkeypatch.setattr(modelfile, "DEFAULT_MODEL_PACKAGE", "no_such_package_here")
    assert shipped_model_path() == fast
    monkeypatch.setattr(modelfile, "DEFAULT_MODEL_DISTRIBUTION", "no-such-distribution")
    assert shipped_model_path() is None


def test_explicit_path_and_models_folder_override(tmp_path: Path, monkeypatch) -> None:
    assert resolve_model_path(Settings().with_model(path=str(tmp_path / "m.gguf"))) == tmp_path / "m.gguf"
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    (data / "models" / "big.gguf").write_bytes(b"GGUF....")
    monkeypatch.setenv("TUTOR_DATA_DIR", str(data))
    assert resolve_model_path(Settings()) == data / "models" / "big.gguf"


@pytest.mark.parametrize(("content", "words"), [(None, "not found"), (b"nope", "not a GGUF")])
def test_bad_model_files(tmp_path: Path, content: bytes | None, words: str) -> None:
    path = tmp_path / "m.gguf"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelError, match=words):
        check_model_file(path)


def test_shipped_model_loads_in_llama_cpp() -> None:
    from llama_cpp import Llama

    path = shipped_model_path()
    llm = Llama(model_path=str(path), n_ctx=256, n_threads=2, verbose=False)
    tokens = llm.tokenize(b"What is the capital of France?")
    assert len(tokens) > 3


def test_no_model_named_means_the_default_model(tmp_path: Path, monkeypatch) -> None:
    """Neither a path nor a models/*.gguf: None, and the default model pack grades."""
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "empty"))
    assert resolve_model_path(Settings()) is None
