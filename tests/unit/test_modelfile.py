"""Locating a model the settings name, and refusing bad model files clearly."""

from pathlib import Path

import pytest

from tests.conftest import default_model_path
from tutor.errors import ModelError
from tutor.grading.modelfile import check_model_file, resolve_model_path
from tutor.settings import Settings


def test_no_path_and_no_models_folder_file_means_the_default_model(tmp_path: Path, monkeypatch) -> None:
    from tutor.grading import modelfile

    monkeypatch.setattr(modelfile, "BUNDLED_MODELS", tmp_path / "models")  # a clone's own models/
    assert resolve_model_path(Settings()) is None


def test_the_default_model_passes_the_file_check() -> None:
    path = default_model_path()
    assert check_model_file(path) == path


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


def test_a_failed_load_is_tried_once_and_then_fails_at_once_with_the_same_line(tmp_path: Path) -> None:
    """`LoadOnce`: a broken model is not read again on every grade (the judge and the
    generating grader share it)."""
    from tutor.grading.judge import LlamaJudge
    from tutor.grading.llamacpp import LlamaCppGrader
    from tutor.grading.modelfile import LoadOnce

    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise ValueError("Failed to load model\nsecond line")

    load = LoadOnce(tmp_path / "m.gguf")
    for _ in range(3):
        with pytest.raises(ModelError) as caught:
            load.attempt(broken)
        assert str(caught.value) == "cannot load model m.gguf: Failed to load model"
    assert calls == [1]
    assert LoadOnce(tmp_path / "m.gguf").attempt(lambda: 42) == 42

    corrupt = tmp_path / "corrupt.gguf"
    corrupt.write_bytes(b"GGUF" + b"\x00" * 64)
    for model in (LlamaJudge(corrupt, threads=1), LlamaCppGrader(corrupt, threads=1)):
        first = pytest.raises(ModelError, model.load).value
        again = pytest.raises(ModelError, model.load).value
        assert str(first) == str(again) and str(first).startswith("cannot load model corrupt.gguf")
        assert not model.loaded
