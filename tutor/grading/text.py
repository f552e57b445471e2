"""Text normalisation for grading: folding, tokens with negation marks, word matching.

Everything here is deterministic and cheap (word comparisons are cached), so the rules
grader stays within a few milliseconds per answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz.distance import OSA

from tutor.grading.lexicon import (
    ABSOLUTES,
    ADJECTIVE_ENDINGS,
    ADJECTIVE_ONLY_PREFIXES,
    ANTONYM_PAIRS,
    ANTONYM_PREFIXES,
    ANTONYM_SUFFIXES,
    LONG_REST_PREFIXES,
    NEGATING_PREFIXES,
    NEGATION_CUES,
    NEGATION_SKIP,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    PHRASES,
    PREVENTION_CUES,
    SHORTHAND,
    STOPWORDS,
    SYNONYM_GROUPS,
)

# --------------------------------------------------------------------------- folding

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2013": " - ", "\u2014": " - ", "\u2212": "-", "\u2044": "/", "\u2215": "/",
        "\u00d7": " x ", "\u00f7": " / ", "\u2192": " -> ", "\u21d2": " -> ", "\u2190": " <- ",
        "\u00b1": " plus or minus ", "\u2248": " approximately ", "\u2264": " <= ", "\u2265": " >= ",
        "\u00b7": " ", "\u2022": "\n", "\u25cf": "\n", "\u00a0": " ", "\u200b": "",
        "\u00b2": "^2", "\u00b3": "^3", "\u00b9": "^1", "\u2070": "^0", "\u2074": "^4",
        "\u2075": "^5", "\u2076": "^6", "\u2077": "^7", "\u2078": "^8", "\u2079": "^9",
        "\u207b": "^-", "\u221a": " sqrt ", "\u221e": " infinity ", "\u00b0": " degrees ",
        "\u03b1": " alpha ", "\u03b2": " beta ", "\u03b3": " gamma ", "\u03b4": " delta ",
        "\u0394": " delta ", "\u03b5": " epsilon ", "\u03b8": " theta ", "\u03bb": " lambda ",
        "\u03bc": " mu ", "\u00b5": " mu ", "\u03c0": " pi ", "\u03c1": " rho ", "\u03c3": " sigma ",
        "\u03a3": " sigma ", "\u03c4": " tau ", "\u03c6": " phi ", "\u03c9": " omega ",
        "\u03a9": " ohm ", "\u03c7": " chi ", "\u03b7": " eta ", "\u03bd": " nu ",
    }
)

_CONTRACTIONS = (
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bshan'?t\b"), "shall not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"\bain'?t\b"), "is not"),
    (re.compile(
        r"\b(do|does|did|is|are|was|were|could|would|should|must|need|has|have|had|might)n'?t\b"),
     r"\1 not"),
    (re.compile(r"(?<=[a-z])n't\b"), " not"),
    (re.compile(r"(?<=[a-z])'re\b"), " are"),
    (re.compile(r"(?<=[a-z])'ve\b"), " have"),
    (re.compile(r"(?<=[a-z])'ll\b"), " will"),
    (re.compile(r"(?<=[a-z])'m\b"), " am"),
    (re.compile(r"\b(it|that|there|what|he|she|who)'s\b"), r"\1 is"),
    (re.compile(r"(?<=[a-z])'s\b"), ""),
    (re.compile(r"(?<=[a-z]s)'(?=\s|$)"), ""),
)

_SHORTHAND_SLASH = (
    (re.compile(r"\bw/o\b"), " without "),
    (re.compile(r"\bb/c\b"), " because "),
    (re.compile(r"\bb/w\b"), " between "),
    (re.compile(r"\bw/(?=\s|[a-z])"), " with "),
    (re.compile(r"\bno\.(?=\s*\d)"), " number "),
)
_PHRASES = tuple((re.compile(pattern), replacement) for pattern, replacement in PHRASES)
_NEG_PREFIX_JOIN = re.compile(r"\b(?:(non|anti|un|de|counter)-|(non) )(?=[a-z]{3,})")
_PLUS_WORDS = re.compile(r"(?<=[a-z])\s*\+\s*(?=[a-z]{2,})")
_AMP = re.compile(r"\s*&\s*")


# --------------------------------------------------------------------------- scripts
#
# Words of every script are words. Scripts written without spaces (Chinese, Japanese,
# Thai, Lao, Khmer, Myanmar, Tibetan) give one token per run of their letters; such a
# token matches a reference word it contains ("首都是北京" holds "北京"). Accents and the
# optional vowel points of Arabic and Hebrew are removed, but not the vowel signs and
# viramas of Indic and South-East Asian scripts (they spell the word) nor the voicing
# marks of kana (か/が).

#: Letters of the scripts written without spaces between words.
_JOINED = ("\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff"
           "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f")
_JOINED_CHAR = re.compile(f"[{_JOINED}]")
#: Chinese characters and kana: one of them carries a syllable, so fewer slips are forgiven.
_IDEOGRAPHIC = re.compile("[\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                          "\uf900-\ufaff\U00020000-\U0003134f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def _mark_class() -> str:
    """A regex class of the combining marks (Mn, Mc, Me) of the blocks that have them;
    Python's \\w does not match them, so 'दिल्ली' would fall apart into 'द', 'ल', 'ल'."""
    marks = [c for start, end in ((0x0300, 0x1DFF), (0x20D0, 0x20FF), (0x302A, 0x302F), (0x3099, 0x309A),
                                  (0xA66F, 0xA69F), (0xA800, 0xABFF), (0xFE20, 0xFE2F))
             for c in range(start, end + 1) if unicodedata.category(chr(c))[0] == "M"]
    ranges: list[list[int]] = []
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(f"\\u{a:04x}" + (f"-\\u{b:04x}" if b > a else "") for a, b in ranges)


