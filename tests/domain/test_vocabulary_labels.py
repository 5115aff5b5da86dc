"""Every stored vocabulary carries its own label, in one place."""

from __future__ import annotations

import inspect
from enum import StrEnum

import pytest

from desktop.domain import vocabulary

STORED = [
    cls
    for _name, cls in inspect.getmembers(vocabulary, inspect.isclass)
    if issubclass(cls, StrEnum) and cls is not StrEnum and cls.__module__ == vocabulary.__name__
]


def test_the_vocabularies_are_found():
    names = {cls.__name__ for cls in STORED}
    assert {"RequestStatus", "ProgramStatus", "EmailState", "TemplatePurpose"} <= names


@pytest.mark.parametrize("enum", STORED, ids=lambda cls: cls.__name__)
def test_every_member_has_a_label_and_labels_differ(enum):
    labels = [member.label for member in enum]
    assert all(isinstance(label, str) and label.strip() for label in labels)
    assert len(set(labels)) == len(labels)


def test_the_labels_people_asked_to_agree():
    assert vocabulary.DocumentKind.REQUEST_FORM.label == "Letter request form"
    assert vocabulary.TemplatePurpose.NUDGE.label == "Nudge after asking"
    assert vocabulary.ProgramStatus.INTERVIEW.label == "Interview"
