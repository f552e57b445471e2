"""The weak-topic report for a heavy learner: `tutor report` and the report screen's build.

Builds, in a temporary folder, a profile with 10,000 cards in 10 decks (37 topics
each) and 100,000 reviews made by the real scheduler over two years (the history of
`bench/store.py`), with the decks as `.deck` files, then measures:

* ``tutor report`` end to end (a fresh process: start-up, copying the profile, reading
  the decks and the whole history, building, printing), plain text and ``--json``: the
  first report of all (no summary cache yet, `tutor.store.summary_cache`), the next ones
  (the cache fits), and one after a study session of 100 answers since the cache was written;
* what the report screen waits for: a `StudyStore` already open (the app's, with its summary
  cache), then `report_from_store` with the history not yet read (the first report of a run)
  and again with it read;
* the parts: reading the whole history, `build_report` alone, `render_text`.

Each figure is the median (and the fastest) of ``--repeat`` runs; the load average is
printed too, since other work on the machine slows every figure. ``--profile`` prints cProfile's top
functions for one in-process report (copy, read, build, render).

    python bench/report.py                    # 100,000 reviews
    python bench/report.py --reviews 20000    # smaller
    python bench/report.py --profile          # where the time goes
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store import build_tutor, fresh_answers, make_history  # noqa: E402

from tutor.decks.library import load_library  # noqa: E402
from tutor.report import build_report, render_text, report_from_store  # noqa: E402
from tutor.schedule.clock import SystemClock  # noqa: E402
from tutor.settings import load_settings  # noqa: E402
from tutor.store import StudyStore  # noqa: E402
from tutor.store.profiles import read_store, summary_cache_path  # noqa: E402

TARGET_S = 1.0


def write_decks(folder: Path, cards: int) -> None:
    """The cards of `make_history` as 10 `.deck` files (card ``i`` is in deck ``i % 10``)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines: dict[int, list[str]] = {n: [f"title: Deck {n}", ""] for n in range(10)}
    for i in range(cards):
        card_id = f"{i:010x}"
        lines[i % 10] += ["---", f"id: {card_id}", f"topic: topic-{i % 37}",
                          f"Q: What is fact number {i}, and why does it matter?",
                          f"A: Fact {i} is the reference answer with a few key points.", ""]
    for n, text in lines.items():
        (folder / f"deck-{n}.deck").write_text("\n".join(text), encoding="utf-8")


Figures = tuple[float, float, float]
"""Median and fastest wall-clock seconds, median CPU seconds (this process and its children)."""


