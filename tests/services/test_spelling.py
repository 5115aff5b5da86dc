"""Spell checking: the shipped English and medical lists, the user's own
words in the data folder, suggestions, and the speed of a long body."""

from __future__ import annotations

import time

import pytest

from desktop.services.spelling import DictionaryNotSaved, SpellChecker, word_spans


@pytest.fixture
def checker(tmp_path) -> SpellChecker:
    return SpellChecker(tmp_path / "data" / "dictionary.txt").load()


def flagged(checker: SpellChecker, text: str, skip=()) -> list[str]:
    return [m.word for m in checker.misspellings(text, skip)]


def test_misspelt_words_are_found_with_their_place(checker):
    text = "Thank you for your recomendation and your gudiance."
    found = checker.misspellings(text)
    assert [m.word for m in found] == ["recomendation", "gudiance"]
    first = found[0]
    assert text[first.start : first.start + first.length] == "recomendation"


def test_medical_and_application_words_are_not_flagged(checker):
    text = (
        "My SLOE from the emergency medicine sub-internship goes through ResidencyCAS; "
        "the ERAS and AMCAS letters, the MSPE and my eSLOR are ready. I loved nephrology, "
        "physiatry, otolaryngology and OB/GYN, and the hospitalist preceptors on PM&R."
    )
    assert flagged(checker, text) == []


def test_names_addresses_numbers_and_contractions_are_left_alone(checker):
    text = "I'm writing on Nov. 3 about PGY2 spots; mail me at a.okafor@lakeshore-med.org or see https://example.org/xyzzy."
    assert flagged(checker, text) == []


def test_skipped_spans_are_not_checked(checker):
    text = "Dear {{ mentor.salutaton }}, thnks"
    start = text.index("{{")
    skip = [(start, text.index("}}") + 2)]
    assert flagged(checker, text, skip) == ["thnks"]


def test_suggestions_are_ordered_and_keep_the_case(checker):
    assert checker.suggestions("recomendation")[0] == "recommendation"
    assert checker.suggestions("Gratitdue")[0] == "Gratitude"
    assert "ResidencyCAS" in checker.suggestions("ResidencyCSA")


def test_words_added_are_kept_in_the_data_folder_for_the_next_start(checker, tmp_path):
    assert flagged(checker, "Dr. Okonkwo-Baptiste") == ["Okonkwo-Baptiste"]
    checker.add("Okonkwo-Baptiste")
    assert flagged(checker, "Dr. Okonkwo-Baptiste") == []
    stored = (tmp_path / "data" / "dictionary.txt").read_text(encoding="utf-8")
    assert stored == "okonkwo-baptiste\n"
    again = SpellChecker(tmp_path / "data" / "dictionary.txt").load()
    assert flagged(again, "okonkwo-baptiste") == []


def test_a_dictionary_that_cannot_be_written_says_what_to_do(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    checker = SpellChecker(blocked / "dictionary.txt").load()
    with pytest.raises(DictionaryNotSaved) as caught:
        checker.add("Okonkwo")
    assert "data folder can be written" in caught.value.user_message
    assert flagged(checker, "Okonkwo") == ["Okonkwo"]  # nothing half-remembered


def test_word_spans_cover_any_script():
    words = [m.word for m in word_spans("Dear 王老师, спасибо — merci d’avance")]
    assert words == ["Dear", "王老师", "спасибо", "merci", "d’avance"]


def test_a_500_word_body_is_checked_in_a_few_milliseconds(checker):
    body = (
        "Thank you for the teaching during my sub-internship in internal medicine, "
        "where I learned to present patients clearly and ask for feedback each day. "
    ) * 21
    body += " recomendation" * 10
    assert 500 <= len(body.split()) <= 560
    started = time.perf_counter()
    found = checker.misspellings(body)
    elapsed = time.perf_counter() - started
    print(f"checked {len(body.split())} words in {elapsed * 1000:.1f} ms")
    assert len(found) == 10
    assert elapsed < 0.05  # 16 ms is one frame; the checker is far under it
