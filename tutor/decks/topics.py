"""Topics for imported cards: from the source's own structure, else from the deck's key terms.

Importers set ``card.topic`` themselves where the source has structure (section
headings, Brainscape chapter codes such as ``0301``, tags). `assign_topics` fills in
every card still on the default topic, deterministically, with this method:

1. **Terms.** Each card's front and back are split into words; stop words (common
   English, French, Spanish and German function words, flashcard filler such as
   "define" or "example", and everyday English words such as "best" or "problem")
   are dropped; plurals are folded (``networks`` ->
   ``network``). Candidate terms are the remaining words (3+ letters, or 2+ for
   acronyms) and pairs of adjacent remaining words (``gradient descent``). Words of
   the deck title are the deck's subject: they are not terms alone, nor pairs of two
   title words, but may pair with another word (``machine learning`` in a deck
   titled "Deep learning").
2. **Weights.** A term found in a card's front weighs 2 for that card, in the back 1.
   A two-letter acronym counts as the two-word term it abbreviates when the deck
   has exactly one such term (``NN`` -> ``neural network``). Terms that occur in
   fewer than 2 cards, or in more than 30% of the cards (the deck's subject, not a
   topic), are not candidates, nor is a word found mostly inside such a broad pair.
3. **Vocabulary.** Greedy cover: repeatedly pick the term with the largest weight over
   the cards no chosen term covers yet (pairs count 1.5x, so ``neural network``
   beats ``neural``); skip a term that is part of a chosen one or contains one; stop after
   ``max(2, min(10, cards // 5))`` topics or when no term covers 2 uncovered cards.
   Ties break alphabetically, so the same deck always gets the same topics.
4. **Assignment.** Each card gets the vocabulary term with the largest weight times
   ``log(1 + cards / cards with the term)``, so a specific term beats a broad one
   (ties: the term chosen first); a card that matches none gets ``general``.

Topic names are the terms as written in the deck (lower case; acronyms in capitals). The learner can
rename or move cards between topics in the deck file.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from tutor.decks.model import DEFAULT_TOPIC, Card

#: Share of cards above which a term is the deck's subject rather than a topic.
MAX_TERM_SHARE = 0.3
#: Weight of a term found in the front (a back occurrence weighs 1).
FRONT_WEIGHT = 2
#: Bonus factor for two-word terms during vocabulary selection.
PAIR_BONUS = 1.5

_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?", re.UNICODE)
_SENTENCE_BREAK = re.compile(r"[.;:!?()\[\]{}\n,|/=]+")

STOP_WORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another
    any anything are aren't around as at be because been before being below between both but by
    can can't cannot could couldn't did didn't do does doesn't doing don't done down during each
    either else enough even ever every few for from further get gets getting given gives go goes
    going got had has hasn't have haven't having he her here hers herself him himself his how
    however i if in into is isn't it it's its itself just least less let like likely made make
    makes making many may me might more most much must my myself near need needs neither never
    new next no nor not now of off often on once one ones only onto or other others otherwise
    our ours ourselves out over own per perhaps quite rather really same see seen several shall
    she should shouldn't since so some something sometimes still such than that that's the their
    theirs them themselves then there there's these they they're thing things this those though
    through thus to too took toward towards two three under until up upon us usually very via was
    wasn't way ways we well were weren't what what's whatever when whenever where whereas wherever
    whether which while who whom whose why will with within without won't would wouldn't yet you
    your yours yourself yourselves
    above across already among around became become becomes called call calls cause causes
    certain define defined definition describe described description difference different differ
    e.g eg i.e ie etc example examples explain explained first give good great high higher
    important include includes including kind kinds known large last later less list low lower
    main mean meaning means name named note part parts point possible provide role second set show
    shown small state step steps term terms true false type types use used uses using value values
    versus vs yes answer question card cards flashcard flashcards quiz chapter section lesson
    le la les un une des du de et est en dans pour par sur avec que qui au aux ce ces son sa ses
    pas plus ou il elle ils elles nous vous je tu se ne
    el los las una unos unas del y es en por para con que se su sus al lo como más pero
    der die das ein eine einer eines und ist im in den dem des zu mit von auf für nicht sich auch
    """.split()
)
#: Everyday English words that say nothing about a card's subject.
GENERIC_WORDS = frozenset(
    """
    able absolute accept access according account act action actual actually add added adding
    affect again age ago agree ahead aim allow allowed allows alone along alternative amount
    answer anyone apply approach area argument arise ask asked assume attempt available average
    avoid away back bad base based basic become begin beginning behind belong best better big
    bit body book both bottom break bring build built busy came can't care carry case cases
    certain chance change changes check choice choices choose clear close come comes common
    complete completely consider considered contain continue control correct cost could course
    create created current cut deal decide deep depend depending describe detail determine did
    difference different difficult direct directly discuss does doing done due early easy effect
    either else end ends enough ensure entire entry especially even event every everything
    exact exactly except expect explain extra fact fail fair fall far fast feel felt field figure
    final find fine first fit follow following form found free full fully general generally get
    give given go goal going gone good got great group grow half hand happen happens hard help
    helps high hold home idea ideal identify imagine immediately important improve include
    increase indeed instead interest involve involved item items just keep key kind know known
    large last late later lead least leave left less let level lie life light likely limit line
    little live long look looks lose lot low main mainly major make many matter maybe mean
    measure meet method methods might mind minor miss mode modern moment more most move much must
    near necessary need needed never new next nice none normal normally note nothing notice
    number numbers object obtain occur offer old once open order original otherwise outside
    overall own pair part particular pass past pay people per perform perhaps person pick piece
    place plan play point points poor popular position possible power practice prefer present
    pretty prevent previous probably problem problems process produce proper provide pull purpose
    push put quick quickly quite random range rate rather reach read ready real really reason
    receive recent reduce refer related relative relatively remain remember remove require
    required respect rest result results return right rule run same save say second see seem
    seen select send sense separate serve set short show side significant similar simple simply
    since single situation size slightly small smaller some someone something sometimes soon sort
    special specific stand start state still stop strong such suggest support suppose sure take
    taken takes talk task tell tend term terms test than thing things think third though thought
    three through throughout time times today together too top total toward true try turn two
    type typical typically under understand unit unless until upon usage usual value various
    view want way ways whole wide will within without word words work works worse would wrong
    year years yes yet
    """.split()
)


