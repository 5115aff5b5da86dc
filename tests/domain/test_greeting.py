"""How an email greets a mentor: "Dr." inferred from doctoral credentials,
the typed honorific first, the mentor's own greeting over both."""

from __future__ import annotations

import pytest

from desktop.domain.greeting import (
    clean_greeting,
    credential_tokens,
    has_doctorate,
    inferred_greeting,
    inferred_honorific,
    mentor_greeting,
)
from desktop.domain.people import mentor_salutation


@pytest.mark.parametrize(
    "credentials",
    [
        "MD", "M.D.", "md", "DO", "D.O.", "PhD", "Ph.D.", "MD, PhD", "MD-PhD", "MD/PhD",
        "MBBS", "MBChB", "DPM", "DMD", "DDS", "PharmD", "Pharm.D.", "EdD", "DNP", "DrPH",
        "MPH, MD", "RN, DNP", "ＭＤ", "MD FACP", "MD (hon.)",
    ],
)  # fmt: skip
def test_doctoral_credentials_make_a_doctor(credentials):
    assert has_doctorate(credentials)
    assert inferred_honorific("", credentials) == "Dr."


@pytest.mark.parametrize("credentials", ["", "RN", "PA-C", "MPH", "MBA", "JD", "MSN, RN", "NP"])
def test_other_credentials_do_not(credentials):
    assert not has_doctorate(credentials)
    assert inferred_honorific("", credentials) == ""


def test_tokens_are_normalised():
    assert credential_tokens("M.D., Ph.D.") == ["MD", "PHD"]
    assert credential_tokens("MD-PhD") == ["MD", "PHD"]
    assert credential_tokens("MD and PhD") == ["MD", "PHD"]


def test_a_typed_honorific_wins_over_the_credentials():
    assert inferred_honorific("Prof.", "MD") == "Prof."
    assert inferred_honorific("Ms.", "") == "Ms."
    assert mentor_salutation("Prof.", "Ada", "Byrne", "PhD") == "Prof. Byrne"


def test_the_inferred_greeting():
    assert inferred_greeting("", "Maria", "Lopez", "MD") == "Dear Dr. Lopez"
    assert inferred_greeting("", "Maria", "Lopez", "RN") == "Dear Maria Lopez"
    assert inferred_greeting("", "", "Lopez", "") == "Dear Lopez"
    assert inferred_greeting("", "", "", "") == "Dear colleague"
    assert mentor_salutation("", "Maria", "Lopez", "MD") == "Dr. Lopez"
    assert mentor_salutation("", "Maria", "Lopez") == "Maria Lopez"  # no credentials known


@pytest.mark.parametrize(
    ("first", "last", "credentials", "expected"),
    [
        ("秀英", "王", "MD, PhD", "Dear Dr. 王"),
        ("Олена", "Коваленко", "MD", "Dear Dr. Коваленко"),
        ("ليلى", "حداد", "PharmD", "Dear Dr. حداد"),
        ("Renée", "Lefèvre-Dubois", "", "Dear Renée Lefèvre-Dubois"),
        ("Søren", "Ødegård", "DO", "Dear Dr. Ødegård"),
        ("अनीता", "शर्मा", "MBBS", "Dear Dr. शर्मा"),
    ],
)
def test_non_latin_names(first, last, credentials, expected):
    assert inferred_greeting("", first, last, credentials) == expected


def test_the_mentors_own_greeting_wins():
    assert mentor_greeting("Dear Maria", "", "Maria", "Lopez", "MD") == "Dear Maria"
    assert mentor_greeting(None, "", "Maria", "Lopez", "MD") == "Dear Dr. Lopez"
    assert mentor_greeting("   ", "", "Maria", "Lopez", "MD") == "Dear Dr. Lopez"
    assert mentor_greeting("Hello 王老师", "Dr.", "秀英", "王") == "Hello 王老师"


def test_a_greeting_is_stored_as_one_line_without_its_comma():
    assert clean_greeting("Dear Maria,") == "Dear Maria"
    assert clean_greeting("  Dear   Dr.\nLopez ,  ") == "Dear Dr. Lopez"
    assert clean_greeting(None) == ""