_MARKS = _mark_class()


def _kept_mark(char: str) -> bool:
    """Marks that spell the word: Indic and South-East Asian vowel signs and viramas, kana voicing."""
    return "\u0900" <= char <= "\u109f" or "\u1780" <= char <= "\u17ff" or char in "\u3099\u309a"


_GREEK_WORD = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff][\u0300-\u036f\u0370-\u03ff\u1f00-\u1fff]+")


def _plain(text: str) -> str:
    """`_CHAR_MAP` applied, except inside Greek words: a lone 'λ' is 'lambda', 'Αθήνα' stays Greek."""
    if not _GREEK_WORD.search(text):
        return text.translate(_CHAR_MAP)
    parts: list[str] = []
    last = 0
    for match in _GREEK_WORD.finditer(text):
        parts += [text[last:match.start()].translate(_CHAR_MAP), match.group()]
        last = match.end()
    parts.append(text[last:].translate(_CHAR_MAP))
    return "".join(parts)


def fold(text: str) -> str:
    """Case folded, accents removed, typographic marks made plain, contractions expanded.

    Compatibility forms are unified (NFKC: half-width katakana, ligatures, full-width
    letters) and 'ß' is 'ss'.
    """
    text = _plain(text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not (unicodedata.combining(c) and not _kept_mark(c)))
    text = unicodedata.normalize("NFC", text)
    text = _plain(text).casefold()
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


_SCIENTIFIC = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:x|\*)\s*10\s*\^\s*(-?\d{1,2})\b")


def _expand_scientific(match: re.Match[str]) -> str:
    value = float(match.group(1)) * 10 ** int(match.group(2))
    return " " + (f"{value:.8f}".rstrip("0").rstrip(".") or "0") + " "


#: A list marker before a word: '1)' or '(3)' after a space; '1.' at the start of a line or
#: after a colon ('costs 1. then' ends a sentence with a number), a later '2.' after a space.
_ITEM_MARKER = re.compile(
    r"(?:(?:^|(?<=[\s:;]))\(?(\d{1,2})\)|(?:^|(?<=\n)|(?<=:))[ \t]*(\d{1,2})\.|(?<=\s)(\d{1,2})\.)"
    r"(?=[ \t]+[a-z(\"'])", re.MULTILINE)


