"""Study store at scale: tutor's TinyDB store against SQLite (WAL) on the same history.

Builds a profile with 10,000 cards and 100,000 reviews (made by the real
scheduler over two simulated years), then measures on each store:

* open: from nothing to every card state in memory (what the deck list needs);
* record: saving one graded answer (review + new card state), durable on return;
  p50/p95/max over ``--samples`` answers. The two stores take turns answer by
  answer, so disk hiccups hit both alike;
* size on disk.

SQLite runs in WAL mode with ``synchronous=FULL`` (each commit is fsynced, the
same promise as tutor's journal). Also shown: tutor's fold (what ``close`` does),
the first read of the whole history, and, for the record, TinyDB's own
JSONStorage and CachingMiddleware with one document per review: the layouts
this store avoids.

    python bench/store.py                      # 10,000 cards, 100,000 reviews
    python bench/store.py --reviews 20000      # smaller
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.schedule import CardState, LeitnerScheduler, ReviewOutcome  # noqa: E402
from tutor.store import StudyStore  # noqa: E402
from tutor.store.codec import REVIEW_FIELDS, review_row, state_doc  # noqa: E402

START = datetime(2023, 1, 1, 8, 0, tzinfo=timezone.utc)
ANSWERS = [
    "the mitochondria produce ATP through cellular respiration",
    "Paris", "it is O(n log n) on average but O(n^2) in the worst case",
    "a process that converts light energy into chemical energy stored in glucose",
    "I think it was 1789, the storming of the Bastille", "",
    "the derivative of sin x is cos x",
]
FEEDBACK = [
    "Correct: covers the key point.", "Missing: the worst case.",
    "Close, but the date is off by one year.", "No answer given.",
]
GRADERS = ["rules", "llm:qwen2.5-coder-1.5b-instruct-q4_k_m", "override"]
CARD_COLUMNS = ("card_id", "deck", "box", "due", "reviews", "lapses", "streak", "last_reviewed",
                "first_reviewed", "last_score")


def make_history(cards: int, reviews: int,
                 seed: int = 7) -> tuple[list[ReviewOutcome], dict[str, CardState]]:
    """``reviews`` outcomes over ``cards`` cards in 10 decks, in time order."""
    rng = random.Random(seed)
    scheduler = LeitnerScheduler()
    card_ids = [f"{i:010x}" for i in range(cards)]
    states: dict[str, CardState] = {}
    outcomes = []
    step = timedelta(days=730) / max(1, reviews)
    for n in range(reviews):
        card_id = card_ids[n] if n < cards else rng.choice(card_ids)
        deck = f"deck-{int(card_id, 16) % 10}"
        state = states.get(card_id) or scheduler.new_state(card_id, deck)
        score = rng.choices(range(6), weights=(1, 1, 2, 3, 4, 6))[0]
        outcome = scheduler.review(
            state, score, START + step * n, answer=rng.choice(ANSWERS),
            grader=rng.choice(GRADERS), confidence=round(rng.random(), 3),
            response_ms=rng.randint(1500, 30000), topic=f"topic-{int(card_id, 16) % 37}",
            feedback=rng.choice(FEEDBACK))
        states[card_id] = outcome.state
        outcomes.append(outcome)
    return outcomes, states


def fresh_answers(states: dict[str, CardState], count: int) -> list[ReviewOutcome]:
    """``count`` new answers to random cards, after the history."""
    scheduler = LeitnerScheduler()
    rng = random.Random(11)
    ids = list(states)
    now = START + timedelta(days=731)
    return [scheduler.review(states[rng.choice(ids)], rng.randint(0, 5),
                             now + timedelta(seconds=n), answer=rng.choice(ANSWERS),
                             grader="rules")
            for n in range(count)]


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(function: Callable[[], object]) -> float:
    """Seconds ``function`` takes."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


# -- building both stores -----------------------------------------------------------------

def build_tutor(folder: Path, outcomes: list[ReviewOutcome]) -> None:
    """The history recorded in batches, folded every 10,000 reviews."""
    with StudyStore(folder, fold_limit=10**9) as store:
        for start in range(0, len(outcomes), 2000):
            store.record_reviews(outcomes[start:start + 2000])
            if (start + 2000) % 10_000 == 0:
                store.checkpoint()


