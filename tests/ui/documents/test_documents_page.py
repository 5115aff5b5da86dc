"""The Documents page driven as a user drives it. The native file dialog
cannot be driven from a test (it may be the desktop's own portal window,
outside Qt), so the page's ``choose_file`` hook returns a fixed path; the
rest (the kind/title dialog, the copy on a worker thread, the list, the
shares panel, the refusal) is the real thing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton

from desktop.services import documents as doc_service
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Document
from desktop.ui.documents.documents_page import DocumentsPage

from ..dialogs import DialogDriver, button, click_message_button, type_text


@pytest.fixture
def dialogs(qapp):
    driver = DialogDriver()
    yield driver
    driver.check()


@pytest.fixture
def page(qtbot, db, data_paths, page_context):
    widget = DocumentsPage(page_context)
    qtbot.addWidget(widget)
    widget.resize(1180, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def tree_texts(page: DocumentsPage) -> list[str]:
    model = page.model
    texts = []
    for top in range(model.rowCount()):
        group = model.item(top, 0)
        texts.append(group.text())
        texts += ["  " + group.child(r, 0).text() for r in range(group.rowCount())]
    return texts


def add_through_page(page, qtbot, dialogs, source: Path, fill, *, new_version=False) -> int:
    page.choose_file = lambda _caption: str(source)
    dialogs.then(fill)
    with qtbot.waitSignal(page.document_added, timeout=10_000) as added:
        name = "addVersion" if new_version else "addDocument"
        qtbot.mouseClick(page.findChild(QPushButton, name), qtbot_left())
    dialogs.check()
    return added.args[0]


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_empty_page_says_what_to_add_first(page):
    empty = page.findChild(QLabel, "documentsEmptyState")
    assert empty.isVisible()
    assert "CV" in empty.text() and "personal statement" in empty.text()
    assert "letter request form (ERAS or AMCAS)" in empty.text()
    assert not page.tree.isVisible()
    assert page.findChild(QPushButton, "addDocument").isEnabled()


def test_add_a_document_and_a_version_record_a_share_and_refuse_deleting_it(
    page, qtbot, dialogs, tmp_path
):
    cv = tmp_path / "Maya Chen-Álvarez CV.pdf"
    cv.write_bytes(b"%PDF-1.4 first")
    messages: list[str] = []
    page.status_message.connect(messages.append)

    def fill_new(dialog):
        kind = dialog.findChild(QComboBox, "documentKind")
        assert kind.currentData() == "cv"  # guessed from the file name
        title = dialog.findChild(QLineEdit, "documentTitle")
        assert title.text() == "CV"
        title.clear()
        save = button(dialog, "Save")
        save.click()  # refused next to the field: a title is required
        assert dialog.isVisible()
        assert dialog.findChild(QLabel, "documentTitleError").text() == "A title is required."
        type_text(title, "CV — residency")
        type_text(dialog.findChild(QLineEdit, "versionLabel"), "June")
        save.click()

    first = add_through_page(page, qtbot, dialogs, cv, fill_new)
    assert tree_texts(page) == [
        "CV — residency  ·  CV",
        "  June (newest)  —  Maya Chen-Álvarez CV.pdf",
    ]
    assert not page.findChild(QLabel, "documentsEmptyState").isVisible()
    assert messages[-1].startswith("Added CV — residency June")
    assert page.selected_version().id == first

    cv.write_bytes(b"%PDF-1.4 second, with the research year")

    def fill_version(dialog):
        assert not dialog.findChild(QComboBox, "documentKind").isEnabled()
        assert dialog.findChild(QLineEdit, "documentTitle").isReadOnly()
        type_text(dialog.findChild(QLineEdit, "versionLabel"), "August")
        button(dialog, "Save").click()

    second = add_through_page(page, qtbot, dialogs, cv, fill_version, new_version=True)
    assert tree_texts(page) == [
        "CV — residency  ·  CV  (2 versions)",
        "  August (newest)  —  Maya Chen-Álvarez CV.pdf",
        "  June  —  Maya Chen-Álvarez CV.pdf",
    ]
    assert Document.get_by_id(second).sha256 != Document.get_by_id(first).sha256
    assert page.findChild(QLabel, "sharesEmpty").text().startswith("This version has not")

    mentor = save_mentor(
        MentorFields(honorific="Dr.", first_name="Lucía", last_name="Peña", category="other")
    )
    doc_service.record_shared([second], mentor)  # as the compose window does on sending
    page.reload()
    page.select_version(second)
    shares = page.shares_model
    assert page.shares_table.isVisible()
    assert [shares.index(0, c).data() for c in (0, 1, 3)] == [
        "August",
        "Dr. Lucía Peña",
        "Recorded",
    ]
    page.select_version(first)
    assert shares.rowCount() == 0

    # Delete the shared version: refused, with the writer named and "Keep it".
    page.select_version(second)
    seen = {}

    def refused(box):
        seen["text"] = box.text()
        click_message_button(box, "Keep it")

    dialogs.then(lambda box: click_message_button(box, "Delete version")).then(refused)
    page.findChild(QPushButton, "deleteVersion").click()
    dialogs.check()
    assert "sent to Dr. Lucía Peña" in seen["text"]
    assert Document.get_or_none(id=second) is not None
    assert page.library.path_of(second).exists()

    # The unshared one goes, file and all.
    page.select_version(first)
    old_path = page.library.path_of(first)
    dialogs.then(lambda box: click_message_button(box, "Delete version"))
    page.findChild(QPushButton, "deleteVersion").click()
    dialogs.check()
    assert Document.get_or_none(id=first) is None and not old_path.exists()
    assert tree_texts(page) == [
        "CV — residency  ·  CV",
        "  August (newest)  —  Maya Chen-Álvarez CV.pdf",
    ]


def test_a_refused_file_is_explained_and_nothing_is_added(page, qtbot, dialogs, tmp_path):
    empty = tmp_path / "statement.pdf"
    empty.write_bytes(b"")
    page.choose_file = lambda _caption: str(empty)
    seen = {}

    def warned(box):
        seen["text"] = box.text()
        box.accept()

    dialogs.then(lambda dialog: button(dialog, "Save").click()).then(warned)
    page.findChild(QPushButton, "addDocument").click()
    qtbot.waitUntil(lambda: "text" in seen, timeout=10_000)
    dialogs.check()
    assert "“statement.pdf” is empty" in seen["text"]
    assert Document.select().count() == 0
    assert list(page.library.folder.iterdir()) == []
    assert page.findChild(QPushButton, "addDocument").isEnabled()


def test_search_open_and_check(page, tmp_path, monkeypatch):
    source = tmp_path / "transcript.pdf"
    source.write_bytes(b"grades")
    transcript = page.library.add_version(source, kind="transcript", title="Transcript")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(b"cv")
    page.library.add_version(cv, kind="cv", title="CV")
    page.reload()
    page.set_search_text("transc")
    assert tree_texts(page)[0] == "Transcript"
    assert len(tree_texts(page)) == 2
    page.set_search_text("")
    assert len(tree_texts(page)) == 4

    opened: list[QUrl] = []
    page.open_url = opened.append  # opening would start another program
    page.select_version(transcript)
    page.open_selected()
    assert opened == [QUrl.fromLocalFile(str(page.library.path_of(transcript)))]

    messages: list[str] = []
    page.status_message.connect(messages.append)
    page.check_selected()
    assert messages == ["“Transcript v1” is intact (checksum matches)."]
    page.library.path_of(transcript).write_bytes(b"changed")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    page.check_selected()
    assert "has changed since it was added" in warnings[0]
