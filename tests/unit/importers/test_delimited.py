"""CSV and TSV importers: Anki plain-text exports, Quizlet exports, spreadsheets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEED_FILES
from tutor.decks.importers import IMPORTERS, detect_format, import_text
from tutor.decks.importers.anki_fields import html_to_text, looks_like_html
from tutor.decks.importers.delimited import (
    CsvImporter,
    TsvImporter,
    read_anki_header,
    split_quoted,
)

TSV = TsvImporter()
CSV = CsvImporter()

ANKI_EXPORT = (
    "#separator:tab\n"
    "#html:true\n"
    "#tags column:3\n"
    "What is the <b>mitochondrion</b>?\tThe cell's power plant<br>makes ATP &amp; heat"
    "\tcell_biology exam1\n"
    '"Phases of mitosis"\t"<div>prophase</div><div>metaphase</div><div>anaphase</div>"'
    "\tcell_biology\n"
    "Define osmosis\tWater moving across a membrane\tchemistry\n"
)


def triples(result):
    return [(c.front, c.back, c.topic) for c in result.cards]


def test_anki_plain_text_export_with_header_lines() -> None:
    result = TSV.parse(ANKI_EXPORT)
    assert triples(result) == [
        ("What is the mitochondrion?", "The cell's power plant\nmakes ATP & heat", "cell biology"),
        ("Phases of mitosis", "prophase\nmetaphase\nanaphase", "cell biology"),
        ("Define osmosis", "Water moving across a membrane", "chemistry"),
    ]
    assert result.cards[0].tags == ["cell_biology", "exam1"]
    assert result.warnings == []
    assert detect_format(ANKI_EXPORT) == ("tsv", 1.0)


def test_anki_guid_notetype_and_deck_columns_are_not_card_text() -> None:
    text = (
        "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n#deck column:3\n"
        "#tags column:6\n"
        "Ab12$x\tBasic\tBiology::Cells\tWhat is a ribosome?\tMakes proteins\torganelles\n"
        "Cd34%y\tBasic\tBiology::Genetics\tWhat is DNA?\tThe genetic code\t\n"
    )
    result = TSV.parse(text)
    assert triples(result) == [
        ("What is a ribosome?", "Makes proteins", "organelles"),
        ("What is DNA?", "The genetic code", "Genetics"),
    ]


def test_anki_columns_line_names_the_columns() -> None:
    text = (
        "#separator:tab\n#html:false\n#columns:Back\tFront\tTags\n#tags column:3\n"
        "answer\tquestion\tbio\n"
    )
    assert triples(TSV.parse(text)) == [("question", "answer", "bio")]


def test_a_first_card_starting_with_hash_is_not_a_header_line() -> None:
    text = "#define: what does it do?\tdefines a macro\n#include\tpulls in a header\n"
    assert [(c.front, c.back) for c in TSV.parse(text).cards] == [
        ("#define: what does it do?", "defines a macro"), ("#include", "pulls in a header"),
    ]


#: Written by Anki 26.9 itself ("Notes in Plain Text", every option ticked).
ANKI_26_NOTES = (
    '#separator:tab\n'
    '#html:true\n'
    '#guid column:1\n'
    '#notetype column:2\n'
    '#deck column:3\n'
    '#tags column:6\n'
    't5(m~28Cmc\tBasic\tAnki made::Sub\tWhat is <b>ATP</b>?\t'
    'Energy<div>currency &amp; more</div>\tbio_chem leech\n'
    'hfpL3`/YM$\tCloze\tAnki made::Sub\t'
    'The capital of {{c1::France}} is {{c2::Paris::city}}.\t\t\n'
    'bJOzs]XL/_\tBasic\tAnki made::Sub\t"Multi\n'
    'line\tfront"\t"say ""hi"""\t\n'
)


def test_real_anki_export_with_guid_notetype_deck_and_cloze() -> None:
    result = TSV.parse(ANKI_26_NOTES)
    assert [(c.front, c.back) for c in result.cards] == [
        ("What is ATP?", "Energy\ncurrency & more"),
        ("The capital of [...] is [city].", "France\nParis"),
        ("Multi\nline front", 'say "hi"'),
    ]
    assert result.cards[0].topic == "bio chem" and result.cards[0].tags == ["bio_chem"]
    assert result.title == "Sub"  # one deck: it names the deck, not a topic
    assert result.warnings == []


def test_html_false_keeps_markup_as_text() -> None:
    result = TSV.parse("#separator:tab\n#html:false\nIs <b> a tag?\tYes &amp; no\n")
    assert triples(result)[0][:2] == ("Is <b> a tag?", "Yes &amp; no")