def _fold(word: str) -> str:
    """Lower-case a word and fold a plain English plural to its singular."""
    word = word.lower().replace("’", "'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def _is_content(word: str, raw: str) -> bool:
    lowered = raw.lower().replace("’", "'")
    if lowered in STOP_WORDS or word in STOP_WORDS or lowered in GENERIC_WORDS \
            or word in GENERIC_WORDS:
        return False
    if any(ch.isdigit() for ch in word) and not any(ch.isalpha() for ch in word):
        return False
    if len(raw) >= 3:
        return True
    return len(raw) == 2 and raw.isupper()


def _is_acronym(raw: str) -> bool:
    return 2 <= len(raw) <= 6 and raw.isupper() and raw.isalpha()


def card_terms(text: str, exclude: Iterable[str] = ()) -> tuple[set[str], dict[str, str]]:
    """Candidate terms of ``text`` (folded words and adjacent pairs) and a surface form of each."""
    banned = {_fold(word) for word in exclude}
    terms: set[str] = set()
    surface: dict[str, str] = {}
    for chunk in _SENTENCE_BREAK.split(text):
        run: list[tuple[str, str]] = []
        for match in _WORD.finditer(chunk):
            raw = match.group(0).strip("'’-")
            if not raw:
                continue
            folded = _fold(raw)
            if not _is_content(folded, raw):
                run = []
                continue
            if folded not in banned:
                terms.add(folded)
                surface.setdefault(folded, raw if _is_acronym(raw) else raw.lower())
            if run and not (folded in banned and run[-1][0] in banned):
                pair = f"{run[-1][0]} {folded}"
                terms.add(pair)
                surface.setdefault(pair, f"{run[-1][1]} {raw.lower()}")
            run.append((folded, raw.lower()))
    return terms, surface


def _title_words(title: str) -> set[str]:
    return {match.group(0).lower() for match in _WORD.finditer(title)}


def build_vocabulary(cards: Sequence[Card], title: str = "") -> list[str]:
    """The deck's topic vocabulary (folded terms, in the order chosen); see the module doc."""
    vocabulary, _weights, _surface = _select(cards, title)
    return vocabulary


def _card_weights(
    cards: Sequence[Card], title: str
) -> tuple[list[dict[str, int]], dict[str, Counter[str]]]:
    exclude = _title_words(title)
    weights: list[dict[str, int]] = []
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for card in cards:
        front_terms, front_surface = card_terms(card.front, exclude)
        back_terms, back_surface = card_terms(card.back, exclude)
        card_weight: dict[str, int] = {}
        for term in back_terms:
            card_weight[term] = 1
        for term in front_terms:
            card_weight[term] = FRONT_WEIGHT
        for term, form in {**back_surface, **front_surface}.items():
            surfaces[term][form] += 1
        weights.append(card_weight)
    _merge_acronyms(weights, surfaces)
    return weights, surfaces


def _merge_acronyms(weights: list[dict[str, int]], surfaces: dict[str, Counter[str]]) -> None:
    """Count an acronym as the two-word term it abbreviates (``NN`` -> ``neural network``)."""
    frequency: Counter[str] = Counter()
    for card_weight in weights:
        frequency.update(card_weight.keys())
    pairs: dict[str, list[str]] = defaultdict(list)
    for term in frequency:
        words = term.split()
        if len(words) == 2 and frequency[term] >= 2:
            pairs[words[0][0] + words[1][0]].append(term)
    for term, forms in surfaces.items():
        if " " in term or not forms:
            continue
        form = forms.most_common(1)[0][0]
        if not _is_acronym(form) or len(form) != 2 or len(pairs.get(term, ())) != 1:
            continue
        pair = pairs[term][0]
        for card_weight in weights:
            if term in card_weight:
                card_weight[pair] = max(card_weight.get(pair, 0), card_weight.pop(term))


def _overlaps(term: str, chosen: Iterable[str]) -> bool:
    words = set(term.split())
    return any(words <= set(other.split()) or set(other.split()) <= words for other in chosen)


def _select(
    cards: Sequence[Card], title: str
) -> tuple[list[str], list[dict[str, int]], dict[str, Counter[str]]]:
    weights, surfaces = _card_weights(cards, title)
    count = len(cards)
    frequency: Counter[str] = Counter()
    for card_weight in weights:
        frequency.update(card_weight.keys())
    limit = max(2, int(MAX_TERM_SHARE * count))
    postings: dict[str, list[int]] = defaultdict(list)
    for index, card_weight in enumerate(weights):
        for term in card_weight:
            postings[term].append(index)
    broad_pairs = [term for term, df in frequency.items() if df > limit and " " in term]
    candidates = sorted(
        term for term, df in frequency.items()
        if 2 <= df <= limit and not any(
            term in pair.split() and df <= 1.25 * frequency[pair] for pair in broad_pairs
        )
    )
    max_topics = max(2, min(10, count // 5))
    covered = [False] * count
    vocabulary: list[str] = []
    while len(vocabulary) < max_topics:
        best, best_score = "", 0.0
        for term in candidates:
            uncovered = [i for i in postings[term] if not covered[i]]
            if len(uncovered) < 2 or _overlaps(term, vocabulary):
                continue
            gain = sum(weights[i][term] for i in uncovered)
            score = gain * (PAIR_BONUS if " " in term else 1.0)
            if score > best_score:
                best, best_score = term, score
        if not best:
            break
        vocabulary.append(best)
        candidates.remove(best)
        for index in postings[best]:
            covered[index] = True
        if all(covered):
            break
    return vocabulary, weights, surfaces


def _display(term: str, surfaces: dict[str, Counter[str]]) -> str:
    forms = surfaces.get(term)
    if not forms:
        return term
    best = sorted(forms.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0][0]
    return clean_topic(best, GUESSED_TOPIC_CHARS)


#: The longest topic tutor makes up itself (from key terms or a page's headings).
GUESSED_TOPIC_CHARS = 60


def clean_topic(name: str, limit: int | None = None) -> str:
    """A topic as a card's ``topic:`` line holds it: one line, runs of white space as one
    space, trimmed; cut to ``limit`` characters when given (topics tutor guesses). Commas
    are kept: a card has one topic, and ``Sets, relations and functions`` is one name."""
    text = " ".join(str(name).split())
    if limit is not None:
        text = text[:limit].strip()
    return text or DEFAULT_TOPIC


def needs_topic(card: Card) -> bool:
    """True when the card has no topic of its own yet."""
    return not card.topic.strip() or card.topic == DEFAULT_TOPIC


def assign_topics(cards: Sequence[Card], title: str = "") -> list[str]:
    """Give each card without a topic one from the deck's keyword vocabulary.

    Cards that already have a topic (from the source's structure) keep it and take
    no part in building the vocabulary. Returns the topics in use, first-seen order.
    """
    pending = [card for card in cards if needs_topic(card)]
    if pending:
        vocabulary, weights, surfaces = _select(pending, title)
        names = {term: _display(term, surfaces) for term in vocabulary}
        frequency: Counter[str] = Counter()
        for card_weight in weights:
            frequency.update(term for term in card_weight if term in names)
        rarity = {term: math.log(1 + len(pending) / max(1, frequency[term])) for term in names}
        for card, card_weight in zip(pending, weights):
            best, best_weight = "", 0.0
            for term in vocabulary:
                weight = card_weight.get(term, 0) * rarity[term]
                if weight > best_weight:
                    best, best_weight = term, weight
            card.topic = names[best] if best else DEFAULT_TOPIC
    for card in cards:
        card.topic = clean_topic(card.topic, GUESSED_TOPIC_CHARS)
    seen: dict[str, None] = {}
    for card in cards:
        seen.setdefault(card.topic, None)
    return list(seen)


def fill_missing_topics(cards: list[Card], title: str = "") -> None:
    """Cards the source left without a topic get one from `assign_topics`; every topic is
    cleaned to one line. A topic the source gave (even ``general``) is kept whole, commas
    and all, so a deck tutor exported reads back with the same topics."""
    missing = [card for card in cards if not card.topic.strip()]
    if missing:
        assign_topics(missing, title)
    for card in cards:
        card.topic = clean_topic(card.topic)


__all__ = [
    "GUESSED_TOPIC_CHARS",
    "STOP_WORDS",
    "assign_topics",
    "build_vocabulary",
    "card_terms",
    "clean_topic",
    "fill_missing_topics",
    "needs_topic",
]
