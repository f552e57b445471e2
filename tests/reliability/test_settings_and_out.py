"""Issue 16, items 8 (config half), 11 and 16: the settings file is read bounded and every
value range-checked at load; the scheduler cannot overflow a date; every ``--out``/``-o``
refuses what is not a regular file and a missing folder, and writes through a symlink.

Device targets are a character device made in ``tmp_path`` with /dev/null's numbers
(we run as root in CI, where a regression would otherwise replace the real /dev/null);
without root, /dev/null itself is used, which a non-root process cannot replace.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tutor.atomic import OutputError, check_out_target, write_out
from tutor.cli import main
from tutor.errors import ConfigError
from tutor.schedule.leitner import LeitnerScheduler
from tutor.settings import KNOWN_THEMES, MAX_INTERVAL_DAYS, load_settings

#: A quick command's time limit: a hang fails the test instead of stalling the suite.
QUICK = 30

DECK = """\
title: Tiny

---
id: tiny0001
topic: t
Q: What is two plus two?
A: four
---
id: tiny0002
topic: t
Q: Capital of France?
A: Paris
"""


def config(text: str) -> Path:
    path = Path(os.environ["TUTOR_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# --------------------------------------------------------------- item 11: setting ranges

BAD_SETTINGS = [
    ("[study]\nintervals = [1, 3000000]\n", "study.intervals"),
    ("[study]\nintervals = [1, 36501]\n", "study.intervals"),
    ("[study]\nintervals = [4, 2, 8]\n", "study.intervals"),
    ("[study]\nintervals = [1, 1, 2]\n", "study.intervals"),
    (f"[study]\nintervals = {list(range(1, 40))}\n", "study.intervals"),
    ("[study]\nreview_cap = -1\n", "study.review_cap"),
    ("[study]\nreview_cap = 9223372036854775807\n", "study.review_cap"),
    ("[study]\nnew_per_day = -5\n", "study.new_per_day"),
    ("[study]\nnew_per_day = 100000000000\n", "study.new_per_day"),
    ("[study]\nnew_per_day_total = -1\n", "study.new_per_day_total"),
    ("[model]\ntimeout = nan\n", "model.timeout"),
    ("[model]\ntimeout = inf\n", "model.timeout"),
    ("[model]\ntimeout = 0\n", "model.timeout"),
    ("[model]\ntimeout = -3.5\n", "model.timeout"),
    ("[model]\nthreads = -1\n", "model.threads"),
    ("[model]\nthreads = 100000000\n", "model.threads"),
    ("[model]\ngpu_layers = 99999999999\n", "model.gpu_layers"),
    ('[model]\nenabled = "yes"\n', "model.enabled"),
    ("[model]\napi_key = 12\n", "model.api_key"),
    ('[model]\napi_key = "abc\\ndef"\n', "model.api_key"),
    ('theme = "no-such-theme"\n', "theme"),
    ('profile = "../../x"\n', "profile"),
    ('profile = "/abs"\n', "profile"),
    ('profile = ""\n', "profile"),
    ('profile = "two\\nlines"\n', "profile"),
    ('data_dir = "a\\u0000b"\n', "data_dir"),
    ('deck_dirs = ["decks", "bad\\u0000"]\n', "deck_dirs"),
]


@pytest.mark.parametrize(("text", "key"), BAD_SETTINGS)
def test_each_bad_setting_is_one_line_naming_the_key(
        text: str, key: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI's own entry point (in-process, to stay fast): exit 2, one line, the key."""
    config(text)
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert key in err and "config file" in err and "line " in err, err


@pytest.mark.parametrize(("text", "key"), [
    ("[study]\nintervals = [1, 3000000]\n", "study.intervals"),
    ('profile = "../../x"\n', "profile"),
    ("[model]\ntimeout = nan\n", "model.timeout"),
    ('theme = "no-such-theme"\n', "theme"),
])
def test_bad_settings_through_the_real_command(text: str, key: str, tmp_path: Path) -> None:
    config(text)
    assert_one_line_error(run_cli("report", timeout=QUICK), key)
    assert not any(p.name == "x" for p in tmp_path.rglob("*"))  # nothing beside the data folder


def test_a_profile_path_never_leaves_the_data_folder(tmp_path: Path) -> None:
    """`profile = "../../x"` used to put profiles/../../x (beside the data folder) in use."""
    config('profile = "../../escaped"\n')
    run_cli("exam", "--history", timeout=QUICK)
    assert not any(p.name == "escaped" for p in tmp_path.rglob("*"))