def cpu_seconds() -> float:
    """CPU time of this process and its finished children so far."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def measure(function: Callable[[], object], repeat: int,
            setup: Callable[[], object] | None = None) -> Figures:
    """`Figures` of ``repeat`` calls of ``function`` (each after ``setup()``, untimed). The
    fastest and the CPU time are the least disturbed by other work on a
    shared machine; CPU time is about what the wall clock shows on an idle one."""
    walls, cpus = [], []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start, cpu = time.perf_counter(), cpu_seconds()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def run_cli(env: dict[str, str], *extra: str) -> None:
    """``tutor report`` in a fresh process; fails loudly when the command does."""
    done = subprocess.run([sys.executable, "-m", "tutor", "report", *extra], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"tutor report failed ({done.returncode}): {done.stderr.strip()}")


def in_process_report(env: dict[str, str]) -> str:
    """What `tutor report` does after start-up, in this process."""
    os.environ.update(env)
    settings = load_settings()
    library = load_library(settings.deck_paths)
    with read_store(settings) as store:
        report = build_report(store.review_summaries(), store.states(), SystemClock().now(),
                              decks=library.decks, exams=store.exams())
    return render_text(report)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--profile", action="store_true",
                        help="print cProfile's top functions for one in-process report")
    parser.add_argument("--dir", type=Path,
                        help="work folder, kept and reused (default: a temp folder, removed)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="tutor-bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        data, decks = work / "data", work / "decks"
        config = work / "config.toml"
        config.write_text(f'deck_dirs = ["{decks}"]\n', encoding="utf-8")
        env = {**os.environ, "TUTOR_DATA_DIR": str(data), "TUTOR_CONFIG": str(config)}
        profile = data / "profiles" / "default"
        if not (profile / "study.json").exists():
            outcomes, _states = make_history(args.cards, args.reviews)
            build_tutor(profile, outcomes)
            write_decks(decks, args.cards)
        # The same profile after a study session of 100 answers, with the cache of before.
        later_data = work / "later"
        later_env = {**env, "TUTOR_DATA_DIR": str(later_data)}
        shutil.rmtree(later_data, ignore_errors=True)
        shutil.copytree(data / "profiles", later_data / "profiles")
        with StudyStore(profile) as store:
            states = store.states()
        os.environ.update(env)
        settings = load_settings()
        cache = summary_cache_path(settings)
        run_cli(env)  # writes the summary cache
        os.environ["TUTOR_DATA_DIR"] = str(later_data)
        later_cache = summary_cache_path(load_settings())
        later_cache.parent.mkdir(parents=True, exist_ok=True)
        old_cache = later_cache.with_suffix(".before")
        shutil.copyfile(cache, old_cache)
        with StudyStore(later_data / "profiles" / "default") as store:
            store.record_reviews(fresh_answers(states, 100))
        with StudyStore(profile) as store:
            count = store.review_count()
        print(f"profile: {args.cards:,} cards in 10 decks, {count:,} reviews;"
              f" {os.cpu_count()} CPUs; {args.repeat} runs each; load average"
              f" {os.getloadavg()[0]:.1f}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(in_process_report, env)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        os.environ.update(env)
        library = load_library(load_settings().deck_paths)
        clock = SystemClock()
        cli_text = measure(lambda: run_cli(env), args.repeat)
        cli_json = measure(lambda: run_cli(env, "--json"), args.repeat)
        cli_later = measure(lambda: run_cli(later_env), args.repeat,
                            setup=lambda: shutil.copyfile(old_cache, later_cache))
        cli_first = measure(lambda: run_cli(env), args.repeat,
                            setup=lambda: cache.unlink(missing_ok=True))
        # The app's store is open (and its decks loaded) before the screen asks: only
        # report_from_store is the screen's wait. A fresh store each time: nothing read yet.
        stores: list[StudyStore] = []

        def screen_first() -> None:
            report_from_store(stores[-1], clock, decks=library.decks)
            stores.pop().close()

        screen_cold = measure(screen_first, args.repeat, setup=lambda: stores.append(
            StudyStore(profile, summary_cache=cache)))

        def read_history() -> None:
            with StudyStore(profile) as fresh:
                fresh.review_summaries()

        history_s = measure(read_history, args.repeat)
        with StudyStore(profile) as store:
            reviews, states = store.review_summaries(), store.states()
            screen_warm = measure(
                lambda: report_from_store(store, clock, decks=library.decks), args.repeat)
        build_s = measure(lambda: build_report(reviews, states, clock, decks=library.decks),
                          args.repeat)
        report = build_report(reviews, states, clock, decks=library.decks)
        render_s = measure(lambda: render_text(report), args.repeat)
        rows = [
            ("tutor report, the first (no cache yet)", cli_first, False),
            ("tutor report (fresh process, text)", cli_text, True),
            ("tutor report --json (fresh process)", cli_json, True),
            ("tutor report after 100 new answers", cli_later, True),
            ("report screen, first report of a run", screen_cold, True),
            ("report screen, history already read", screen_warm, False),
            ("  open + read the whole history", history_s, False),
            ("  build_report alone", build_s, False),
            ("  render_text alone", render_s, False),
        ]
        print(f"\n{'seconds':<42}{'median':>8}{'fastest':>9}{'CPU':>8}")
        for name, (median, fastest, cpu), target in rows:
            mark = ("met" if median <= TARGET_S else "NOT met") if target else ""
            print(f"{name:<42}{median:>8.3f}{fastest:>9.3f}{cpu:>8.3f}   "
                  f"{mark and f'median <= {TARGET_S:g} s: {mark}'}")
    finally:
        if not args.dir:
            shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
