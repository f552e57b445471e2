"""Validate the team-written grading corpus, merge it, and split it by subject.

    python training/build_corpus.py            # validate, write corpus.jsonl and splits/
    python training/build_corpus.py --check    # validate only, write nothing

Reads every ``training/corpus/*.jsonl`` file and checks each line: the exact key
set, types, score 0-5, ``correct == (score >= 3)``, a known answer kind, ids
unique across files, one subject per file, and that no card (question or
reference) is taken from the measurement-only dev set. Any problem is printed
as ``file:line: reason`` and the script exits 1 without writing anything.

On success it writes:

- ``training/corpus.jsonl``: every item, files in name order, lines in file order;
- ``training/splits/train.txt`` and ``training/splits/validation.txt``: item ids,
  one per line. The split is by subject (whole subjects are held out), so the
  validation figures measure generalisation to subjects never trained on;
- ``training/splits/subjects.json``: which subjects went where, with counts.

Validation subjects are the ``VALIDATION_FRACTION`` of subjects whose SHA-256 of
their name sorts first: deterministic, independent of file order, and stable
for existing subjects when new ones are added only as long as those sort later.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "training"
CORPUS_DIR = TRAINING / "corpus"
MERGED = TRAINING / "corpus.jsonl"
SPLITS = TRAINING / "splits"
DEV_SET = ROOT.parent / "shared" / "eval" / "grading_dev.jsonl"

KEYS = ("id", "subject", "question", "reference", "answer", "score", "correct", "kind")
KINDS = frozenset({
    "exact", "typo", "paraphrase", "synonym", "partial", "list_partial", "near_miss",
    "wrong_related", "wrong_unrelated", "empty_or_idk", "contradiction", "swapped_roles",
    "negation", "overlong_padding", "numeric", "injection",
})
VALIDATION_FRACTION = 0.2
#: A corpus question or reference this similar (0-100) to a dev card's counts as reused.
DEV_REUSE_SIMILARITY = 92.0


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: the form compared with the dev set."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def check_item(item: object) -> list[str]:
    """The reasons one parsed line is not a valid corpus item (empty when valid)."""
    if not isinstance(item, dict):
        return ["not a JSON object"]
    problems: list[str] = []
    missing = [key for key in KEYS if key not in item]
    extra = sorted(set(item) - set(KEYS))
    if missing:
        problems.append(f"missing keys: {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected keys: {', '.join(extra)}")
    for key in ("id", "subject", "question", "reference", "kind"):
        if key in item and (not isinstance(item[key], str) or not item[key].strip()):
            problems.append(f"{key!r} must be a non-empty string")
    if "answer" in item and not isinstance(item["answer"], str):
        problems.append("'answer' must be a string (it may be empty)")
    score = item.get("score")
    if "score" in item and (isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5):
        problems.append(f"score must be an integer 0-5, got {score!r}")
    if "correct" in item and not isinstance(item["correct"], bool):
        problems.append(f"'correct' must be true or false, got {item['correct']!r}")
    elif isinstance(score, int) and not isinstance(score, bool) and "correct" in item:
        if item["correct"] != (score >= 3):
            problems.append(f"correct={item['correct']} disagrees with score {score} (correct is score >= 3)")
    if isinstance(item.get("kind"), str) and item["kind"] not in KINDS:
        problems.append(f"unknown kind {item['kind']!r}")
    return problems


class DevCards:
    """The dev set's questions and references, to refuse corpus cards copied from them."""

    def __init__(self, path: Path) -> None:
        self.texts: list[str] = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    card = json.loads(line)
                    self.texts.extend({normalise(card["question"]), normalise(card["reference"])})
        self.exact = set(self.texts)

    def reused(self, text: str) -> str | None:
        """The dev text that ``text`` copies, or None."""
        norm = normalise(text)
        if norm in self.exact:
            return norm
        for dev in self.texts:
            if len(norm) > 15 and fuzz.ratio(norm, dev) >= DEV_REUSE_SIMILARITY:
                return dev
        return None


