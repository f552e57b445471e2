"""The Markdown importer and writer: '## Topic', '### Question', answer below."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_FILES
from tutor.decks.importers import detect_format
from tutor.decks.importers.markdown import MarkdownImporter, format_markdown, heading_text
from tutor.decks.model import Card

MARKDOWN = MarkdownImporter()

DECK = """\
# Cell biology

Cards for the first exam.

## Organelles

### What does the mitochondrion do?
Produces ATP by cellular respiration.

### Name the phases of mitosis.
prophase
metaphase

anaphase
telophase

## Code

### What does this print?

```python
# a comment, not a heading
print(1)
```
?
1

#### Why
Because print writes its argument.

### Which C# keyword declares a constant? ###
const
"""


def test_the_documented_convention() -> None:
    result = MARKDOWN.parse(DECK)
    assert result.title == "Cell biology"
    assert [(c.front, c.back, c.topic) for c in result.cards] == [
        ("What does the mitochondrion do?", "Produces ATP by cellular respiration.", "Organelles"),
        ("Name the phases of mitosis.", "prophase\nmetaphase\n\nanaphase\ntelophase", "Organelles"),
        (
            "What does this print?\n\n```python\n# a comment, not a heading\nprint(1)\n```",
            "1\n\n#### Why\nBecause print writes its argument.",
            "Code",
        ),
        ("Which C# keyword declares a constant?", "const", "Code"),
    ]
    assert result.warnings == []
    assert detect_format(DECK)[0] == "markdown"


def test_stray_text_and_empty_answers_are_reported_with_lines() -> None:
    text = "Intro line\n\n## Topic\nAbout this topic.\n### Question without answer\n### Real\nyes\n"
    result = MARKDOWN.parse(text)
    assert [(c.front, c.back) for c in result.cards] == [
        ("Question without answer", ""), ("Real", "yes"),
    ]
    assert [(w.line, w.message.split(";")[0]) for w in result.warnings] == [
        (1, "text before the first heading is not part of a card"),
        (4, "text under a topic is not part of a card"),
        (5, "card has an empty answer"),
    ]


def test_cards_without_a_topic_heading_get_a_keyword_topic() -> None:
    text = "".join(
        f"### What does the {organ} do in the {system} system?\nIt helps the {system} system.\n\n"
        for organ, system in [("heart", "circulatory"), ("artery", "circulatory"),
                              ("lung", "respiratory"), ("trachea", "respiratory")]
    )
    result = MARKDOWN.parse(text)
    assert len(result.cards) == 4
    topics = [c.topic for c in result.cards]
    assert topics[0] == topics[1] != topics[2] == topics[3]
    assert "circulatory" in topics[0] and "respiratory" in topics[2]


def test_escaped_lines_are_text() -> None:
    text = "### Q\n\\## not a topic\n\\?\n\\\\backslash\n"
    result = MARKDOWN.parse(text)
    assert [(c.front, c.back) for c in result.cards] == [("Q", "## not a topic\n?\n\\backslash")]


def test_heading_text() -> None:
    assert heading_text(" What is C#? ") == "What is C#?"
    assert heading_text("Title ##") == "Title"
    assert heading_text("#") == ""
    assert heading_text("use # #") == "use #"


def test_no_cards_is_a_warning() -> None:
    for text in ("", "just prose\nmore prose\n", "## Topic only\n"):
        result = MARKDOWN.parse(text)
        assert result.cards == [] and result.warnings


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_scraped_seed_pages_are_not_taken_for_markdown(seed) -> None:
    assert MARKDOWN.sniff(seed.read_text(encoding="utf-8")) < 0.2


def test_format_markdown_escapes_what_would_read_as_structure() -> None:
    cards = [
        Card("What is C#?", "A language", "prog #"),
        Card("  indented first line\nsecond", "# hash\n?\n\\back\n```\nunclosed fence", "t"),
        Card("ends with #", "", "t"),
        Card("#", "x", "t"),
        Card("Fenced", "```\n# inside a fence\n?\n```", "t"),
    ]
    text = format_markdown("My deck", cards)
    assert text.startswith("# My deck\n\n## prog # #\n\n### What is C#?\nA language\n")
    assert "\\# hash\n\\?\n\\\\back\n\\```\nunclosed fence" in text
    assert "```\n# inside a fence\n?\n```" in text
    result = MARKDOWN.parse(text)
    assert result.title == "My deck"
    assert [(c.front, c.back, c.topic) for c in result.cards] == [
        (c.front, c.back, c.topic) for c in cards
    ]


_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30
).map(str.rstrip)
_BLOCK = st.lists(_LINE, min_size=1, max_size=4).map(lambda lines: "\n".join(lines).strip("\n"))


def _card_text(block: str) -> str:
    """Card text the way the native format keeps it: first line stripped, lines rstripped."""
    lines = [line.rstrip() for line in block.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines[0] = lines[0].strip()
    return "\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_BLOCK, _BLOCK, st.sampled_from(["a", "b c", "x #", "général"])),
                min_size=1, max_size=4))
def test_format_then_parse_round_trips(raw: list[tuple[str, str, str]]) -> None:
    cards = [Card(_card_text(f), _card_text(b), t) for f, b, t in raw if _card_text(f)]
    result = MARKDOWN.parse(format_markdown("Deck", cards))
    assert [(c.front, c.back, c.topic) for c in result.cards] == [
        (c.front, c.back, c.topic) for c in cards
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("#? \n\\`~abc:-*"), max_size=200))
def test_random_markdownish_text_never_raises(text: str) -> None:
    assert 0.0 <= MARKDOWN.sniff(text) <= 1.0
    for card in MARKDOWN.parse(text).cards:
        assert card.front.strip() and card.topic.strip()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_random_unicode_never_raises(text: str) -> None:
    MARKDOWN.sniff(text)
    MARKDOWN.parse(text)
