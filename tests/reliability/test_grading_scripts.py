"""Issue 16, item 12: answers in every script are graded, not scored 0.

Each card is a real short question in its language. For each: the exact answer passes
with 4/5 or more, a one-character slip still passes, and a wrong answer fails.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tutor.grading.base import GradeRequest
from tutor.grading.rules import RulesGrader
from tutor.grading.text import tokenize

RULES = RulesGrader()

# language: (question, reference, a one-character typo, a wrong answer)
CARDS: dict[str, tuple[str, str, str, str]] = {
    "arabic": ("ما هي عاصمة مصر؟", "القاهرة", "القاهره", "الإسكندرية"),
    "arabic science": ("ما هو الغاز الذي تمتصه النباتات من الهواء؟", "ثاني أكسيد الكربون",
                       "ثاني أكسيد الكربن", "الأكسجين"),
    "russian": ("Какой город является столицей России?", "Москва", "Масква", "Санкт-Петербург"),
    "russian science": ("Как называется процесс, при котором растения образуют сахар на свету?",
                        "Фотосинтез", "фотосинтес", "Дыхание"),
    "chinese": ("植物利用阳光制造养分的过程叫什么？", "光合作用", "光和作用", "呼吸作用"),
    "japanese": ("オーストラリアの首都はどこですか？", "キャンベラ", "キャンペラ", "シドニー"),
    "hindi": ("भारत की राजधानी क्या है?", "नई दिल्ली", "नई दिल्लि", "मुंबई"),
    "hindi science": ("पानी किन दो तत्वों से बना है?", "हाइड्रोजन और ऑक्सीजन", "हाइड्रोजन और ऑक्सिजन",
                      "कार्बन और नाइट्रोजन"),
    "hebrew": ("מהי בירת יפן?", "טוקיו", "טוקו", "אוסקה"),
    "korean": ("대한민국의 수도는 어디입니까?", "서울", "서을", "부산"),
    "thai": ("เมืองหลวงของประเทศไทยคืออะไร", "กรุงเทพมหานคร", "กรุงเทพมหานคอ", "เชียงใหม่"),
    "greek": ("Ποια είναι η πρωτεύουσα της Ελλάδας;", "Αθήνα", "Αθίνα", "Σπάρτη"),
    "german": ("Was ist die größte Stadt der Schweiz?", "Zürich", "Zürrich", "Genf"),
}


def grade(question: str, reference: str, answer: str):
    return RULES.grade(GradeRequest(question, reference, answer))


@pytest.mark.parametrize("language", list(CARDS))
def test_the_exact_answer_passes(language: str) -> None:
    question, reference, _typo, _wrong = CARDS[language]
    result = grade(question, reference, reference)
    assert result.score >= 4 and result.correct, (language, result)


@pytest.mark.parametrize("language", list(CARDS))
def test_a_one_character_typo_still_passes(language: str) -> None:
    question, reference, typo, _wrong = CARDS[language]
    result = grade(question, reference, typo)
    assert result.correct, (language, result)


@pytest.mark.parametrize("language", list(CARDS))
def test_a_wrong_answer_fails(language: str) -> None:
    question, reference, _typo, wrong = CARDS[language]
    result = grade(question, reference, wrong)
    assert not result.correct, (language, result)


@pytest.mark.parametrize(("question", "reference", "answer"), [
    ("中国的首都是哪座城市？", "北京", "首都是北京"),            # the term inside a sentence
    ("日本の首都はどこですか？", "東京", "東京です"),
    ("대한민국의 수도는 어디입니까?", "서울", "서울입니다"),       # a particle attached
    ("ما هي عاصمة مصر؟", "القاهرة", "القَاهِرَة"),                 # written with vowel marks
    ("Какой город является столицей России?", "Москва", "МОСКВА"),
    ("Wie heißt die Straße?", "Hauptstraße", "Hauptstrasse"),      # ß casefolds to ss
    ("日本の首都をカタカナで書いてください。", "ﾄｳｷｮｳ", "トウキョウ"),  # half-width katakana (NFKC)
])
def test_spelling_variants_pass(question: str, reference: str, answer: str) -> None:
    result = grade(question, reference, answer)
    assert result.score >= 4, result


@pytest.mark.parametrize(("question", "reference", "answer"), [
    ("Какой город является столицей России?", "Москва", "Москва, потому что там находится правительство"),
    ("ما هي عاصمة مصر؟", "القاهرة", "عاصمة مصر هي القاهرة، وهي أكبر مدينة في البلاد"),
    ("भारत की राजधानी क्या है?", "नई दिल्ली", "भारत की राजधानी नई दिल्ली है, जहाँ संसद भवन स्थित है"),
    ("מהי בירת יפן?", "טוקיו", "הבירה של יפן היא טוקיו, העיר הגדולה ביותר במדינה"),
    ("Ποια είναι η πρωτεύουσα της Ελλάδας;", "Αθήνα", "Η πρωτεύουσα είναι η Αθήνα, η μεγαλύτερη πόλη της χώρας"),
])
def test_an_explanation_in_another_script_is_not_an_added_claim(question: str, reference: str,
                                                                 answer: str) -> None:
    # English stop words decide what counts as a claim; they must not veto other scripts.
    result = grade(question, reference, answer)
    assert result.correct and "padding" not in result.checks, result


@pytest.mark.parametrize(("question", "reference", "answer"), [
    ("中国的首都是哪座城市？", "北京", "南京"),  # one character apart, another city
    ("日本の首都はどこですか？", "東京", "京都"),  # the same characters, another order
])
def test_short_words_in_spaceless_scripts_need_every_character(question: str, reference: str,
                                                               answer: str) -> None:
    assert not grade(question, reference, answer).correct


def test_words_of_every_script_become_tokens() -> None:
    for language, (_question, reference, _typo, _wrong) in CARDS.items():
        assert [t for t in tokenize(reference) if t.content], language
    assert [t.text for t in tokenize("DNA复制")] == ["dna", "复制"]
    assert [t.text for t in tokenize("λ = 2 μm")][0] == "lambda"  # a lone Greek letter is still a symbol


def test_english_grading_is_unchanged_by_script_support() -> None:
    assert grade("What is an epoch?", "1 complete pass through the training data",
                 "one complete pass thru the trainng data").score == 4
    assert grade("What is the wavelength symbol?", "lambda", "λ").score == 5


def test_tutor_grade_grades_every_script_end_to_end() -> None:
    lines = [json.dumps({"question": q, "reference": r, "answer": answer}, ensure_ascii=False)
             for q, r, typo, wrong in CARDS.values() for answer in (r, wrong)]
    proc = run_cli("grade", "--rules", stdin="\n".join(lines) + "\n", timeout=60)
    assert proc.returncode == 0, proc.stderr
    verdicts = [json.loads(line)["correct"] for line in proc.stdout.splitlines()]
    assert verdicts == [True, False] * len(CARDS)


def test_a_number_inside_text_without_spaces_is_still_compared() -> None:
    """'水在50度沸腾' for '水在100度沸腾' is a wrong number, not a 5/5 (found by review)."""
    from tutor.grading.base import GradeRequest
    from tutor.grading.rules import RulesGrader

    rules = RulesGrader()
    question, reference = "水在多少度沸腾？", "水在100度沸腾"
    assert rules.grade(GradeRequest(question, reference, "水在100度沸腾")).score == 5
    wrong = rules.grade(GradeRequest(question, reference, "水在50度沸腾"))
    assert not wrong.correct and "50" in wrong.feedback
