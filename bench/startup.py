"""Study UI start-up and responsiveness, measured on the real `tutor study` in a terminal.

Each run starts ``python -m tutor study DECK`` in a pseudo-terminal (100x30), as a
learner would, in a fresh data folder, and reads what it draws:

* start-up: from just before the process is spawned to the first question drawn on
  the terminal (target <= 0.8 s), with the model loading behind it;
* provisional verdict: from writing Enter (the answer typed) to the verdict drawn
  (target <= 50 ms), median and worst of several answers: with the app otherwise
  idle, and (with a model) right after the previous answer, while the model is
  still grading that one in its worker;
* resident memory (VmRSS) once the model is loaded (target <= 1.6 GB).

Each start is paired with one of a bare Textual app that draws the same first line in
the same terminal: this machine's speed drifts by a third from minute to minute, and
the ratio between the two does not.

Configurations: ``--rules`` (no model), the default settings (what `make run` uses: the
default model, Qwen2.5-Coder-1.5B, loads behind the first question; see
tutor/grading/factory.py) and, with ``--model PATH``, that GGUF file instead.

    python bench/startup.py [--runs N] [--answers N] [--rules-only] [--model PATH]
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.grading.modelfile import model_label  # noqa: E402
from tutor.grading.modelpack import cache_folder  # noqa: E402

COLUMNS, ROWS = 100, 30
#: Where the default model was assembled, found before each run moves HOME.
MODEL_CACHE = str(cache_folder().parent)
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07]*\x07|\x1b.")
QUESTIONS = [(f"Question {n}: what is the capital of country number {n}?", f"city{n}")
             for n in range(1, 31)]
QUESTION_MARK = b"what is the capital of country number 1?"
VERDICT_MARK = b"graded by"
#: The empty answer box's placeholder: drawn when the next card is asked.
ANSWER_BOX_MARK = b"Type your answer"


def deck_text() -> str:
    """A small deck whose questions are easy to spot on the terminal."""
    cards = "".join(f"---\nQ: {front}\nA: {back}\n" for front, back in QUESTIONS)
    return f"title: Bench\n{cards}"


class Terminal:
    """A child process on a pseudo-terminal; collects what it draws, as plain text."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        cwd=ROOT, start_new_session=True)
        os.close(slave)
        self.master = master
        self.raw = b""
        self.text = b""

    def read_until(self, needle: bytes, timeout: float, start: int = 0) -> float:
        """Read until ``needle`` shows in the plain text after offset ``start``; the time then."""
        deadline = time.perf_counter() + timeout
        while needle not in self.text[start:]:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or self.process.poll() is not None:
                tail = self.text[-400:].decode("utf-8", "replace")
                raise RuntimeError(f"did not see {needle!r} (exit {self.process.poll()}): {tail}")
            ready, _, _ = select.select([self.master], [], [], min(remaining, 0.05))
            if ready:
                self._read()
        return time.perf_counter()

    def drain(self, seconds: float) -> None:
        """Keep reading for a while (so the child never blocks on a full terminal)."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.05))
            if ready:
                self._read()

    def _read(self) -> None:
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return
        self.raw += chunk
        self.text = ANSI.sub(b"", self.raw)

    def write(self, data: bytes) -> None:
        """Type ``data``."""
        os.write(self.master, data)

    def cpu_s(self) -> float:
        """CPU time the child has used so far, all threads (from /proc/PID/task/*/schedstat)."""
        total = 0
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
        return total / 1e9

    def rss_mb(self) -> float:
        """The child's resident memory."""
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        """Quit the app (Ctrl+Q), then make sure the process is gone."""
        try:
            self.write(b"\x11")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


#: The cheapest Textual app that draws the same first question: the machine's floor.
BARE_APP = f"""
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static({QUESTIONS[0][0]!r})
    def on_key(self):
        self.exit()
Bare().run()
"""


def bare_startup_s() -> float:
    """Seconds until a bare Textual app draws the first question (same terminal, same env)."""
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {**base, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
    term = Terminal([sys.executable, "-c", BARE_APP], env)
    try:
        return term.read_until(QUESTION_MARK, timeout=30) - term.started
    finally:
        term.close()


def run_once(extra: list[str], answers: int, with_model: bool) -> dict[str, float]:
    """One start of `tutor study` in a fresh data folder; the figures it gave."""
    home = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    try:
        deck = home / "bench.deck"
        deck.write_text(deck_text(), encoding="utf-8")
        # A returning learner: the first-start welcome was seen on an earlier day.
        (home / "data").mkdir()
        (home / "data" / "welcome-shown").write_text("", encoding="utf-8")
        # Byte-code caching as on a learner's machine (some sandboxes turn it off).
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {**base, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS),
               "LINES": str(ROWS), "HOME": str(home), "TUTOR_DATA_DIR": str(home / "data"),
               "TUTOR_CONFIG": str(home / "config.toml"), "TUTOR_CACHE_DIR": MODEL_CACHE}
        term = Terminal([sys.executable, "-m", "tutor", "study", str(deck), *extra], env)
        try:
            shown = term.read_until(QUESTION_MARK, timeout=30)
            figures = {"startup_s": shown - term.started, "startup_cpu_s": term.cpu_s(),
                       "bare_s": 0.0}
            if with_model:
                figures["model_ready_s"] = wait_for_model(term)
            modes = [("idle", True)] * answers
            if with_model:
                # Then answer again right after each verdict: the model is still grading.
                modes += [("busy", False)] * answers
            samples: dict[str, list[tuple[float, float]]] = {}
            for number, (mode, settle) in enumerate(modes, start=1):
                samples.setdefault(mode, []).append(answer(term, number, settle=settle))
            for mode, pairs in samples.items():
                figures[f"verdict_{mode}_ms"] = statistics.median(p[0] for p in pairs) * 1000
                figures[f"verdict_{mode}_max_ms"] = max(p[0] for p in pairs) * 1000
                figures[f"verdict_{mode}_cpu_ms"] = statistics.median(p[1] for p in pairs) * 1000
            figures["rss_mb"] = term.rss_mb()
            return figures
        finally:
            term.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def answer(term: Terminal, number: int, *, settle: bool) -> tuple[float, float]:
    """Answer card ``number``: (seconds from Enter to the verdict drawn, CPU seconds used)."""
    _front, back = QUESTIONS[number - 1]
    if number > 1:
        term.write(b"\r")  # on to the next card
        term.read_until(ANSWER_BOX_MARK, timeout=30, start=len(term.text))
    if settle:
        wait_quiet(term)
    term.write(back.encode())
    term.drain(0.15)
    mark = len(term.text)
    cpu_before = term.cpu_s()
    sent = time.perf_counter()
    term.write(b"\r")
    seen = term.read_until(VERDICT_MARK, timeout=30, start=mark)
    return seen - sent, term.cpu_s() - cpu_before


def wait_quiet(term: Terminal, timeout: float = 60) -> None:
    """Wait until the app uses (almost) no CPU: no model grade running behind the UI."""
    deadline = time.perf_counter() + timeout
    before = term.cpu_s()
    while time.perf_counter() < deadline:
        term.drain(0.25)
        now = term.cpu_s()
        if now - before < 0.01:
            return
        before = now
    raise RuntimeError("the app never went quiet")


def wait_for_model(term: Terminal) -> float:
    """Seconds from start until the status bar stops saying the model is loading."""
    deadline = time.perf_counter() + 180
    while time.perf_counter() < deadline:
        term.drain(0.2)
        last = term.text.rfind(b"grader: ")
        if last >= 0 and b"loading" not in term.text[last:last + 120]:
            return time.perf_counter() - term.started
    raise RuntimeError("the model never finished loading")


def summarise(name: str, runs: list[dict[str, float]]) -> None:
    """Print one configuration's figures (median over runs) against the targets."""
    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"\n{name}  ({len(runs)} runs, median)")
    start = med("startup_s")
    print(f"  start-up to first question   {start:6.3f} s    target 0.8 s   ratio {start / 0.8:.2f}"
          f"   (CPU {med('startup_cpu_s'):.3f} s; fastest {min(r['startup_s'] for r in runs):.3f} s)")
    bare = med("bare_s")
    print(f"  a bare Textual app, same     {bare:6.3f} s    ratio tutor/bare"
          f" {statistics.median(r['startup_s'] / r['bare_s'] for r in runs):.2f}"
          "   (each run paired: the machine's speed drifts)")
    if "model_ready_s" in runs[0]:
        print(f"  model loaded behind it at    {med('model_ready_s'):6.2f} s")
    for mode, label in (("idle", "model idle"), ("busy", "model grading the last answer")):
        if f"verdict_{mode}_ms" not in runs[0]:
            continue
        verdict = med(f"verdict_{mode}_ms")
        worst = max(r[f"verdict_{mode}_max_ms"] for r in runs)
        print(f"  provisional verdict visible  {verdict:6.1f} ms   target 50 ms   ratio"
              f" {verdict / 50:.2f}   ({label}; worst {worst:.1f} ms;"
              f" CPU {med(f'verdict_{mode}_cpu_ms'):.1f} ms)")
    rss = med("rss_mb")
    print(f"  resident memory              {rss:6.0f} MB   target 1600 MB  ratio {rss / 1600:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="starts per configuration")
    parser.add_argument("--answers", type=int, default=6, help="answers per start")
    parser.add_argument("--rules-only", action="store_true", help="measure --rules only (no model)")
    parser.add_argument("--model", metavar="PATH", help="also measure --model PATH")
    args = parser.parse_args()
    answers = max(0, min(args.answers, len(QUESTIONS) // 2))
    configs: list[tuple[str, list[str], bool]] = [("--rules (no model)", ["--rules"], False)]
    if not args.rules_only:
        configs.append(("default settings (the default model loads behind the UI)", [], True))
        if args.model:
            configs.append((f"--model {model_label(Path(args.model))} (loads behind the UI)",
                            ["--model", args.model], True))
    print(f"tutor study in a {COLUMNS}x{ROWS} pseudo-terminal, {os.cpu_count()} CPUs,"
          f" load average {os.getloadavg()[0]:.1f} (wall times grow with the load;"
          " CPU times do not)")
    # Compile tutor's modules once, as a first start would, so no run pays for it.
    compileall.compile_dir(str(ROOT / "tutor"), quiet=1)
    for name, extra, wait_model in configs:
        results = []
        for _ in range(max(1, args.runs)):
            bare = bare_startup_s()
            results.append({**run_once(extra, answers, wait_model), "bare_s": bare})
        summarise(name, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