def test_quizlet_export_joins_unquoted_multiline_backs() -> None:
    text = (
        "Mitosis phases\tprophase\n"
        "metaphase\n"
        "anaphase\n"
        "Osmosis\tdiffusion of water\n"
        "\n"
        "through a membrane\n"
        "ATP\tenergy currency\n"
    )
    result = TSV.parse(text)
    assert [(c.front, c.back) for c in result.cards] == [
        ("Mitosis phases", "prophase\nmetaphase\nanaphase"),
        ("Osmosis", "diffusion of water\n\nthrough a membrane"),
        ("ATP", "energy currency"),
    ]
    assert [w.line for w in result.warnings] == [2, 3, 6]
    assert all(w.confidence is not None and w.confidence < 1 for w in result.warnings)
    assert all(c.topic for c in result.cards)


def test_header_row_names_columns_in_any_order() -> None:
    text = "Definition\tTerm\tCategory\nthe powerhouse\tmitochondrion\tOrganelles, cells\n"
    result = TSV.parse(text)
    assert triples(result) == [("mitochondrion", "the powerhouse", "Organelles, cells")]


def test_csv_with_quoted_commas_quotes_and_newlines_and_line_numbers() -> None:
    text = (
        "front,back,topic\n"
        '"Name three, in order","first\nsecond\nthird",Lists\n'
        'He said ""hi""?,"He said ""hi""",Quotes\n'
        "lonely\n"
        "q4,a4,Lists\n"
    )
    result = CSV.parse(text)
    assert triples(result) == [
        ("Name three, in order", "first\nsecond\nthird", "Lists"),
        ('He said ""hi""?', 'He said "hi"', "Quotes"),
        ("q4", "a4", "Lists"),
    ]
    # This file quotes its multi-line fields, so the bare 'lonely' line is a row
    # without a back, not a continuation.
    assert [(w.line, w.message) for w in result.warnings] == [
        (6, "row has only one field; skipped (no answer)")
    ]


def test_csv_without_header_and_with_spaces_after_commas() -> None:
    result = CSV.parse(
        'What is 2+2?, 4\nCapital of France?, Paris\nName two planets, "Mars, Venus"\n'
    )
    assert [(c.front, c.back) for c in result.cards] == [
        ("What is 2+2?", "4"), ("Capital of France?", "Paris"), ("Name two planets", "Mars, Venus"),
    ]
    assert all(c.topic for c in result.cards)


def test_semicolon_separator_is_detected_and_named() -> None:
    text = "Hund;dog\nKatze;cat\nMaus;mouse, small rodent\n"
    assert [(c.front, c.back) for c in CSV.parse(text).cards][2] == ("Maus", "mouse, small rodent")
    named = CSV.parse("#separator:Semicolon\nHund;dog\n")
    assert [(c.front, c.back) for c in named.cards] == [("Hund", "dog")]


def test_broken_quotes_fall_back_to_line_by_line() -> None:
    text = '"Hamlet" author\tShakespeare\n"unclosed\tquote\nplain\trow\n'
    result = TSV.parse(text)
    assert [(c.front, c.back) for c in result.cards] == [
        ('"Hamlet" author', "Shakespeare"), ('"unclosed', "quote"), ("plain", "row"),
    ]
    assert result.warnings[0].line == 1 and "quotes" in result.warnings[0].message


def test_rows_without_a_back_or_front_are_reported() -> None:
    result = TSV.parse("only a front\nq\ta\n\tno front\n")
    assert [(c.front, c.back) for c in result.cards] == [("q", "a")]
    messages = [str(w) for w in result.warnings]
    assert any("line 1" in m and "one field" in m for m in messages)
    assert any("line 3" in m and "empty front" in m for m in messages)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "#separator:tab\n#html:true\n"])
def test_empty_input_gives_no_cards_and_a_warning(text: str) -> None:
    for importer in (CSV, TSV):
        result = importer.parse(text)
        assert result.cards == [] and result.warnings


def test_html_to_text() -> None:
    assert html_to_text("a<br>b<br/>c") == "a\nb\nc"
    assert html_to_text("<div>x</div><div><br></div><div>y</div>") == "x\n\ny"
    assert html_to_text("&lt;tag&gt; &amp; &quot;q&quot; caf&eacute;") == '<tag> & "q" café'
    assert html_to_text("one   two\nthree") == "one two three"
    assert html_to_text("&nbsp;&nbsp;indented") == "  indented"
    assert html_to_text("<style>p{}</style>text[sound:a.mp3]<img src='x.png'>") == "text"
    assert html_to_text("<![a marked section") == "<![a marked section"  # parser gives up
    assert looks_like_html("a<br>b") and looks_like_html("&amp;")
    assert not looks_like_html("x < y and y > z") and not looks_like_html("AT&T")