def strip_enumeration(text: str) -> str:
    """List numbering ('1) determine the limits 2) take logs') made line breaks: markers
    that count 1, 2, 3... are enumeration, not numbers an answer must state or match.
    A lone '1.' or a run that does not start at 1 is left alone (it may be the answer)."""
    if "1" not in text:
        return text
    accepted: list[re.Match[str]] = []
    for match in _ITEM_MARKER.finditer(text):
        value = int(match.group(1) or match.group(2) or match.group(3))
        if value == len(accepted) + 1 and (value > 1 or match.group(3) is None):
            accepted.append(match)
    if len(accepted) < 2:
        return text
    parts: list[str] = []
    last = 0
    for match in accepted:
        parts += [text[last:match.start()], "\n"]
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def normalise(text: str) -> str:
    """`fold` plus shorthand and phrase rewriting (go up -> increases), ready for tokens."""
    text = strip_enumeration(fold(text))
    text = _SCIENTIFIC.sub(_expand_scientific, text)
    for pattern, replacement in _SHORTHAND_SLASH:
        text = pattern.sub(replacement, text)
    text = _AMP.sub(" and ", text)
    text = _PLUS_WORDS.sub(" and ", text)
    text = _NEG_PREFIX_JOIN.sub(lambda m: m.group(1) or m.group(2), text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


# --------------------------------------------------------------------------- stems

_DERIVATIONAL = frozenset(
    """
    e s es ed ing er ers or ors ion ions ation ations ition itions ize izes ized izing ization
    izations al ally ly ity ities ive ively ivity ment ments ness ic ics ical ically ism isms ist
    ists y ies ied ous ously ance ances ence ences ant ants ent ents ency ancy able ably ible
    ibility ability ure ures ature ial ially ian ians ful fully ship ate ated ates ating ator
    ators atory ative atively istic istics ty age ages ary ery est ier iest ily ify ified ifies
    ification tion tions sion sions ative ization ise ised ising isation
    """.split()
)
_DOUBLE = re.compile(r"([bcdfgkmnprtv])\1$")
_VOWELS = set("aeiou")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem: plurals and -ed/-ing removed, British spelling folded, final e dropped."""
    w = word
    if not w.isascii():
        return _script_stem(w)
    if len(w) <= 2 or not w.isalpha():
        return w
    if len(w) > 7:
        w = re.sub(r"([ae])ll(ed|ing|er|ers)$", r"\1l\2", w)
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    if w.endswith("ing") and len(w) - 3 >= 2:
        w = w[:-3]
        if _DOUBLE.search(w):
            w = w[:-1]
    elif w.endswith("ed") and len(w) - 2 >= 2 and not w.endswith("eed"):
        w = w[:-2]
        if _DOUBLE.search(w):
            w = w[:-1]
    if len(w) >= 5:
        w = re.sub(r"(?<=[a-z]{3})is(e|er|ation|ations)?$", r"iz\1", w)
        w = re.sub(r"(?<=[a-z]{2})ys(e|is)?$", r"yz\1", w)
        w = re.sub(r"([^aeiou])our$", r"\1or", w)
        w = re.sub(r"([aeiou][a-z])tre$", r"\1ter", w)
    if w.endswith("ly") and len(w) - 2 >= 4 and not w.endswith("ply"):
        w = w[:-2]
    if w.endswith("e") and len(w) >= 3:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


_ARABIC_LETTERS = str.maketrans({"\u0629": "\u0647", "\u0649": "\u064a", "\u0640": ""})


def _script_stem(word: str) -> str:
    """The key of a word in another script: itself, except that Arabic drops the article
    al- and writes taa marbuta as haa and alif maqsura as yaa (common spelling variants)."""
    if "\u0600" <= word[:1] <= "\u06ff":
        word = word.translate(_ARABIC_LETTERS)
        if word.startswith("\u0627\u0644") and len(word) > 4:
            word = word[2:]
    return word


def _build_groups() -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for number, group in enumerate(SYNONYM_GROUPS):
        for word in group:
            groups.setdefault(stem(word), set()).add(number)
    return {key: frozenset(value) for key, value in groups.items()}


_SYNONYMS = _build_groups()
_PREVENTION_STEMS = frozenset(stem(word) for word in PREVENTION_CUES)
_ANTONYMS: dict[str, set[str]] = {}
for _a, _b in ANTONYM_PAIRS:
    for _x, _y in ((_a, _b), (_b, _a)):
        _ANTONYMS.setdefault(stem(_x), set()).add(stem(_y))
        _ANTONYMS.setdefault(_x, set()).add(_y)


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Token:
    """One word or number of a text, with what the grader needs to know about it."""

    text: str
    """The folded surface form ('convolutional')."""
    key: str
    """The stem used for matching ('convolut'); for numbers a canonical string."""
    index: int
    clause: int
    """Index of the clause (split at punctuation and conjunctions) it belongs to."""
    number: float | None = None
    percent: bool = False
    stop: bool = False
    negated: bool = False
    clause_negated: bool = False
    """An odd number of negation cues anywhere in this token's clause."""
    negation_head: bool = False
    """The word a negation cue stands right before ('does not *overfit*', 'no *overfitting*'):
    the event itself is denied, not a relation to it ('not *for* choking')."""
    prevented: bool = False
    """Said to be kept from happening ('prevents *overfitting*'): a negative meaning that
    an answer's negation ('does not overfit') restates rather than contradicts."""

    @property
    def content(self) -> bool:
        """True for words and numbers that carry meaning (not stop words)."""
        return not self.stop


_TOKEN_RE = re.compile(
    # A number glued to a word of another script is still a number ("水在100度沸腾"):
    # only Latin letters, digits and '_' before it make it part of a word.
    r"(?P<num>(?<![a-z0-9_.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?(?![a-z0-9_])"
    r"|(?<![a-z0-9_./])(?:1[0-2]|[1-9])/(?:1[0-2]|[2-9])(?![\d/])"
    r"|(?<![a-z0-9_.])-?\d+(?:\.\d+)?%?(?![a-z0-9]))"
    r"|(?P<alnum>\d+(?:\.\d+)?[a-z][a-z0-9]*)"
    r"|(?P<word>[a-z][a-z0-9]*+(?:'[a-z]++)?(?![^\W\x00-\x7f]|[" + _MARKS + r"]))"
    r"|(?P<joined>[" + _JOINED + r"]+)"
    r"|(?P<uword>(?:(?![" + _JOINED + r"])[^\W\d_]|[" + _MARKS + r"])"
    r"(?:(?![" + _JOINED + r"])[^\W_]|[" + _MARKS + r"])*)"
    r"|(?P<sym>[/=<>^]|->|<-)"
    r"|(?P<brk>[.;:!?,()\[\]\n\"\u3001\u3002\u060c\u061f\u0964\u0965]|\s-\s)"
)
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
_ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}|xiv|xv|xvi{1,3}|xix|xx)$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
#: How many content words after a negation cue it applies to (within the clause).
NEGATION_SCOPE = 4
_CLAUSE_WORDS = frozenset(
    {"but", "while", "whereas", "however", "although", "though", "whilst", "because",
     "so", "which", "and", "or", "then", "therefore", "thus", "hence", "otherwise", "whereby",
     "when", "if", "since", "unless"}
)