def sqlite_connect(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode, every commit fsynced."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    return db


def card_values(state: CardState) -> tuple[object, ...]:
    doc = state_doc(state)
    return (state.card_id, *(doc[c] for c in CARD_COLUMNS[1:]))


def review_values(outcome: ReviewOutcome, review_id: int | None = None) -> tuple[object, ...]:
    row = review_row(outcome.review)
    row[0] = review_id
    row[-1] = json.dumps(row[-1])
    return tuple(row)


REVIEW_INSERT = f"INSERT INTO reviews VALUES ({', '.join('?' * len(REVIEW_FIELDS))})"
CARD_UPSERT = f"INSERT OR REPLACE INTO cards VALUES ({', '.join('?' * len(CARD_COLUMNS))})"


def build_sqlite(path: Path, outcomes: list[ReviewOutcome], states: dict[str, CardState]) -> None:
    """The same history in two indexed tables."""
    db = sqlite_connect(path)
    db.execute(f"CREATE TABLE cards ({', '.join(CARD_COLUMNS)}, PRIMARY KEY (card_id))")
    db.execute(f"CREATE TABLE reviews ({', '.join(REVIEW_FIELDS)}, PRIMARY KEY (id))")
    db.execute("CREATE INDEX reviews_card ON reviews (card_id)")
    db.execute("CREATE INDEX reviews_time ON reviews (time)")
    db.execute("BEGIN")
    db.executemany(REVIEW_INSERT, (review_values(o, n + 1) for n, o in enumerate(outcomes)))
    db.executemany(CARD_UPSERT, (card_values(s) for s in states.values()))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


# -- measuring ------------------------------------------------------------------------------

def open_tutor(folder: Path) -> float:
    start = time.perf_counter()
    store = StudyStore(folder)
    store.states()
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def open_sqlite(path: Path) -> float:
    start = time.perf_counter()
    db = sqlite_connect(path)
    states = {row[0]: row for row in db.execute("SELECT * FROM cards")}
    elapsed = time.perf_counter() - start
    db.close()
    assert states
    return elapsed


def record_both(folder: Path, path: Path, answers: list[ReviewOutcome]) -> dict[str, list[float]]:
    """Record each answer in both stores, taking turns; wall and CPU time of each."""
    store = StudyStore(folder)
    db = sqlite_connect(path)
    times: dict[str, list[float]] = {"ours": [], "theirs": [], "our_cpu": [], "their_cpu": []}
    for outcome in answers:
        start, cpu = time.perf_counter(), time.process_time()
        store.record_review(outcome.review, outcome.state)
        times["ours"].append(time.perf_counter() - start)
        times["our_cpu"].append(time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        db.execute("BEGIN")
        db.execute(REVIEW_INSERT, review_values(outcome))
        db.execute(CARD_UPSERT, card_values(outcome.state))
        db.execute("COMMIT")
        times["theirs"].append(time.perf_counter() - start)
        times["their_cpu"].append(time.process_time() - cpu)
    db.close()
    store.close()
    return times


def disk_flush(folder: Path, samples: int = 300) -> list[float]:
    """The floor: writing 600 bytes in place and fdatasync-ing them, nothing else."""
    path = folder / "flush-probe"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    os.write(fd, bytes(600 * samples))
    os.fsync(fd)
    times = []
    for n in range(samples):
        start = time.perf_counter()
        os.pwrite(fd, b"x" * 599 + b"\n", 600 * n)
        os.fdatasync(fd)
        times.append(time.perf_counter() - start)
    os.close(fd)
    path.unlink()
    return times


def session_close(folder: Path, answers: list[ReviewOutcome]) -> float:
    """Seconds ``close`` takes after a session of ``answers`` (it folds the journal)."""
    store = StudyStore(folder)
    for outcome in answers:
        store.record_review(outcome.review, outcome.state)
    return timed(store.close)


def replay_open(folder: Path, answers: list[ReviewOutcome], entries: int) -> float:
    """Open time when the journal holds ``entries`` changes (after a crash, say)."""
    with StudyStore(folder, fold_limit=10**9) as store:
        for outcome in answers[:entries]:
            store.record_review(outcome.review, outcome.state)
        snapshot = folder.with_name("with-journal")
        shutil.copytree(folder, snapshot, ignore=shutil.ignore_patterns("study.lock"))
    times = []
    for attempt in range(3):
        copy = folder.with_name(f"replay-{attempt}")
        shutil.copytree(snapshot, copy)
        times.append(open_tutor(copy))
    return statistics.median(times)


def bench_plain_tinydb(folder: Path, outcomes: list[ReviewOutcome]) -> dict[str, float]:
    """One TinyDB document per review: JSONStorage (rewrites the file) and CachingMiddleware."""
    from tinydb import TinyDB
    from tinydb.middlewares import CachingMiddleware
    from tinydb.storages import JSONStorage

    docs = {str(n + 1): dict(zip(REVIEW_FIELDS, review_row(o.review), strict=True))
            for n, o in enumerate(outcomes)}
    path = folder / "plain.json"
    path.write_text(json.dumps({"reviews": docs}), encoding="utf-8")
    extra = dict(zip(REVIEW_FIELDS, review_row(outcomes[-1].review), strict=True))
    plain = TinyDB(path, storage=JSONStorage)
    table = plain.table("reviews")
    rewrite = [timed(lambda: table.insert(extra)) for _ in range(3)]
    plain.close()
    cached = TinyDB(path, storage=CachingMiddleware(JSONStorage))  # type: ignore[no-untyped-call]
    table = cached.table("reviews")
    table.insert(extra)  # the first access reads the file
    in_memory = [timed(lambda: table.insert(extra)) for _ in range(20)]
    return {"rewrite_s": statistics.median(rewrite),
            "cached_ms": statistics.median(in_memory) * 1e3,
            "size_mb": path.stat().st_size / 1e6}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=1000, help="answers timed per store")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temp folder, removed)")
    parser.add_argument("--skip-plain", action="store_true",
                        help="skip the one-document-per-review TinyDB layouts")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="tutor-bench-store-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"history: {args.cards:,} cards, {args.reviews:,} reviews; {args.samples} answers"
          f" timed; folder {work}")
    outcomes, states = make_history(args.cards, args.reviews)
    folder, path = work / "tutor", work / "store.sqlite"
    build_tutor(folder, outcomes)
    build_sqlite(path, outcomes, states)
    our_open = statistics.median(open_tutor(folder) for _ in range(5))
    their_open = statistics.median(open_sqlite(path) for _ in range(5))
    answers = fresh_answers(states, args.samples)
    times = record_both(folder, path, answers)
    ours, theirs = times["ours"], times["theirs"]
    floor = disk_flush(work)
    close_s = session_close(folder, answers[:200])
    main_mb = (folder / "study.json").stat().st_size / 1e6
    history_mb = (folder / "reviews.jsonl").stat().st_size / 1e6
    sqlite_mb = path.stat().st_size / 1e6
    with StudyStore(folder) as store:
        history_s = timed(lambda: store.reviews(card_id=answers[0].review.card_id))
        count = store.review_count()
        fold_limit = store.fold_limit
    replay_s = replay_open(folder, answers, fold_limit - 1)

    def row(name: str, unit: str, mine: float, other: float, target: str = "") -> None:
        ratio = mine / other if other else float("inf")
        print(f"{name:<28}{mine:>10.2f} {unit:<3}{other:>10.2f} {unit:<3}{ratio:>8.2f}x   {target}")

    print(f"\n{'':<28}{'tutor':>14}{'sqlite WAL':>14}{'ratio':>9}   target")
    row("open (all states loaded)", "s", our_open, their_open, "<= 0.5 s")
    row("record one answer p50", "ms", percentile(ours, 0.5) * 1e3, percentile(theirs, 0.5) * 1e3)
    p95, their_p95 = percentile(ours, 0.95) * 1e3, percentile(theirs, 0.95) * 1e3
    row("record one answer p95", "ms", p95, their_p95, "<= 5 ms and <= 2x SQLite")
    row("record one answer max", "ms", max(ours) * 1e3, max(theirs) * 1e3)
    row("record one answer: CPU", "ms", statistics.mean(times["our_cpu"]) * 1e3,
        statistics.mean(times["their_cpu"]) * 1e3)
    row("size on disk", "MB", main_mb + history_mb, sqlite_mb)
    print(f"\nthis disk's floor (600 bytes written in place + fdatasync): p50"
          f" {percentile(floor, 0.5) * 1e3:.2f} ms, p95 {percentile(floor, 0.95) * 1e3:.2f} ms")
    print(f"tutor files: study.json {main_mb:.1f} MB (read at open), reviews.jsonl"
          f" {history_mb:.1f} MB (read on first need)")
    print(f"tutor close after a 200-answer session (a fold: append the history, rewrite"
          f" study.json): {close_s * 1e3:.0f} ms; a session also folds by itself every"
          f" {fold_limit} answers (that answer's time is the max above)")
    print(f"tutor open with {fold_limit - 1} journal entries to replay: {replay_s:.3f} s")
    print(f"tutor first whole-history query ({count:,} reviews): {history_s:.3f} s, then kept")
    if not args.skip_plain:
        plain = bench_plain_tinydb(work, outcomes)
        print(f"one TinyDB document per review ({plain['size_mb']:.1f} MB file): JSONStorage"
              f" {plain['rewrite_s']:.2f} s per answer; CachingMiddleware"
              f" {plain['cached_ms']:.1f} ms per answer in memory, nothing on disk until flush")
    checks = {"open <= 0.5 s": our_open <= 0.5, "record p95 <= 5 ms": p95 <= 5,
              "record p95 <= 2x SQLite": p95 <= 2 * their_p95}
    print("\n" + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in checks.items()))
    if not args.dir:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