def test_split_quoted_records_start_lines() -> None:
    tokens = split_quoted('a,"b\nc"\nd,e\n', ",")
    assert [(r.line, r.fields) for r in tokens.records] == [(1, ["a", "b\nc"]), (3, ["d", "e"])]
    assert not tokens.bad_quotes


def test_read_anki_header() -> None:
    header = read_anki_header("#separator:Pipe\n#html:false\n#tags column:4\nq|a\n")
    assert (header.separator, header.html, header.tags_column, header.lines) == ("|", False, 3, 3)


def test_sniff_reads_a_sample_of_a_large_file() -> None:
    row = 'What is term {i}?\t"Definition {i},\nsecond line"\ttag\n'
    text = "".join(row.format(i=i) for i in range(20000))
    assert len(text) > 10 * 64 * 1024
    assert TSV.sniff(text) > 0.9 and CSV.sniff(text) < 0.2


def test_sniff_scores() -> None:
    assert TSV.sniff("q1\ta1\nq2\ta2\nq3\ta3\n") > 0.9
    assert CSV.sniff('front,back\n"a, b",c\nd,e\n') > 0.8
    prose = "Paris is the capital, of course.\nWhat is a cell?\nA unit of life, the smallest.\n"
    assert CSV.sniff(prose) < 0.2 and TSV.sniff(prose) == 0.0
    assert CSV.sniff("#separator:tab\nq\ta\n") == 0.0


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_scraped_seed_pages_are_not_taken_for_csv_or_tsv(seed) -> None:
    text = seed.read_text(encoding="utf-8")
    assert CSV.sniff(text) < 0.2 and TSV.sniff(text) < 0.2


def test_registered() -> None:
    assert IMPORTERS["csv"].name == "csv" and IMPORTERS["tsv"].name == "tsv"
    assert triples(import_text("q\ta\tbio\nr\tb\tbio\n", "tsv")) == [
        ("q", "a", "bio"), ("r", "b", "bio"),
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab ,;|\t\n"#<>&:x1é'), max_size=200))
def test_random_delimited_text_never_raises(text: str) -> None:
    for importer in (CSV, TSV):
        assert 0.0 <= importer.sniff(text) <= 1.0
        result = importer.parse(text)
        for card in result.cards:
            assert card.front.strip() and card.topic.strip()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_random_unicode_never_raises(text: str) -> None:
    for importer in (CSV, TSV):
        importer.sniff(text)
        importer.parse(text)


def test_html_is_known_tags_and_entities_the_rest_is_text() -> None:
    """A CSV that is not tutor's own: Anki-style markup is still cleaned, but only known
    elements' tags are markup; '<' in a type, a comparison or a lone tag name is text."""
    text = (
        'Generic list,"List<int> holds ints<br>see also Dictionary<K,V>"\n'
        'Compare,"a <b and c> d, a < b and c > d"\n'
        'Spaces,"one&nbsp;two<div>line 2</div>"\n'
        'Bold,"<b>bold</b> and a lone <b> tag"\n'
        'Not HTML,"Use <b> for bold, AT&T, x<y"\n'
    )
    assert [(c.front, c.back) for c in CSV.parse(text).cards] == [
        ("Generic list", "List<int> holds ints\nsee also Dictionary<K,V>"),
        ("Compare", "a <b and c> d, a < b and c > d"),
        ("Spaces", "one two\nline 2"),
        ("Bold", "bold and a lone tag"),
        ("Not HTML", "Use <b> for bold, AT&T, x<y"),
    ]
    assert not looks_like_html("List<int>") and not looks_like_html("Use <b> for bold")
    assert looks_like_html("<b>x</b>") and looks_like_html("a<br/>b")
    assert looks_like_html("caf&eacute;") and not looks_like_html("&madeup;")


def test_tutors_csv_header_row_means_plain_text() -> None:
    header = "front,back,topic,tags,alternatives\n"
    row = '"Is <b> a tag?","Yes &amp; no<br>maybe",html,,"<i>it</i>"\n'
    card = CSV.parse(header + row).cards[0]
    assert (card.front, card.back, card.alternatives) == (
        "Is <b> a tag?", "Yes &amp; no<br>maybe", ["<i>it</i>"])
    assert CSV.parse("front,back\n" + '"x","Yes &amp; no<br>maybe"\n').cards[0].back == \
        "Yes & no\nmaybe"
