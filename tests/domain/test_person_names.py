"""Splitting a whole name as people type it into its parts: the rules the
CSV importer (a "Name" column) and the vCard importer (a card with only FN,
or a given name only) share."""

from __future__ import annotations

import pytest

from desktop.domain.person_names import PersonName, split_full_name


@pytest.mark.parametrize(
    ("text", "honorific", "first", "last", "credentials"),
    [
        ("Chloé Lefèvre-Dubois", "", "Chloé", "Lefèvre-Dubois", ""),
        ("Smith, Jane", "", "Jane", "Smith", ""),
        ("O'Neil, Siobhán", "", "Siobhán", "O'Neil", ""),
        ("Smith, Jane, MD, PhD", "", "Jane", "Smith", "MD, PhD"),
        ("Dr. Jürgen Müller, MD", "Dr.", "Jürgen", "Müller", "MD"),
        ("Amara Okafor MD", "", "Amara", "Okafor", "MD"),
        ("Amara Okafor M.D.", "", "Amara", "Okafor", "M.D."),
        ("Prof. Dr. Hans-Peter Vogel MD PhD", "Prof. Dr.", "Hans-Peter", "Vogel", "MD, PhD"),
        ("Martin Luther King Jr.", "", "Martin Luther", "King", "Jr."),
        ("Jane Smith, Jr., MD", "", "Jane", "Smith", "Jr., MD"),
        ("Ludwig van Beethoven", "", "Ludwig", "van Beethoven", ""),
        ("Dra. María José de la Cruz", "Dra.", "María José", "de la Cruz", ""),
        ("Smith, Dr. Jane", "Dr.", "Jane", "Smith", ""),
        ("Maria", "", "", "Maria", ""),
        ("Dr. House", "Dr.", "", "House", ""),
        ("李 华", "", "李", "华", ""),
        ("  Ada   Lovelace  ", "", "Ada", "Lovelace", ""),
        ("", "", "", "", ""),
    ],
)
def test_full_names_split_as_people_write_them(text, honorific, first, last, credentials):
    name = split_full_name(text)
    assert (name.honorific, name.first, name.last, name.credentials) == (
        honorific,
        first,
        last,
        credentials,
    )


def test_phone_book_decorations_are_not_name_parts():
    # WhatsApp-style: a sort prefix glued to the name and a number after it.
    name = split_full_name("zzMad Perla 45")
    assert (name.first, name.last) == ("Mad", "Perla")
    assert name.changed  # the importer keeps the name as written, in notes


def test_a_plain_name_is_not_marked_changed():
    assert not split_full_name("Jane Smith").changed
    assert split_full_name("Zara Zzyzx") == PersonName("", "Zara", "Zzyzx", "", changed=False)


def test_a_name_of_nothing_but_credentials_keeps_them_as_the_name():
    # "MD" alone is more likely a person's initials than a degree.
    assert split_full_name("MD").last == "MD"


def test_a_name_after_a_lone_comma_is_the_last_name():
    # Found by the property test: ",A" gave an empty last name.
    name = split_full_name(", Maria")
    assert (name.first, name.last) == ("", "Maria")
