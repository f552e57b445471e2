"""Anki's field text, shared by the importers and the exporter: HTML to plain text,
cloze deletions (``{{c1::…}}``) to a front and a back, and tags to a topic and back.

Anki stores every field as HTML (``<br>``, ``<div>``, entities, ``[sound:…]``); its
plain-text export (`tutor.decks.importers.delimited`), its ``.apkg`` packages
(`tutor.decks.importers.apkg`) and tutor's ``.apkg`` export (`tutor.decks.export`) all
read or write fields this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.entities import html5
from html.parser import HTMLParser

from tutor.decks.model import DEFAULT_TOPIC

#: The HTML elements a field's markup is made of (Anki's editor, pages pasted into it).
#: Only these count as tags: ``List<int>`` or ``<T>`` is text, whatever else the field holds.
HTML_ELEMENTS = frozenset({
    "a", "abbr", "audio", "b", "big", "blockquote", "br", "caption", "center", "cite", "code",
    "col", "colgroup", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure",
    "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "script", "small", "source", "span",
    "strike", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "tt", "u", "ul", "var", "video", "wbr",
})
#: Elements with no closing tag: one of these alone marks a field as HTML.
VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr"})
#: A start or end tag: a name, then attributes that each have a value (``<b and c>`` is
#: text, not a ``b`` tag). Possessive quantifiers and ``[^"'<>]`` keep a match from
#: running past the next ``<`` or ``>``: a file of unclosed ``<br`` is read in linear time.
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*+)"
    r"""((?:\s++[a-zA-Z_:][-\w:.]*+\s*+=\s*+(?:"[^"<>]*+"|'[^'<>]*+'|[^\s"'=<>`]++))*+)"""
    r"\s*+/?>"
)
#: ``&name;`` or a numeric reference; a name counts only if HTML defines it.
_ENTITY = re.compile(r"&(?:([a-zA-Z][a-zA-Z0-9]{1,31});|#\d{1,7};|#[xX][0-9a-fA-F]{1,6};)")
_SOUND = re.compile(r"\[sound:[^[\]]*\]")


# --------------------------------------------------------------------------- HTML


_HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_HTML_SPACE_KEEP_NEWLINES = re.compile(r"[ \t\r\f\v]+")


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment as a browser lays it out in lines.

    ``<br>`` is a line break; the edge of a block (``div``, ``p``, ``li``…) starts a
    new line unless one has just started, so ``<div>a</div><div>b</div>`` is two
    lines and ``<div><br></div>`` a blank one. The text is kept as a list of pieces:
    rebuilding one string at every tag took time quadratic in the number of tags.
    """

    _BLOCKS = {
        "div", "p", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "dt", "dd",
    }
    _SKIP = {"script", "style"}

    def __init__(self, keep_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        """The text so far, in non-empty pieces."""
        self.skipping = 0
        self.space = _HTML_SPACE_KEEP_NEWLINES if keep_newlines else _HTML_SPACE

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def _at_line_start(self) -> bool:
        return not self.pieces or self.pieces[-1].endswith("\n")

    def _strip_trailing_spaces(self) -> None:
        while self.pieces:
            last = self.pieces[-1].rstrip(" ")
            if last:
                self.pieces[-1] = last
                return
            self.pieces.pop()

    def _block_edge(self) -> None:
        self._strip_trailing_spaces()
        if not self._at_line_start():
            self.pieces.append("\n")

    def _tag(self, tag: str) -> None:
        if tag == "br":
            self._strip_trailing_spaces()
            self.pieces.append("\n")
        elif tag in self._BLOCKS:
            self._block_edge()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        else:
            self._tag(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCKS:
            self._block_edge()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        data = self.space.sub(" ", data)
        if self._at_line_start() or (data[:1] == " " and self.pieces[-1].endswith(" ")):
            data = data.lstrip(" ")  # one space where a dropped tag stood between two
        if data:
            self.pieces.append(data)


def html_to_text(markup: str, keep_newlines: bool = False) -> str:
    """Plain text of an HTML fragment, as a browser would show it.

    ``<br>`` and block ends become line breaks; entities are unescaped; runs of
    white space collapse to one space (``&nbsp;`` is kept as a space, so it can
    carry indentation); ``[sound:…]`` references and images are dropped.
    ``keep_newlines`` keeps raw newlines as line
    breaks (for hand-written CSV fields that mix text and markup).
    """
    extractor = _TextExtractor(keep_newlines)
    try:
        extractor.feed(_closed_tags(_SOUND.sub("", markup)))
        extractor.close()
        text = extractor.text
    except Exception:  # noqa: BLE001 - HTMLParser may trip on odd markup; keep raw text
        text = markup
    lines = [line.strip(" ").replace("\xa0", " ").rstrip() for line in text.split("\n")]
    return tidy_lines("\n".join(lines))


def _closed_tags(markup: str) -> str:
    """``markup`` without comments, and with every ``<`` that no ``>`` closes before the
    next ``<`` written as ``&lt;`` (it is text, as a browser would show it).

    HTMLParser rescans to the end of the text for each unclosed ``<``: 50 KB of ``<a ``
    took over 10 seconds. Here each ``<`` it sees ends at the next ``>``; the scan is
    linear (the next ``>`` and ``-->`` are looked up again only once passed).
    """
    if "<" not in markup:
        return markup
    out: list[str] = []
    position, closing, comment_end = 0, 0, 0  # -1: there is no further one
    while True:
        opening = markup.find("<", position)
        if opening < 0:
            out.append(markup[position:])
            return "".join(out)
        out.append(markup[position:opening])
        if markup.startswith("<!--", opening):
            if 0 <= comment_end < opening + 4:
                comment_end = markup.find("-->", opening + 4)
            if comment_end >= 0:
                position = comment_end + 3
                continue
        if 0 <= closing <= opening:
            closing = markup.find(">", opening + 1)
        after = markup.find("<", opening + 1)
        if closing < 0 or 0 <= after < closing:
            out.append("&lt;")
            position = opening + 1
        else:
            out.append(markup[opening:closing + 1])
            position = closing + 1


def tidy_lines(text: str) -> str:
    """Strip each line's trailing white space and the blank lines at both ends."""
    if "\n" not in text and "\r" not in text:
        return text.rstrip()
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _known_tag(text: str, position: int) -> re.Match[str] | None:
    """The tag of a known HTML element starting at ``text[position]`` ('<'), if any."""
    match = _TAG.match(text, position)
    return match if match and match.group(2).lower() in HTML_ELEMENTS else None


def looks_like_html(text: str) -> bool:
    """True when ``text`` holds HTML: a line break, rule or image tag (``<br>``,
    ``<img src=…>``), a known element opened and closed (``<b>…</b>``, ``<div>…</div>``),
    or an entity HTML defines (``&nbsp;``, ``&amp;``, ``&#39;``). A ``<`` in prose
    (``a < b and c > d``), a type (``List<int>``), a lone ``<b>`` or ``AT&T`` is text."""
    opened: set[str] = set()
    position = text.find("<")
    while position >= 0:
        tag = _known_tag(text, position)
        if tag is not None:
            name = tag.group(2).lower()
            if name in VOID_ELEMENTS:
                return True
            if tag.group(1) and name in opened:
                return True
            opened.add(name)
        position = text.find("<", position + 1)
    return any(not match.group(1) or match.group(1) + ";" in html5
               for match in _ENTITY.finditer(text))


def escape_text_brackets(markup: str) -> str:
    """``markup`` with every ``<`` that starts no known element's tag (nor a comment)
    written as ``&lt;``: in a field that mixes markup and text, ``List<int>`` and
    ``a < b`` stay text when `html_to_text` reads it."""
    if "<" not in markup:
        return markup
    out: list[str] = []
    start = 0
    position = markup.find("<")
    while position >= 0:
        if not markup.startswith("<!--", position) and _known_tag(markup, position) is None:
            out += [markup[start:position], "&lt;"]
            start = position + 1
        position = markup.find("<", position + 1)
    out.append(markup[start:])
    return "".join(out)


# --------------------------------------------------------------------------- cloze

#: The tokens of a cloze note: an opening ``{{cN::`` and a closing ``}}``. Deletions
#: are found by matching these like brackets, in linear time (the pattern with lazy
#: groups used before took cubic time on unclosed ``{{c1::`` markers).
_CLOZE_TOKEN = re.compile(r"\{\{c\d+::|\}\}")


@dataclass
class _Deletion:
    """A deletion being read: its answer so far, and its hint once ``::`` is seen."""

    answer: list[str] = field(default_factory=list)
    hint: list[str] | None = None

    def add_text(self, text: str) -> None:
        if self.hint is None and "::" in text:
            before, after = text.split("::", 1)
            self.answer.append(before)
            self.hint = [after]
        else:
            self.add_answer(text)

    def add_answer(self, text: str) -> None:
        (self.answer if self.hint is None else self.hint).append(text)


def _cloze_tokens(text: str) -> list[re.Match[str]]:
    """The ``{{cN::`` and ``}}`` tokens that pair up; unpaired ones are plain text."""
    tokens = list(_CLOZE_TOKEN.finditer(text))
    paired = [False] * len(tokens)
    open_tokens: list[int] = []
    for index, token in enumerate(tokens):
        if token.group() != "}}":
            open_tokens.append(index)
        elif open_tokens:
            paired[open_tokens.pop()] = paired[index] = True
    return [token for token, keep in zip(tokens, paired) if keep]


def _cloze_parts(text: str) -> list[str | tuple[str, str | None]]:
    """``text`` as plain strings and top-level deletions ``(answer, hint)``. A deletion
    inside another is part of the outer one's text, shown as its answer."""
    parts: list[str | tuple[str, str | None]] = []
    stack: list[_Deletion] = []
    position = 0
    for token in _cloze_tokens(text):
        between = text[position:token.start()]
        position = token.end()
        if stack:
            stack[-1].add_text(between)
        elif between:
            parts.append(between)
        if token.group() != "}}":
            stack.append(_Deletion())
            continue
        done = stack.pop()
        answer = "".join(done.answer)
        if stack:
            stack[-1].add_answer(answer)
        else:
            parts.append((answer, None if done.hint is None else "".join(done.hint)))
    if position < len(text):
        parts.append(text[position:])
    return parts


def has_cloze(text: str) -> bool:
    """True when ``text`` holds an Anki cloze deletion (``{{c1::…}}``)."""
    return "{{c" in text and bool(_cloze_tokens(text))


def cloze_card(text: str, html: bool = True) -> tuple[str, str]:
    """Front and back of a cloze note: the front hides every deletion as ``[...]``
    (or ``[hint]``), the back lists the deleted text, one per line. A deletion inside
    another is part of the outer one's answer; an unclosed ``{{cN::`` is plain text."""
    clean = html_to_text if html else tidy_lines
    front: list[str] = []
    answers: list[str] = []
    for part in _cloze_parts(text):
        if isinstance(part, str):
            front.append(part)
            continue
        answer, hint = part
        answers.append(clean(answer))
        hint = clean(hint or "")
        front.append(f"[{hint}]" if hint else "[...]")
    return clean("".join(front)), "\n".join(answer for answer in answers if answer)


# --------------------------------------------------------------------------- tags


#: Tags Anki adds on its own; they say nothing about the subject.
SYSTEM_TAGS = {"leech", "marked"}


def topic_from_tags(tags: list[str]) -> str:
    """The topic a tag list implies: its first tag, with ``_`` read as a space."""
    for tag in tags:
        topic = " ".join(tag.replace("_", " ").split())
        if topic:
            return topic
    return ""


def tag_to_anki(topic: str) -> str:
    """``topic`` as one Anki tag (Anki tags cannot hold spaces)."""
    return "_".join(topic.split()) or DEFAULT_TOPIC