def _roman_value(text: str) -> int:
    total = 0
    previous = 0
    for char in reversed(text):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def _parse_number(raw: str) -> tuple[float, bool] | None:
    percent = raw.endswith("%")
    body = raw.rstrip("%").replace(",", "")
    try:
        if "/" in body:
            top, bottom = body.split("/", 1)
            value = float(top) / float(bottom) if float(bottom) else float(top)
        else:
            value = float(body)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None  # a 400-digit "number" is not one
    return value, percent


def number_key(value: float) -> str:
    """A canonical string for a number (so 1, 1.0 and one share a key)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def tokenize(text: str, *, normalised: bool = False) -> list[Token]:
    """Tokens of ``text`` with clause indices, stop-word and negation marks."""
    return list(_tokenize(text, normalised))


@lru_cache(maxsize=4096)
def _tokenize(text: str, normalised: bool) -> tuple[Token, ...]:
    return tuple(_tokens(text if normalised else normalise(text)))


def _tokens(text: str) -> list[Token]:
    raw: list[tuple[str, str]] = []  # (kind, value)
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind in ("joined", "uword"):
            kind = "word"  # a word of another script: never shorthand, a number word or an ordinal
        if kind == "alnum":
            ordinal = _ORDINAL.match(value)
            unit = re.match(r"^(\d+(?:\.\d+)?)([a-z]+)$", value)
            dims = re.match(r"^(\d+)x(\d+)$", value)
            if dims:
                raw.extend([("num", dims.group(1)), ("brk", ","), ("num", dims.group(2))])
            elif ordinal and int(ordinal.group(1)) in ORDINAL_WORDS:
                raw.append(("word", ORDINAL_WORDS[int(ordinal.group(1))]))
            elif unit and unit.group(2) == "s":
                raw.append(("num", unit.group(1)))
            elif unit and unit.group(2) in _SCALE_SUFFIX:
                raw.append(("num", str(float(unit.group(1)) * _SCALE_SUFFIX[unit.group(2)])))
            elif unit and (len(unit.group(2)) >= 2 or unit.group(2) in _UNIT_LETTERS) and unit.group(2) not in {
                    "st", "nd", "rd", "th"}:
                raw.append(("num", unit.group(1)))
                raw.append(("word", unit.group(2)))
            else:
                raw.append(("word", value))
        elif kind == "word" and value in SHORTHAND:
            for part in SHORTHAND[value].split():
                raw.append(("word", part))
        elif kind == "word" and "'" in value:
            for part in value.split("'"):
                if part:
                    raw.append(("word", part))
        else:
            raw.append((kind, value))
    roman_heads = {raw[i - 1][1] for i, (kind, value) in enumerate(raw)
                   if i and kind == "word" and len(value) >= 2 and _ROMAN.match(value)
                   and raw[i - 1][0] == "word" and raw[i - 1][1] not in STOPWORDS}
    tokens: list[Token] = []
    clause = 0
    pending_negation = pending_prevention = 0
    awaiting_head = just_cued = False
    cues: dict[int, int] = {}
    for i, (kind, value) in enumerate(raw):
        if kind in ("brk", "sym"):
            if kind == "brk" and value not in ('"',):
                clause += 1
                pending_negation = pending_prevention = 0
            continue
        if kind == "word" and (value in _CLAUSE_WORDS or value in _PREVENTION_STOPS):
            pending_prevention = 0
        if kind == "word" and value in _CLAUSE_WORDS:
            clause += 1
            pending_negation = 0
        number: float | None = None
        percent = False
        text_value = value
        if kind == "num":
            parsed = _parse_number(value)
            if parsed is None:
                continue
            number, percent = parsed
        elif value in NUMBER_WORDS:
            number = float(NUMBER_WORDS[value])
        elif _ROMAN.match(value) and i and raw[i - 1][0] == "word" and (
            (len(value) >= 2 and raw[i - 1][1] not in STOPWORDS) or raw[i - 1][1] in roman_heads
        ):
            number = float(_roman_value(value))
        standalone = value == "no" and (i == 0 or raw[i - 1][0] == "brk") and (
            i + 1 == len(raw) or raw[i + 1][0] == "brk")
        if kind == "word" and value in NEGATION_CUES and not standalone:
            previous = raw[i - 1][1] if i else ""
            if not (value == "no" and previous in {"or", "yes"}):
                pending_negation = NEGATION_SCOPE
                cues[clause] = cues.get(clause, 0) + 1
                awaiting_head = just_cued = True
            continue
        stop = number is None and value in STOPWORDS and not _in_formula(raw, i)
        if pending_negation < NEGATION_SCOPE and value in _COPULAS:
            pending_negation = 0
        negated = False
        if pending_negation and not stop and value not in NEGATION_SKIP:
            negated = True
            pending_negation -= 1
        negation_head = awaiting_head and negated
        if negation_head or (awaiting_head and value not in _NEGATION_HEAD_SKIP):
            awaiting_head = False
        if just_cued and (stop or value in ABSOLUTES):
            negated = True  # 'not *always*', 'without *any*': an absolute denied, not claimed
        just_cued = False
        prevented = False
        if kind == "word" and stem(value) in _PREVENTION_STEMS:
            pending_prevention = PREVENTION_SCOPE
        elif pending_prevention and not stop and value not in NEGATION_SKIP:
            prevented = True
            pending_prevention -= 1
        if (number is not None and value in _UNITS and tokens and tokens[-1].text in _TENS
                and tokens[-1].clause == clause and i and raw[i - 1][1] in _TENS):
            previous_token = tokens.pop()
            number = (previous_token.number or 0) + number
            text_value = f"{previous_token.text}-{value}"
            negated = previous_token.negated
        elif (number is not None and value in _MULTIPLIERS and tokens and tokens[-1].number is not None
                and tokens[-1].clause == clause and not tokens[-1].percent):
            previous_token = tokens.pop()
            number = (previous_token.number or 0) * number
            text_value = f"{previous_token.text} {value}"
            negated = previous_token.negated
        key = number_key(number) if number is not None else stem(text_value)
        tokens.append(Token(text_value, key, len(tokens), clause, number, percent, stop, negated,
                            negation_head=negation_head, prevented=prevented))
    if cues:
        tokens = [
            replace(t, clause_negated=True) if cues.get(t.clause, 0) % 2 else t for t in tokens
        ]
    return tokens


_COPULAS = frozenset({"is", "are", "was", "were"})
#: How many content words after a prevention verb ('prevents the network from overfitting')
#: it applies to; a means or a time ('by', 'during') ends it sooner.
PREVENTION_SCOPE = 3
#: Words that may stand between a negation cue and the word it denies ('does not *ever* overfit').
_NEGATION_HEAD_SKIP = frozenset({"a", "an", "the", "any", "be", "been", "being", "ever", "really", "always",
                                 "necessarily", "even", "get", "gets", "have", "has", "do", "does", "did"})
_PREVENTION_STOPS = frozenset({"by", "through", "via", "with", "using", "during", "in", "at", "for", "when", "while"})
_MULTIPLIERS = frozenset({"hundred", "thousand", "million", "billion", "trillion", "dozen"})
_TENS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
_UNITS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"})
_SCALE_SUFFIX = {"k": 1e3, "bn": 1e9}
_UNIT_LETTERS = frozenset({"g", "m", "s", "l", "v", "w", "j", "h", "c", "f"})


def _in_formula(raw: list[tuple[str, str]], i: int) -> bool:
    """A one-letter word used as a symbol: 'P(A)', 'a = b', '2a'."""
    if len(raw[i][1]) != 1:
        return False
    before = raw[i - 1][1] if i else ""
    after = raw[i + 1][1] if i + 1 < len(raw) else ""
    return before in {"(", "=", "^", "/"} or after in {")", "=", "^", "/"}


def content_tokens(tokens: list[Token]) -> list[Token]:
    """The tokens that carry meaning."""
    return [t for t in tokens if t.content]


# --------------------------------------------------------------------------- word matching

EXACT = 1.0
SYNONYM = 0.95
FAMILY = 0.95
TYPO = 0.9
ABBREVIATION = 0.85


def _allowed_edits(length: int) -> int:
    if length < 4:
        return 0
    if length < 8:
        return 1
    return 2


def _family(a: str, b: str) -> bool:
    """Same word family: a shared stem of >= 4 letters plus known derivational endings."""
    limit = min(len(a), len(b))
    common = 0
    while common < limit and a[common] == b[common]:
        common += 1
    if common < 4:
        return False
    for cut in range(common, 3, -1):
        if a[cut:] in _DERIVATIONAL_OR_EMPTY and b[cut:] in _DERIVATIONAL_OR_EMPTY:
            return cut >= 0.5 * max(len(a), len(b))
    return False


_DERIVATIONAL_OR_EMPTY = _DERIVATIONAL | {""}


_ORIENTED_PREFIXES = tuple(dict.fromkeys(
    pair for first, second in ANTONYM_PREFIXES for pair in ((first, second), (second, first))))
_ORIENTED_SUFFIXES = tuple(dict.fromkeys(
    pair for first, second in ANTONYM_SUFFIXES for pair in ((first, second), (second, first))))


@lru_cache(maxsize=65536)
def _opposite_keys(word: str) -> tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]]:
    """Keys under which ``word`` is the first / the second word of a prefix or suffix antonym
    pair ('hypo'+'glycaemia' / 'hyper'+'glycaemia'): two words are such opposites exactly when
    the first's keys meet the second's, so a pair costs a set test, not a loop over affixes."""
    first: set[tuple[str, ...]] = set()
    second: set[tuple[str, ...]] = set()
    for x, y in _ORIENTED_PREFIXES:
        if word.startswith(x) and len(word) - len(x) >= 3:
            rest = word[len(x):]
            first.update({("p", x, y, rest), ("p~", x, y, stem(rest))})
        if word.startswith(y):
            rest = word[len(y):]
            second.update({("p", x, y, rest), ("p~", x, y, stem(rest))})
    for x, y in _ORIENTED_SUFFIXES:
        if word.endswith(x) and len(word) - len(x) >= 3:
            first.add(("s", x, y, word[: -len(x)]))
        if word.endswith(y):
            second.add(("s", x, y, word[: -len(y)]))
    return frozenset(first), frozenset(second)


@lru_cache(maxsize=65536)
def antonyms(a: str, b: str) -> bool:
    """True when two words (surface or stem) are opposites: listed pairs or prefixes/suffixes."""
    if a == b:
        return False
    if b in _ANTONYMS.get(a, ()) or stem(b) in _ANTONYMS.get(stem(a), ()):
        return True
    return not _opposite_keys(a)[0].isdisjoint(_opposite_keys(b)[1])


@lru_cache(maxsize=65536)
def _negation_keys(word: str) -> tuple[frozenset[tuple[str, str, str]], frozenset[tuple[str, str, str]]]:
    """Keys under which ``word`` is a negated form (prefix + rest) / a word that can be negated;
    `negated_form` is a meeting of the two, as in `_opposite_keys`."""
    negated: set[tuple[str, str, str]] = set()
    plain: set[tuple[str, str, str]] = set()
    for prefix in NEGATING_PREFIXES:
        if word.startswith(prefix):
            rest = word[len(prefix):]
            negated.add((prefix, "word", rest))
            if len(rest) >= 5:
                negated.add((prefix, "stem", stem(rest)))
        if len(word) >= (6 if prefix in LONG_REST_PREFIXES else 5) and (
                prefix not in ADJECTIVE_ONLY_PREFIXES or word.endswith(ADJECTIVE_ENDINGS)):
            plain.update({(prefix, "word", word), (prefix, "stem", stem(word))})
    return frozenset(negated), frozenset(plain)


@lru_cache(maxsize=65536)
def negated_form(a: str, b: str) -> bool:
    """True when ``a`` is ``b`` with a negating prefix (unlabeled / labeled), or the reverse."""
    negated_a, plain_a = _negation_keys(a)
    negated_b, plain_b = _negation_keys(b)
    return not (negated_a.isdisjoint(plain_b) and negated_b.isdisjoint(plain_a))


class OppositeIndex:
    """Words indexed by what `antonyms` and `negated_form` compare, so the few words that can
    be the opposite of a given word are found without testing every pair."""

    def __init__(self, words: list[str]) -> None:
        self._where: dict[tuple[object, ...], set[int]] = {}
        for position, word in enumerate(words):
            keys: list[tuple[object, ...]] = [("word", word), ("stem", stem(word))]
            keys += [("opposite", k) for k in _opposite_keys(word)[1]]
            negated, plain = _negation_keys(word)
            keys += [("negated", k) for k in negated] + [("plain", k) for k in plain]
            for key in keys:
                self._where.setdefault(key, set()).add(position)

    def candidates(self, word: str) -> list[int]:
        """Positions of the words that may be an antonym or a negated form of ``word``
        (a superset: confirm with `antonyms` / `negated_form`), in order."""
        keys: list[tuple[object, ...]] = [("word", w) for w in _ANTONYMS.get(word, ())]
        keys += [("stem", w) for w in _ANTONYMS.get(stem(word), ())]
        keys += [("opposite", k) for k in _opposite_keys(word)[0]]
        negated, plain = _negation_keys(word)
        keys += [("plain", k) for k in negated] + [("negated", k) for k in plain]
        found: set[int] = set()
        for key in keys:
            found.update(self._where.get(key, ()))
        return sorted(found)


#: Words the lexicon knows as words in their own right (stop words, the antonym and synonym
#: lists, number words...): an answer word among them that resembles a different reference
#: word ('more' for 'Moore') is that other word, not a slip of the pen.
KNOWN_WORDS = frozenset(
    STOPWORDS | ABSOLUTES | NEGATION_CUES | frozenset(NUMBER_WORDS)
    | {word for pair in ANTONYM_PAIRS for word in pair if " " not in word}
    | {word for group in SYNONYM_GROUPS for word in group if " " not in word})


def different_word(answer_word: str, reference_word: str) -> bool:
    """True when an answer word that resembles a reference word is a real word of its own
    (in `KNOWN_WORDS`, and not the reference word), so it is not offered as a spelling slip."""
    return answer_word in KNOWN_WORDS and answer_word != reference_word


@lru_cache(maxsize=131072)
def word_match(a: str, b: str, a_key: str, b_key: str) -> tuple[float, str]:
    """How well answer word ``a`` stands for reference word ``b``: (strength 0-1, how).

    ``how`` is one of exact, synonym, family, typo, abbreviation, or '' for no match.
    """
    if a_key == b_key or a == b:
        return EXACT, "exact"
    strength, how = _resemblance(a, b, a_key, b_key)
    if strength and antonyms(a, b):  # asked only of words that otherwise match: most do not
        return 0.0, ""
    return strength, how


def _resemblance(a: str, b: str, a_key: str, b_key: str) -> tuple[float, str]:
    """`word_match` before the antonym veto."""
    groups_a = _SYNONYMS.get(a_key)
    if groups_a and groups_a & _SYNONYMS.get(b_key, frozenset()):
        return SYNONYM, "synonym"
    if not (a.isascii() and b.isascii()):
        return _script_match(a, b, a_key, b_key)
    alpha = a.isalpha() and b.isalpha()
    if alpha and a[:4] == b[:4] and _family(a, b):
        return FAMILY, "family"
    if not alpha:
        return _digit_abbreviation(a, b)
    if a[0] != b[0] and sound(a)[:1] != sound(b)[:1]:
        return 0.0, ""
    shorter = min(len(a), len(b))
    edits = _allowed_edits(shorter)
    if edits and abs(len(a) - len(b)) <= edits + 1:
        # the words, their stems, their sounds: often the same pair, compared once
        for x, y in dict.fromkeys(((a, b), (a_key, b_key), (sound(a), sound(b)))):
            if OSA.distance(x, y, score_cutoff=edits) <= edits:
                return TYPO, "typo"
    if shorter == 3 and len(a) == len(b) == 3 and sorted(a) == sorted(b) and OSA.distance(a, b) == 1:
        return TYPO, "typo"
    if 3 <= len(a) <= len(b) - 2 and b.startswith(a) and a not in STOPWORDS:
        return ABBREVIATION, "abbreviation"
    if 2 <= len(a) <= 4 and len(b) >= len(a) + 3 and not (set(a[1:]) & _VOWELS):
        if _subsequence(a, b):
            return ABBREVIATION * 0.95, "abbreviation"
    return 0.0, ""


@dataclass(frozen=True, slots=True)
class _Shape:
    """What `_script_match` needs to know about a word of another script."""

    joined: bool
    """A run of a spaceless script (Chinese, Japanese, Thai...)."""
    hangul: bool
    spelling: str
    """The letters a slip changes: Hangul syllables split into jamo ('서을' is one jamo off '서울')."""
    edits: int
    """Slips forgiven: as for English by letters, fewer for Chinese characters and kana
    (each one a syllable)."""


@lru_cache(maxsize=65536)
def _shape(word: str) -> _Shape:
    hangul = bool(_HANGUL.search(word))
    spelling = unicodedata.normalize("NFD", word) if hangul else word
    if _IDEOGRAPHIC.search(word):
        edits = 0 if len(word) < 4 else 1 if len(word) < 8 else 2
    else:
        edits = _allowed_edits(len(spelling))
    return _Shape(bool(_JOINED_CHAR.match(word)), hangul, spelling, edits)


#: Answer runs of a spaceless script up to this long are searched for a misspelt reference word.
_FUZZY_RUN = 64


def _script_match(a: str, b: str, a_key: str, b_key: str) -> tuple[float, str]:
    """`word_match` for words that are not plain ASCII (answer ``a``, reference ``b``)."""
    shape_a, shape_b = _shape(a), _shape(b)
    joined = shape_a.joined and shape_b.joined
    if len(b) >= 2 and ((joined and b in a) or (shape_b.hangul and a.startswith(b))):
        return EXACT, "exact"  # the word inside a run ("首都是北京"), or with a particle ("서울입니다")
    x, y = shape_a.spelling, shape_b.spelling
    edits = shape_b.edits
    if edits and a[:1] == b[:1] and abs(len(x) - len(y)) <= edits and (
            OSA.distance(x, y, score_cutoff=edits) <= edits
            or OSA.distance(_shape(a_key).spelling, _shape(b_key).spelling, score_cutoff=edits) <= edits):
        return TYPO, "typo"
    if joined and edits and len(b) < len(a) <= _FUZZY_RUN:
        for start in range(len(a) - len(b) + 1):
            if OSA.distance(a[start: start + len(b)], b, score_cutoff=edits) <= edits:
                return TYPO, "typo"
    return 0.0, ""


def match_buckets(text: str, key: str, *, query: bool = False) -> tuple[tuple[str, str], ...]:
    """The buckets a word falls in. `word_match` gives 0 to two words that share none (not
    the key or text, a synonym group, the first letter, the first sound, for a spaceless
    script a pair of characters), so matchers look for a word's partners in its buckets
    only: a grade costs the plausible pairs, not answer words x reference words.

    A run of a spaceless script is filed under each pair of characters it holds; a word
    looked up (``query``) under its first eight pairs, one of which a run holding the word
    with a slip or two still has (two swapped middle characters of a four-character word
    aside)."""
    buckets = [("key", key), ("text", text), ("first", text[:1]), ("sound", sound(text)[:1])]
    buckets.extend(("group", str(group)) for group in _SYNONYMS.get(key, ()))
    if _JOINED_CHAR.match(text):
        pairs = min(len(text) - 1, 8) if query else len(text) - 1
        buckets.extend(("pair", text[i: i + 2]) for i in range(pairs))
    return tuple(buckets)


class WordIndex:
    """Tokens bucketed by `match_buckets`, to find the ones that may match a word."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self._buckets: dict[tuple[str, str], list[int]] = {}
        for position, token in enumerate(tokens):
            for bucket in dict.fromkeys(match_buckets(token.text, token.key)):
                self._buckets.setdefault(bucket, []).append(position)

    def candidates(self, text: str, key: str) -> list[Token]:
        """The tokens that share a bucket with the word, in their original order."""
        found: set[int] = set()
        for bucket in match_buckets(text, key, query=True):
            found.update(self._buckets.get(bucket, ()))
        return [self.tokens[position] for position in sorted(found)]