def test_good_values_at_the_edges_load(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(
        f'profile = "ana-2_b"\ntheme = "{KNOWN_THEMES[0]}"\n'
        "[model]\ngpu_layers = -1\nthreads = 0\ntimeout = 0.5\n"
        f"[study]\nintervals = [1, 3, {MAX_INTERVAL_DAYS}]\nnew_per_day = 0\nreview_cap = 0\n",
        encoding="utf-8")
    settings = load_settings(path)
    assert settings.study.intervals == (1, 3, MAX_INTERVAL_DAYS)
    assert settings.model.gpu_layers == -1 and settings.model.timeout == 0.5
    assert settings.profile == "ana-2_b"


def test_known_themes_are_textuals_themes() -> None:
    """The core keeps theme names without importing Textual; each must be one Textual has.

    (Textual may add themes; ``KNOWN_THEMES`` then accepts fewer than it could, never one
    the app cannot show.)"""
    from textual.app import App
    from textual.theme import BUILTIN_THEMES

    assert len(KNOWN_THEMES) > 10 and "textual-dark" in KNOWN_THEMES
    assert set(KNOWN_THEMES) <= set(BUILTIN_THEMES)
    assert set(KNOWN_THEMES) <= set(App().available_themes)


@pytest.mark.parametrize("intervals", [(1, 3_000_000), (1, 10**12), (MAX_INTERVAL_DAYS,)])
def test_the_scheduler_never_overflows_a_date(intervals: tuple[int, ...]) -> None:
    scheduler = LeitnerScheduler(intervals)
    now = datetime(2024, 5, 6, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
    state = scheduler.new_state("c1", "deck")
    for _ in range(3):
        state = scheduler.review(state, 5, now).state
        assert state.due is not None
        assert state.due - now <= timedelta(days=MAX_INTERVAL_DAYS + 1)
        state.due.astimezone(timezone.utc)  # what the store does; must not overflow either
    late = datetime(9999, 12, 20, 12, 0, tzinfo=timezone(timedelta(hours=14)))
    due = scheduler.review(scheduler.new_state("c2", "deck"), 5, late).state.due
    assert due is not None and due >= scheduler.day_start(late)
    due.astimezone(timezone(timedelta(hours=-12)))


# ------------------------------------------------------ item 8: the config file, bounded


def test_config_on_dev_zero_is_refused_at_once() -> None:
    proc = run_cli("report", env={"TUTOR_CONFIG": "/dev/zero"}, timeout=QUICK)
    assert_one_line_error(proc, "/dev/zero", "device")


def test_config_on_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    proc = run_cli("report", env={"TUTOR_CONFIG": str(fifo)}, timeout=QUICK)
    assert_one_line_error(proc, str(fifo), "FIFO")


def test_config_folder_and_oversized_file_are_refused(tmp_path: Path) -> None:
    proc = run_cli("report", env={"TUTOR_CONFIG": str(tmp_path)}, timeout=QUICK)
    assert_one_line_error(proc, "folder")
    big = config("# padding\n" * 200_000)
    assert big.stat().st_size > 1_000_000
    with pytest.raises(ConfigError, match="is over 1 MB"):
        load_settings(big)


# ------------------------------------------------------------ item 16: --out targets


@pytest.fixture
def make_device(tmp_path: Path):
    """``make_device(name)``: a character device like /dev/null at ``tmp_path / name``."""
    def make(name: str) -> Path:
        path = tmp_path / name
        if os.geteuid() == 0:
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        else:  # see the module docstring
            path.symlink_to("/dev/null")
        return path
    return make


def is_device(path: Path) -> bool:
    return stat.S_ISCHR(os.stat(path).st_mode)


def test_the_real_dev_null_is_refused_and_stays_a_device() -> None:
    with pytest.raises(OutputError, match="device"):
        check_out_target(Path("/dev/null"))
    assert is_device(Path("/dev/null"))


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.deck"
    path.write_text(DECK, encoding="utf-8")
    return path


def test_report_refuses_a_device_a_fifo_and_links_to_them(make_device, tmp_path: Path) -> None:
    device, fifo = make_device("device.md"), tmp_path / "report.md"
    os.mkfifo(fifo)
    to_device, to_fifo = tmp_path / "dev-link.md", tmp_path / "fifo-link.md"
    to_device.symlink_to(device)
    to_fifo.symlink_to(fifo)
    for target in (device, fifo, to_device, to_fifo):
        assert_one_line_error(run_cli("report", "--out", str(target), timeout=QUICK), str(target))
    assert is_device(device) and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert is_device(to_device) and to_device.is_symlink() and to_fifo.is_symlink()


def test_report_refuses_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.md"
    assert_one_line_error(run_cli("report", "--out", str(target), timeout=QUICK),
                          "does not exist")
    assert not (tmp_path / "no").exists()


def test_report_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    proc = run_cli("report", "--out", str(link), timeout=QUICK)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") != "old\n" and "report" in real.read_text().lower()


def test_export_refuses_a_device_and_a_missing_folder(make_device, deck_file: Path,
                                                      tmp_path: Path) -> None:
    device = make_device("out.csv")
    proc = run_cli("export", str(deck_file), "--format", "csv", "-o", str(device), "--force",
                   timeout=QUICK)
    assert_one_line_error(proc, str(device))
    assert is_device(device)
    missing = tmp_path / "gone" / "out.csv"
    proc = run_cli("export", str(deck_file), "--format", "csv", "-o", str(missing), timeout=QUICK)
    assert_one_line_error(proc, "does not exist")
    assert not missing.parent.exists()


def test_export_writes_through_a_symlink(deck_file: Path, tmp_path: Path) -> None:
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old\n", encoding="utf-8")
    link.symlink_to(real)
    proc = run_cli("export", str(deck_file), "--format", "csv", "-o", str(link), "--force",
                   timeout=QUICK)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and "Paris" in real.read_text(encoding="utf-8")


def test_import_refuses_a_device_and_a_missing_folder(make_device, tmp_path: Path) -> None:
    source = tmp_path / "cards.tsv"
    source.write_text("front\tback\nmitosis\tcell division\nribosome\tmakes proteins\n",
                      encoding="utf-8")
    # 'out.deck' as named; 'sink' (no .deck ending) must not become a new 'sink.deck'
    for target in (make_device("out.deck"), make_device("sink")):
        proc = run_cli("import", str(source), "-o", str(target), "--force", timeout=QUICK)
        assert_one_line_error(proc, str(target))
        assert is_device(target)
    assert not (tmp_path / "sink.deck").exists()
    missing = tmp_path / "gone" / "out.deck"
    assert_one_line_error(run_cli("import", str(source), "-o", str(missing), timeout=QUICK),
                          "does not exist")
    assert not missing.parent.exists()


def test_import_writes_through_a_symlink(tmp_path: Path) -> None:
    source = tmp_path / "cards.tsv"
    source.write_text("front\tback\nmitosis\tcell division\n", encoding="utf-8")
    real, link = tmp_path / "real.deck", tmp_path / "link.deck"
    real.write_text("title: old\n", encoding="utf-8")
    link.symlink_to(real)
    proc = run_cli("import", str(source), "-o", str(link), "--force", timeout=QUICK)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and "mitosis" in real.read_text(encoding="utf-8")


def test_exam_refuses_a_bad_out_before_the_exam_starts(make_device, deck_file: Path,
                                                       tmp_path: Path) -> None:
    device = make_device("result.md")
    proc = run_cli("exam", str(deck_file), "--out", str(device), "--rules", timeout=QUICK)
    assert_one_line_error(proc, str(device))
    assert is_device(device)
    missing = tmp_path / "gone" / "result.md"
    proc = run_cli("exam", str(deck_file), "--out", str(missing), "--rules", timeout=QUICK)
    assert_one_line_error(proc, "does not exist")
    assert not missing.parent.exists()
    assert not Path(os.environ["TUTOR_DATA_DIR"], "profiles", "default", "exams").exists()


def test_the_exam_export_writer_keeps_a_link_and_refuses_a_fifo(tmp_path: Path) -> None:
    """The writer behind `tutor exam --out` and the result screen's export dialog."""
    from tutor.exam.export import write_export

    fifo = tmp_path / "result.json"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="FIFO"):
        write_export({}, fifo)
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("old", encoding="utf-8")
    link.symlink_to(real)
    write_export({"exam_id": "e1"}, link)
    assert link.is_symlink() and '"e1"' in real.read_text(encoding="utf-8")


def test_check_out_target_kinds(tmp_path: Path) -> None:
    """Sockets, folders, link loops and dangling links, in-process."""
    short = Path("/tmp") / f"tutor-sock-{os.getpid()}"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(short))
        try:
            with pytest.raises(OutputError, match="socket"):
                write_out(short, "x")
            assert stat.S_ISSOCK(os.lstat(short).st_mode)
        finally:
            short.unlink()
    with pytest.raises(OutputError, match="is a folder"):
        check_out_target(tmp_path)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OutputError):
        check_out_target(loop)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere" / "file")
    with pytest.raises(OutputError, match="does not exist"):
        write_out(dangling, "x")
    new = write_out(tmp_path / "new.txt", "fresh")
    assert new.read_text(encoding="utf-8") == "fresh"
