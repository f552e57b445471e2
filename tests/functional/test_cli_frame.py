"""The CLI frame: help, version, and one-line exit-2 errors for bad input."""

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.functional.conftest import assert_one_line_error
from tutor.cli import build_parser


def test_help_and_version() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0 and "study" in proc.stdout
    assert run_cli("--version").stdout.startswith("tutor ")


@pytest.mark.parametrize("command", sorted(build_parser().command_names))
def test_every_command_has_help(command: str) -> None:
    proc = run_cli(command, "--help")
    assert proc.returncode == 0
    assert "usage: tutor " + command in proc.stdout


def test_unknown_option_is_one_line() -> None:
    assert_one_line_error(run_cli("study", "--bogus"), "unrecognized arguments")


def test_bad_config_exits_2_naming_file_and_line(isolated_home: Path) -> None:
    config = isolated_home / "config" / "config.toml"
    config.write_text("[model]\ngpu_layers = = 3\n", encoding="utf-8")
    assert_one_line_error(run_cli("study"), str(config), "line 2")


def test_missing_model_exits_2(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("study", "--model", str(tmp_path / "none.gguf")),
                          "model file not found")


def test_broken_model_file_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"this is not a model")
    assert_one_line_error(run_cli("study", "--model", str(broken)), "not a GGUF model file")


def test_unreadable_deck_exits_2(tmp_path: Path) -> None:
    binary = tmp_path / "x.deck"
    binary.write_bytes(b"\x00\x01\x02binary")
    assert_one_line_error(run_cli("study", str(binary)), "binary")
    assert_one_line_error(run_cli("study", str(tmp_path / "missing.deck")), "no such deck file")
    assert_one_line_error(run_cli("study", "nosuchname"), "no deck named 'nosuchname'")


def test_bad_profile_name_exits_2() -> None:
    assert_one_line_error(run_cli("study", "--profile", "../evil"), "invalid profile name")
