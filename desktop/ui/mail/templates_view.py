"""Layout of the Templates page: the template list, the editor (field
chips, a simple view and the template code, both spell-checked), the
preview and the field list. Behaviour lives in ``templates_page``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.mail.template_syntax import syntax_spans
from desktop.services.mail.templates import FIELDS
from desktop.ui.common import (
    Page,
    PageContext,
    SpellLineEdit,
    enable_spell_check,
    set_role,
    spell_checker,
)
from desktop.ui.mail.field_chips import FieldChips
from desktop.ui.mail.template_simple import SimpleTemplateText, token_spans


class TemplatesView(Page):
    """Widgets and layout only; every widget has an objectName for tests."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("templatesPage")
        self._checker = spell_checker(context.paths)
        splitter = QSplitter()
        splitter.setObjectName("templatesSplitter")
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_editor())
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._build_preview())
        right.addWidget(self._build_fields())
        right.setSizes([430, 300])
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([240, 470, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # --- layout ----------------------------------------------------------------

    def _build_list(self) -> QWidget:
        self.template_list = QTreeWidget()
        self.template_list.setObjectName("templateList")
        self.template_list.setAccessibleName(self.tr("Email templates"))
        self.template_list.setHeaderHidden(True)
        self.template_list.setRootIsDecorated(False)
        self.template_list.setUniformRowHeights(False)
        self.template_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Room between the two-line entries; local to this list (see style.py).
        self.template_list.setStyleSheet("QTreeWidget::item { padding: 5px 2px; }")
        heading = QLabel(self.tr("Email templates"))
        set_role(heading, "subheading")
        hint = QLabel(
            self.tr("“Edited” templates differ from the text that ships; reset brings it back.")
        )
        set_role(hint, "hint")
        hint.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.template_list, 1)
        layout.addWidget(hint)
        return box

    def _build_editor(self) -> QWidget:
        self.editor_heading = QLabel()
        self.editor_heading.setObjectName("editorHeading")
        set_role(self.editor_heading, "subheading")
        # The template code: the text as stored, Jinja syntax and all.
        self.subject = SpellLineEdit()
        self.subject.setObjectName("templateSubject")
        self.subject.setAccessibleName(self.tr("Subject template"))
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.body.setAccessibleName(self.tr("Body template"))
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body.setTabChangesFocus(True)
        # The simple view of the same text: fields by name, tags in words.
        self.simple_subject = SpellLineEdit()
        self.simple_subject.setObjectName("templateSubjectSimple")
        self.simple_subject.setAccessibleName(self.tr("Subject"))
        self.simple_body = QPlainTextEdit()
        self.simple_body.setObjectName("templateBodySimple")
        self.simple_body.setAccessibleName(self.tr("Body"))
        self.simple_body.setTabChangesFocus(True)
        self.simple_subject_text = SimpleTemplateText(self.simple_subject)
        self.simple_body_text = SimpleTemplateText(self.simple_body)
        # Checked like an email; {{ fields }}, {% tags %} and the simple
        # view's named fields are not words.
        for editor in (self.subject, self.body):
            enable_spell_check(editor, self._checker, syntax_spans)
        for editor in (self.simple_subject, self.simple_body):
            enable_spell_check(editor, self._checker, token_spans)
        self.chips = FieldChips()
        self.code_toggle = QCheckBox(self.tr("Show template code"))
        self.code_toggle.setObjectName("showTemplateCode")
        self.code_toggle.setToolTip(
            self.tr("See and edit the {{ fields }} and {% if %} tags as they are stored")
        )
        self.problem_label = QLabel()
        self.problem_label.setObjectName("templateProblem")
        set_role(self.problem_label, "field-error")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.hide()

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveTemplate")
        set_role(self.save_button, "primary")
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.setObjectName("revertTemplate")
        self.revert_button.setToolTip(self.tr("Undo the changes since the last save"))
        self.reset_button = QPushButton(self.tr("Reset to default…"))
        self.reset_button.setObjectName("resetTemplate")
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        self.editor_stack = QStackedWidget()
        self.editor_stack.setObjectName("templateEditors")
        self.editor_stack.addWidget(self._editor_pair(self.simple_subject, self.simple_body))
        self.editor_stack.addWidget(self._editor_pair(self.subject, self.body))
        chips_label = QLabel(self.tr("Insert a field:"))
        set_role(chips_label, "hint")
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.editor_heading, 1)
        heading_row.addWidget(self.code_toggle)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading_row)
        layout.addWidget(chips_label)
        layout.addWidget(self.chips)
        layout.addWidget(self.editor_stack, 1)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)
        return box

    def _editor_pair(self, subject: QWidget, body: QWidget) -> QWidget:
        subject_label = QLabel(self.tr("Subject"))
        subject_label.setBuddy(subject)
        body_label = QLabel(self.tr("Body"))
        body_label.setBuddy(body)
        pair = QWidget()
        layout = QVBoxLayout(pair)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(subject_label)
        layout.addWidget(subject)
        layout.addWidget(body_label)
        layout.addWidget(body, 1)
        return pair

    def _build_preview(self) -> QWidget:
        self.request_combo = QComboBox()
        self.request_combo.setObjectName("previewRequest")
        self.request_combo.setAccessibleName(self.tr("Preview with request"))
        self.preview_subject = QLabel()
        self.preview_subject.setObjectName("previewSubject")
        self.preview_subject.setWordWrap(True)
        self.preview_subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.preview_subject, "emphasis")
        self.preview_body = QPlainTextEdit()
        self.preview_body.setObjectName("previewBody")
        self.preview_body.setAccessibleName(self.tr("Preview of the email"))
        self.preview_body.setReadOnly(True)
        self.preview_note = QLabel()
        self.preview_note.setObjectName("previewNote")
        set_role(self.preview_note, "hint")
        self.preview_note.setWordWrap(True)
        heading = QLabel(self.tr("Preview"))
        set_role(heading, "subheading")
        row = QHBoxLayout()
        with_label = QLabel(self.tr("With:"))
        with_label.setBuddy(self.request_combo)
        row.addWidget(with_label)
        row.addWidget(self.request_combo, 1)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addLayout(row)
        layout.addWidget(self.preview_subject)
        layout.addWidget(self.preview_body, 1)
        layout.addWidget(self.preview_note)
        return box

    def _build_fields(self) -> QWidget:
        self.field_list = QTreeWidget()
        self.field_list.setObjectName("templateFields")
        self.field_list.setAccessibleName(self.tr("Fields a template can use"))
        self.field_list.setHeaderLabels([self.tr("Field"), self.tr("What it holds")])
        self.field_list.setRootIsDecorated(False)
        self.field_list.setAlternatingRowColors(True)
        self.field_list.setColumnWidth(0, 178)
        for field in FIELDS:
            item = QTreeWidgetItem([field.path, self.tr(field.description)])
            item.setData(0, Qt.ItemDataRole.UserRole, field.insertion)
            item.setToolTip(0, field.insertion)
            item.setToolTip(1, self.tr(field.description))
            self.field_list.addTopLevelItem(item)
        self.field_hint = hint = QLabel()
        hint.setObjectName("fieldHint")
        set_role(hint, "hint")
        hint.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field_list, 1)
        layout.addWidget(hint)
        return box
