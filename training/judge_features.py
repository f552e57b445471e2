"""The model judge's log-odds for the corpus splits and the dev set, cached on disk.

`tutor.grading.head` is fitted on these (`train_head.py`). One forward pass per item
through `tutor.grading.judge.LlamaJudge` (the same code the app grades with); items are
taken card by card, so each card's part of the prompt is evaluated once. The cache is a
JSON-lines file keyed by the prompt and the model file; a run resumes where the last
stopped, and ``--limit N`` takes N items per set (sets interleaved, cards kept together).

    python training/judge_features.py [--model PATH] [--limit N] [--threads 2] [--sets dev,validation]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from data import datasets  # noqa: E402

from tutor.grading.base import GradingError  # noqa: E402
from tutor.grading.judge import LlamaJudge, prefix_pieces  # noqa: E402

CACHE = ROOT / "training" / "cache"
SETS = ("train", "validation", "dev")


def prompt_key(model: Path) -> str:
    """Names the cache: the prompt's text and the model file's size (not its name: the
    same model assembled elsewhere reuses the cache)."""
    text = json.dumps([prefix_pieces(), model.stat().st_size])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def cache_file(model: Path) -> Path:
    """The JSON-lines cache of ``{"set", "id", "log_odds"}`` for this prompt and model."""
    return CACHE / f"judge-{prompt_key(model)}.jsonl"


def load_cache(model: Path) -> dict[tuple[str, str], float]:
    """(set, id) -> log-odds already computed."""
    path = cache_file(model)
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
            out[(row["set"], row["id"])] = float(row["log_odds"])
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by an interrupted run
    return out


def card_ordered(items: list[dict], seed: int = 13) -> list[dict]:
    """Items grouped by card (question + reference), cards in a seeded random order."""
    cards: dict[tuple[str, str], list[dict]] = {}
    for item in items:
        cards.setdefault((item["question"], item["reference"]), []).append(item)
    groups = list(cards.values())
    random.Random(seed).shuffle(groups)
    return [item for group in groups for item in group]


def plan(limit: int | None, sets: tuple[str, ...] = SETS) -> list[tuple[str, dict]]:
    """(set, item) in the order to compute: the sets interleaved card group by card group."""
    queues = {name: card_ordered(items)[:limit] if name in sets else []
              for name, items in datasets().items()}
    order: list[tuple[str, dict]] = []
    while any(queues.values()):
        for name in SETS:
            queue = queues[name]
            if not queue:
                continue
            card = (queue[0]["question"], queue[0]["reference"])
            while queue and (queue[0]["question"], queue[0]["reference"]) == card:
                order.append((name, queue.pop(0)))
    return order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="items per set")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--sets", default=",".join(SETS), help="which sets, comma-separated")
    args = parser.parse_args()
    model = args.model
    if model is None:
        from tutor.grading.modelpack import ensure_model

        model = ensure_model(progress=True)
    done = load_cache(model)
    sets = tuple(args.sets.split(","))
    todo = [(name, item) for name, item in plan(args.limit, sets) if (name, item["id"]) not in done]
    print(f"{len(done)} cached, {len(todo)} to compute -> {cache_file(model)}", flush=True)
    if not todo:
        return
    judge = LlamaJudge(model, threads=args.threads)
    started = time.time()
    judge.load()
    print(f"model and prefix loaded in {time.time() - started:.1f} s", flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    with cache_file(model).open("a", encoding="utf-8") as out:
        for n, (name, item) in enumerate(todo, start=1):
            try:
                value = judge.log_odds(item["question"], item["reference"], item["answer"])
            except GradingError as exc:
                print(f"{name} {item['id']}: {exc}", flush=True)
                continue
            out.write(json.dumps({"set": name, "id": item["id"], "log_odds": round(value, 4)}) + "\n")
            out.flush()
            if n % 50 == 0:
                rate = (time.time() - started) / n
                print(f"{n}/{len(todo)}  {rate:.2f} s/item", flush=True)


if __name__ == "__main__":
    main()
