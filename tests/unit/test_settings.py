"""Settings: defaults, file values, overrides, and one-line errors for bad files."""

from pathlib import Path

import pytest

from tutor.errors import ConfigError
from tutor.settings import ModelSettings, Settings, config_file, load_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml")
    assert settings == Settings()
    assert settings.study.intervals == (1, 2, 4, 8, 16)


def test_values_from_file(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'profile = "ana"\n[model]\ngpu_layers = 12\ntimeout = 3\n'
                 "[study]\nintervals = [1, 3, 9]\n")
    settings = load_settings(path)
    assert settings.profile == "ana"
    assert settings.model.gpu_layers == 12
    assert settings.model.timeout == 3.0
    assert settings.study.intervals == (1, 3, 9)
    assert settings.config_path == str(path)


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'profile = "a"\n[model\ngpu_layers = 1\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    message = str(err.value)
    assert str(path) in message and "line 2" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('profile = "a"\ncolour = "red"\n', 2, "unknown setting 'colour'"),
        ('[model]\n\ngpu_layers = "many"\n', 3, "model.gpu_layers must be a whole number"),
        ('[study]\nintervals = "daily"\n', 2, "study.intervals must be a list"),
        ('model = 3\n', 1, "'model' must be a table"),
        ('[model]\ntimeout = -1\n', 2, "at most 3600, not -1 in"),  # as written, not -1.0
        ('[model]\ntimeout = 7200.5\n', 2, "at most 3600, not 7200.5 in"),
    ],
)
def test_bad_values_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert words in str(err.value)
    assert f"line {line}" in str(err.value)


def test_environment_points_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_CONFIG", str(tmp_path / "x.toml"))
    assert config_file() == tmp_path / "x.toml"
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "data"))
    assert Settings().data_path == tmp_path / "data"
    assert Settings(profile="bo").profile_path == tmp_path / "data" / "profiles" / "bo"


def test_overrides_ignore_none() -> None:
    settings = Settings().with_model(gpu_layers=None, threads=3)
    assert settings.model.gpu_layers == 0 and settings.model.threads == 3


@pytest.mark.parametrize("value", ["true", "false", "1"])
def test_an_old_probe_setting_is_ignored_and_a_typo_is_not(tmp_path: Path, value: str) -> None:
    """``[model] probe`` chose a grader that has been removed: an old file still loads."""
    settings = load_settings(write(tmp_path / "c.toml", f"[model]\nprobe = {value}\ntimeout = 3\n"))
    assert settings.model == ModelSettings(timeout=3.0)
    with pytest.raises(ConfigError, match="unknown setting 'model.probes'"):
        load_settings(write(tmp_path / "d.toml", "[model]\nprobes = true\n"))


@pytest.mark.default_model  # builds the default grader (nothing is loaded)
def test_an_old_probe_setting_leaves_the_default_and_model_flags(tmp_path: Path) -> None:
    import os

    from tests.conftest import default_model_path
    from tutor.cli import build_parser, settings_for
    from tutor.grading.factory import build_grader
    from tutor.grading.modelpack import MODEL_FILE

    Path(os.environ["TUTOR_CONFIG"]).write_text("[model]\nprobe = true\n", encoding="utf-8")
    default = build_grader(settings_for(build_parser().parse_args(["grade"])))
    assert default.refiners[0].name == f"llm:{MODEL_FILE.removesuffix('.gguf')}"
    named = tmp_path / "qwen-coder.gguf"
    named.symlink_to(default_model_path())
    settings = settings_for(build_parser().parse_args(["grade", "--model", str(named)]))
    assert build_grader(settings).refiners[0].name == "llm:qwen-coder"