def load_and_validate(corpus_dir: Path, dev_path: Path) -> tuple[list[dict], list[str]]:
    """All items of all files, and every problem found (``file:line: reason``)."""
    files = sorted(corpus_dir.glob("*.jsonl"))
    problems: list[str] = []
    if not files:
        problems.append(f"{corpus_dir}: no *.jsonl files")
    dev = DevCards(dev_path)
    seen_ids: dict[str, str] = {}
    checked_cards: dict[tuple[str, str], str | None] = {}
    items: list[dict] = []
    for path in files:
        subjects: set[str] = set()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            where = f"{path.name}:{number}"
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not valid JSON ({exc.msg})")
                continue
            reasons = check_item(item)
            if reasons:
                problems.extend(f"{where}: {reason}" for reason in reasons)
                continue
            if item["id"] in seen_ids:
                problems.append(f"{where}: duplicate id {item['id']!r} (first at {seen_ids[item['id']]})")
                continue
            seen_ids[item["id"]] = where
            card = (item["question"], item["reference"])
            if card not in checked_cards:
                checked_cards[card] = dev.reused(item["question"]) or dev.reused(item["reference"])
            if checked_cards[card] is not None:
                problems.append(f"{where}: card reuses a dev-set card ({checked_cards[card][:60]!r})")
                continue
            subjects.add(item["subject"])
            items.append(item)
        if len(subjects) > 1:
            problems.append(f"{path.name}: more than one subject: {sorted(subjects)}")
    return items, problems


def split_subjects(subjects: list[str], fraction: float = VALIDATION_FRACTION) -> tuple[list[str], list[str]]:
    """(train subjects, validation subjects): the ``fraction`` whose name hashes lowest is held out."""
    ranked = sorted(subjects, key=lambda name: hashlib.sha256(name.encode("utf-8")).hexdigest())
    count = max(1, round(len(ranked) * fraction)) if len(ranked) > 1 else 0
    return sorted(ranked[count:]), sorted(ranked[:count])


def print_counts(items: list[dict], validation: set[str]) -> None:
    """Items per subject (with correct share and split) and per kind."""
    by_subject: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_subject[item["subject"]].append(item)
    print(f"{'subject':<46} {'split':<6} {'items':>5} {'cards':>5} {'correct':>7}")
    for subject in sorted(by_subject):
        group = by_subject[subject]
        cards = len({(i["question"], i["reference"]) for i in group})
        share = sum(i["correct"] for i in group) / len(group)
        split = "val" if subject in validation else "train"
        print(f"{subject[:46]:<46} {split:<6} {len(group):>5} {cards:>5} {share:>7.0%}")
    kinds = Counter(item["kind"] for item in items)
    correct = Counter(item["kind"] for item in items if item["correct"])
    print(f"\n{'kind':<18} {'items':>5} {'correct':>7}")
    for kind, count in kinds.most_common():
        print(f"{kind:<18} {count:>5} {correct[kind] / count:>7.0%}")
    scores = Counter(item["score"] for item in items)
    print("\nscores: " + "  ".join(f"{s}:{scores[s]}" for s in range(6)))


def write_outputs(items: list[dict], train: list[str], validation: list[str]) -> None:
    """corpus.jsonl, splits/train.txt, splits/validation.txt, splits/subjects.json."""
    MERGED.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    SPLITS.mkdir(exist_ok=True)
    held = set(validation)
    for name, chosen in (("train", [i for i in items if i["subject"] not in held]),
                         ("validation", [i for i in items if i["subject"] in held])):
        (SPLITS / f"{name}.txt").write_text("".join(item["id"] + "\n" for item in chosen), encoding="utf-8")
    counts = Counter(item["subject"] for item in items)
    summary = {
        "method": f"subjects sorted by sha256(name); first {VALIDATION_FRACTION:.0%} held out",
        "train": {subject: counts[subject] for subject in train},
        "validation": {subject: counts[subject] for subject in validation},
    }
    (SPLITS / "subjects.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="folder of *.jsonl files")
    parser.add_argument("--dev", type=Path, default=DEV_SET, help="dev set whose cards must not be reused")
    args = parser.parse_args(argv)
    if not args.dev.is_file():  # without it, copied dev cards would go unnoticed
        print(f"build_corpus: the dev set {args.dev} is missing (it comes from ../shared/eval/; or pass --dev)",
              file=sys.stderr)
        return 2
    items, problems = load_and_validate(args.corpus, args.dev)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"build_corpus: {len(problems)} problem(s); nothing written", file=sys.stderr)
        return 1
    subjects = sorted({item["subject"] for item in items})
    train, validation = split_subjects(subjects)
    print_counts(items, set(validation))
    n_val = sum(item["subject"] in set(validation) for item in items)
    print(f"\n{len(items)} items, {len(subjects)} subjects; "
          f"train {len(items) - n_val} items / {len(train)} subjects, "
          f"validation {n_val} items / {len(validation)} subjects")
    if not args.check:
        write_outputs(items, train, validation)
        print(f"wrote {MERGED.relative_to(ROOT)} and {SPLITS.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
