"""Grading quality and speed: accuracy, macro-F1, score MAE, per-kind errors, latency.

Graders compared on the labelled dev set (../shared/eval/grading_dev.jsonl) and, when it
exists, the training corpus (training/corpus/*.jsonl, other subjects):

  rules       the RulesGrader alone
  policy      the default policy build_grader(Settings()) would use: rules first, then
              the local model (Qwen2.5-Coder-1.5B judge + the fitted head)
  llm         with --model PATH or --server URL: that model alone, a generated JSON verdict
  policy+llm  with --model or --server: rules first, that model refining (what naming it gives)

Also: idk/empty answers that pass (must be 0) and the injection suite (must be held).

    python bench/grading.py --no-corpus          # rules and the default policy on dev (minutes)
    python bench/grading.py                      # and on the corpus (its policy row: ~2 h on 2 cores)
    python bench/grading.py --graders rules      # the rules alone (seconds)
    python bench/grading.py --model PATH --llm-limit 60 --threads 2   # adds the llm rows
    python bench/grading.py --server http://127.0.0.1:8080   # model rows via a server instead
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.grading.base import GradeRequest, GradeResult, Grader, GradingError  # noqa: E402
from tutor.grading.factory import build_grader  # noqa: E402
from tutor.grading.llamacpp import LlamaCppGrader  # noqa: E402
from tutor.grading.policy import GradingPolicy  # noqa: E402
from tutor.grading.rules import RulesGrader  # noqa: E402
from tutor.grading.safety import injection_held  # noqa: E402
from tutor.grading.server import ServerGrader  # noqa: E402
from tutor.settings import Settings  # noqa: E402

DEV_SET = ROOT.parent / "shared" / "eval" / "grading_dev.jsonl"
CORPUS = ROOT / "training" / "corpus"


@dataclass
class Row:
    """One grader on one data set."""

    grader: str
    dataset: str
    n: int = 0
    correct: int = 0
    errors: int = 0
    abs_error: float = 0.0
    latencies: list[float] = field(default_factory=list)
    confusion: Counter = field(default_factory=Counter)
    kind_errors: Counter = field(default_factory=Counter)
    kind_total: Counter = field(default_factory=Counter)
    idk_passed: int = 0

    def add(self, item: dict, result: GradeResult | None, seconds: float) -> None:
        self.n += 1
        self.kind_total[item["kind"]] += 1
        self.latencies.append(seconds)
        if result is None:
            self.errors += 1
            predicted, score = False, 0
        else:
            predicted, score = result.correct, result.score
        gold = bool(item["correct"])
        self.confusion[(gold, predicted)] += 1
        self.abs_error += abs(score - int(item["score"]))
        if predicted == gold:
            self.correct += 1
        else:
            self.kind_errors[item["kind"]] += 1
        if item["kind"] == "empty_or_idk" and predicted:
            self.idk_passed += 1

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def macro_f1(self) -> float:
        scores = []
        for positive in (True, False):
            tp = self.confusion[(positive, positive)]
            fp = self.confusion[(not positive, positive)]
            fn = self.confusion[(positive, not positive)]
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        return sum(scores) / 2

    @property
    def mae(self) -> float:
        return self.abs_error / self.n if self.n else 0.0

    def latency_ms(self) -> tuple[float, float]:
        if not self.latencies:
            return 0.0, 0.0
        ordered = sorted(self.latencies)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return statistics.mean(ordered) * 1000, p95 * 1000


def load_items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_corpus() -> list[dict]:
    items: list[dict] = []
    for name in sorted(glob.glob(str(CORPUS / "*.jsonl"))):
        for line in Path(name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
    return [i for i in items if {"question", "reference", "answer", "score", "correct", "kind"} <= set(i)]


def sample(items: list[dict], limit: int, seed: int = 7) -> list[dict]:
    """Up to ``limit`` items, spread evenly over kinds (deterministic)."""
    if limit <= 0 or len(items) <= limit:
        return items
    rng = random.Random(seed)
    by_kind: dict[str, list[dict]] = {}
    for item in items:
        by_kind.setdefault(item["kind"], []).append(item)
    for group in by_kind.values():
        rng.shuffle(group)
    chosen: list[dict] = []
    while len(chosen) < limit:
        for group in by_kind.values():
            if group and len(chosen) < limit:
                chosen.append(group.pop())
    return chosen


def request_of(item: dict) -> GradeRequest:
    return GradeRequest(item["question"], item["reference"], item["answer"],
                        tuple(item.get("alternatives") or ()))


def run_grader(name: str, grader: Grader, items: list[dict], dataset: str,
               cache: dict | None = None) -> Row:
    """Grade every item; a `GradingError` counts as a wrong verdict (and as an error)."""
    row = Row(name, dataset)
    for item in items:
        started = time.perf_counter()
        try:
            result: GradeResult | None = grader.grade(request_of(item))
        except GradingError:
            result = None
        seconds = time.perf_counter() - started
        if cache is not None:
            cache[item["id"]] = (result, seconds)
        row.add(item, result, seconds)
    return row


class CachedModel:
    """Replays verdicts already computed for the llm row (so policy+llm needs no second pass)."""

    def __init__(self, name: str, cache: dict, items: list[dict]) -> None:
        self.name = name
        self.by_request = {request_of(i): cache[i["id"]] for i in items if i["id"] in cache}
        self.spent = 0.0

    def grade(self, request: GradeRequest) -> GradeResult:
        result, seconds = self.by_request[request]
        self.spent += seconds
        if result is None:
            raise GradingError("model failed on this item")
        return result


def run_policy_with_model(policy: GradingPolicy, model: CachedModel, items: list[dict], dataset: str) -> Row:
    row = Row("policy+llm", dataset)
    for item in items:
        before = model.spent
        started = time.perf_counter()
        result = policy.grade(request_of(item))
        seconds = time.perf_counter() - started + (model.spent - before)
        row.add(item, result, seconds)
    return row


def injection_report(grader: Grader, items: list[dict], limit: int) -> tuple[int, int]:
    """(held, tried) over distinct answers: no injected variant may score above the plain answer."""
    seen: set[tuple[str, str]] = set()
    held = tried = 0
    for item in items:
        key = (item["reference"], item["answer"])
        if key in seen or item["kind"] == "injection":
            continue
        seen.add(key)
        tried += 1
        held += not injection_held(grader, request_of(item))
        if tried >= limit:
            break
    return held, tried


def print_table(rows: list[Row]) -> None:
    header = (f"{'grader':12} {'set':8} {'n':>5} {'acc':>6} {'macroF1':>8} {'MAE':>5} {'err':>4} "
              f"{'idk_pass':>8} {'mean_ms':>9} {'p95_ms':>9}")
    print(header)
    print("-" * len(header))
    for row in rows:
        mean, p95 = row.latency_ms()
        print(f"{row.grader:12} {row.dataset:8} {row.n:5d} {row.accuracy:6.3f} {row.macro_f1:8.3f} "
              f"{row.mae:5.2f} {row.errors:4d} {row.idk_passed:8d} {mean:9.2f} {p95:9.2f}")
    print()
    print("wrong verdicts per kind (errors/total):")
    for row in rows:
        kinds = " ".join(f"{k}:{row.kind_errors[k]}/{row.kind_total[k]}" for k in sorted(row.kind_total))
        print(f"  {row.grader:12} {row.dataset:8} {kinds}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graders", help="comma-separated (default: rules,policy, and llm,policy+llm"
                        " with --model or --server)")
    parser.add_argument("--model", help="GGUF for the llm rows (LlamaCppGrader)")
    parser.add_argument("--server", help="OpenAI-compatible server for the model rows instead")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--gpu-layers", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per model grade")
    parser.add_argument("--max-tokens", type=int, default=40,
                        help="tokens a model verdict may use (the score comes first; feedback is cut)")
    parser.add_argument("--llm-limit", type=int, default=0,
                        help="items per data set for the model rows (0 = all dev, 96 of the corpus)")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--injection-limit", type=int, default=40, help="answers tried per grader")
    args = parser.parse_args()
    graders = args.graders or ("rules,policy,llm,policy+llm" if args.model or args.server
                               else "rules,policy")
    wanted = [g.strip() for g in graders.split(",") if g.strip()]

    if not DEV_SET.is_file():
        sys.exit(f"bench/grading.py: the dev set {DEV_SET} is missing "
                 "(it comes from ../shared/eval/, next to the repo)")
    datasets = [("dev", load_items(DEV_SET))]
    corpus = [] if args.no_corpus else load_corpus()
    if corpus:
        datasets.append(("corpus", corpus))
    model: Grader | None = None
    if {"llm", "policy+llm"} & set(wanted):
        if args.server:
            model = ServerGrader(args.server, timeout=args.timeout, max_tokens=args.max_tokens)
        else:
            if not args.model:
                sys.exit("the llm rows need a model: pass --model PATH or --server URL")
            model = LlamaCppGrader(Path(args.model), threads=args.threads, gpu_layers=args.gpu_layers,
                                   timeout=args.timeout, n_ctx=2048, max_tokens=args.max_tokens)
    rules = RulesGrader()
    default_policy = build_grader(Settings())
    rows: list[Row] = []
    injections: list[tuple[str, int, int]] = []
    for dataset, items in datasets:
        model_items = items
        if dataset == "corpus":
            model_items = sample(items, args.llm_limit or 96)
        elif args.llm_limit:
            model_items = sample(items, args.llm_limit)
        cache: dict = {}
        for name in wanted:
            started = time.perf_counter()
            if name == "rules":
                rows.append(run_grader("rules", rules, items, dataset))
            elif name == "policy":
                rows.append(run_grader("policy", default_policy, items, dataset))
            elif name == "llm" and model is not None:
                label = f"{dataset}*" if model_items is not items else dataset
                rows.append(run_grader("llm", model, model_items, label, cache))
            elif name == "policy+llm" and model is not None:
                if not cache:
                    run_grader("llm", model, model_items, dataset, cache)
                replay = CachedModel(model.name, cache, model_items)
                label = f"{dataset}*" if model_items is not items else dataset
                rows.append(run_policy_with_model(GradingPolicy(rules, [replay]), replay, model_items, label))
                # the same items under the rules alone, for a like-for-like comparison
                if model_items is not items:
                    rows.append(run_grader("rules", rules, model_items, label))
            print(f"  {name} on {dataset}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
        if dataset == "dev":
            for name, grader in (("rules", rules), ("policy", default_policy)):
                if name in wanted:
                    held, tried = injection_report(grader, items, args.injection_limit)
                    injections.append((name, held, tried))
    if model is not None and "llm" in wanted:
        held, tried = injection_report(model, datasets[0][1], min(args.injection_limit, 8))
        injections.append(("llm", held, tried))
    print(f"model: {model.name if model else 'none'}   (* = the model rows' sample of that set)")
    print(f"default policy: {'; '.join(default_policy.notes)}")
    print()
    print_table(rows)
    print()
    for name, held, tried in injections:
        print(f"injection suite, {name}: held on {held}/{tried} answers x {len(injection_templates())} attacks")


def injection_templates() -> tuple[str, ...]:
    from tutor.grading.safety import INJECTION_TEMPLATES

    return INJECTION_TEMPLATES


if __name__ == "__main__":
    main()