_SOUND_RULES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ph", "f"), (r"gh(?=t|$)", ""), (r"ck", "k"), (r"q", "k"), (r"c(?=[eiy])", "s"),
        (r"c", "k"), (r"z", "s"), (r"ae|oe", "e"), (r"y", "i"), (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=65536)
def sound(word: str) -> str:
    """A rough phonetic spelling, so 'profase' meets 'prophase' and 'sunlite' 'sunlight'."""
    for pattern, replacement in _SOUND_RULES:
        word = pattern.sub(replacement, word)
    return word


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(char in it for char in short)


_LETTERS_DIGITS = re.compile(r"^([a-z]+)(\d+)$")


@lru_cache(maxsize=65536)
def _letters_digits(word: str) -> tuple[str, str] | None:
    match = _LETTERS_DIGITS.match(word)
    return (match.group(1), match.group(2)) if match else None


def _digit_abbreviation(a: str, b: str) -> tuple[float, str]:
    """'b1' for 'beta1': same digits, the letters a prefix of the other's letters."""
    ma, mb = _letters_digits(a), _letters_digits(b)
    if ma and mb and ma[1] == mb[1]:
        la, lb = ma[0], mb[0]
        if la != lb and (lb.startswith(la) or la.startswith(lb)):
            return ABBREVIATION, "abbreviation"
    return 0.0, ""


