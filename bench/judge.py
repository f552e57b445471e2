"""The default grader's speed and memory: the model judge with its prompt cache.

Measures, on dev-set answers of up to ``--max-tokens`` answer tokens:

* load: model file to memory plus the prompt's prefix (system + worked examples), evaluated
  (a first run) and read from the state a first run saves (every later run);
* after Enter, as typed: the card and the answer's words but the last were read while the
  learner typed (`prepare_answer`, the study screen's path), so the timed grade reads the
  last word and the closing tokens;
* after Enter, card only: `prepare(question, reference)`, then the whole answer;
* cold: a card not prepared (question, reference and answer evaluated) - `tutor grade`'s path;
* the whole `LocalModelGrader.grade` (rules signals + judge + head) after prepare;
* resident memory after loading (now and peak).

Agreement figures come from ``training/train_head.py`` (they are stored in
``models/grader-head.json``); this script prints them beside the timings.

    python bench/judge.py [--threads 2] [--cards 30] [--gpu-layers 0]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.grading.base import GradeRequest  # noqa: E402
from tutor.grading.head import DEFAULT_HEAD_PATH  # noqa: E402
from tutor.grading.judge import LlamaJudge, quoted_answer  # noqa: E402
from tutor.grading.local_model import LocalModelGrader  # noqa: E402
from tutor.grading.modelpack import ensure_model  # noqa: E402

DEV_SET = ROOT.parent / "shared" / "eval" / "grading_dev.jsonl"


def resident_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    return float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(name: str, values: list[float]) -> str:
    return (f"{name:34} n={len(values):3}  median {statistics.median(values) * 1000:7.0f} ms"
            f"  p95 {p95(values) * 1000:7.0f} ms  max {max(values) * 1000:7.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--gpu-layers", type=int, default=0)
    parser.add_argument("--cards", type=int, default=30, help="dev cards to time")
    parser.add_argument("--max-tokens", type=int, default=40, help="longest answer timed, in tokens")
    args = parser.parse_args()
    if not DEV_SET.is_file():
        sys.exit(f"bench/judge.py: the dev set {DEV_SET} is missing "
                 "(it comes from ../shared/eval/, next to the repo)")
    items = [json.loads(x) for x in DEV_SET.read_text(encoding="utf-8").splitlines() if x.strip()]
    path = ensure_model(progress=True)

    states = Path(tempfile.mkdtemp(prefix="tutor-bench-states-"))
    started = time.perf_counter()
    judge = LlamaJudge(path, threads=args.threads, gpu_layers=args.gpu_layers, state_dir=states)
    judge.load()  # evaluates the prefix, then saves its state
    load_s = time.perf_counter() - started
    del judge
    gc.collect()
    started = time.perf_counter()
    judge = LlamaJudge(path, threads=args.threads, gpu_layers=args.gpu_layers, state_dir=states)
    judge.load()  # the next run: the prefix's state is read from the cache
    state_load_s = time.perf_counter() - started
    assert judge.prefix_from_state, "the saved state was not used"
    shutil.rmtree(states)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    cards: dict[tuple[str, str], list[dict]] = {}
    for item in items:
        tokens = judge._llm.tokenize(quoted_answer(item["answer"]).encode(), add_bos=False)
        if item["answer"].strip() and len(tokens) <= args.max_tokens:
            cards.setdefault((item["question"], item["reference"]), []).append(item)
    chosen = list(cards.items())[: args.cards]

    grader = LocalModelGrader(path, label="bench")
    grader._judge = judge
    typed, warm, cold, whole = [], [], [], []
    for (question, reference), answers in chosen:
        for item in answers[:2]:
            answer = item["answer"]
            # Enter right after the last word: the words before it were read while typed.
            before_last = answer.rstrip().rsplit(None, 1)[0] if " " in answer.strip() else ""
            judge.log_odds("Another card?", "another reference", "x")  # evict this card
            started = time.perf_counter()
            judge.log_odds(question, reference, answer)
            cold.append(time.perf_counter() - started)
            judge.log_odds("Another card?", "another reference", "x")
            judge.prepare(question, reference)
            started = time.perf_counter()
            judge.log_odds(question, reference, answer)
            warm.append(time.perf_counter() - started)
            judge.prepare_answer(question, reference, before_last)
            started = time.perf_counter()
            judge.log_odds(question, reference, answer)
            typed.append(time.perf_counter() - started)
            judge.prepare_answer(question, reference, before_last)
            started = time.perf_counter()
            grader.grade(GradeRequest(question, reference, answer))
            whole.append(time.perf_counter() - started)

    print(f"model {path.name}, {args.threads} threads, {args.gpu_layers} GPU layers, "
          f"answers of up to {args.max_tokens} tokens")
    print(f"load (file + prompt prefix)        {load_s:6.2f} s")
    print(f"load (file + saved prefix state)   {state_load_s:6.2f} s   ratio {state_load_s / load_s:.2f}")
    print(f"resident memory now {resident_mb():.0f} MB, peak {peak_mb:.0f} MB (over both loads: the first\n"
          "  model is freed before the second loads; tutor loads once: bench/startup.py)")
    print(line("after Enter (answer read as typed)", typed))
    print(line("after Enter (only the card read)", warm))
    print(line("cold (card not read: tutor grade)", cold))
    print(line("LocalModelGrader.grade, as typed", whole))
    if DEFAULT_HEAD_PATH.exists():
        figures = json.loads(DEFAULT_HEAD_PATH.read_text(encoding="utf-8"))["info"].get("figures", {})
        for name, f in figures.items():
            print(f"agreement {name:10} n={f['n']:4}  head {f['accuracy']:.3f} (MAE {f['mae']:.2f})"
                  f"  rules {f['rules_accuracy']:.3f} (MAE {f['rules_mae']:.2f})")


if __name__ == "__main__":
    main()