def numbers_equal(answer: Token, reference: Token) -> bool:
    """Numbers agree: equal, equal at the answer's precision, or the same as a percentage."""
    a, r = answer.number, reference.number
    if a is None or r is None:
        return False
    if a == r:
        return True
    candidates = [r]
    if answer.percent != reference.percent:
        candidates += [r * 100, r / 100]
    if " " in reference.text and " " not in answer.text:
        mantissa = _parse_number(reference.text.split()[0])
        if mantissa is not None:
            candidates.append(mantissa[0])
    decimals = _decimals(answer.text)
    figures = _significant(answer.text)
    for value in candidates:
        if abs(a - value) <= 1e-9 * max(1.0, abs(value)):
            return True
        if decimals is not None and value and round(value, decimals) == a and abs(a) >= 1:
            return True
        if figures and value and float(f"{value:.{figures}g}") == a:
            return True
    return False


@lru_cache(maxsize=65536)
def _significant(text: str) -> int:
    """Significant figures written in a number ('9.5 trillion' -> 2); 0 when unknown."""
    body = text.split()[0].rstrip("%").replace(",", "").lstrip("-")
    if not re.match(r"^\d+(\.\d+)?$", body):
        return 0
    digits = body.replace(".", "").lstrip("0")
    if "." not in body:
        digits = digits.rstrip("0") or "0"
    return len(digits) if " " in text or "." in body else 0


@lru_cache(maxsize=65536)
def _decimals(text: str) -> int | None:
    body = text.rstrip("%").replace(",", "")
    if "/" in body or not re.match(r"^-?\d+(\.\d+)?$", body):
        return None
    return len(body.split(".")[1]) if "." in body else 0


def initials(tokens: list[Token]) -> str:
    """First letters of words (for acronyms)."""
    return "".join(t.text[0] for t in tokens if t.text)


def is_acronym_candidate(token: Token) -> bool:
    """A short all-letter token that may be an acronym (cnn, lr, nlp, vs plural cnns)."""
    return 2 <= len(token.text) <= 7 and token.text.isascii() and token.text.isalpha() and token.number is None
