"""The Today page: what to do next, most urgent first, with one-click ways
to act, and the season's timeline beside it.

The advice is computed off the GUI thread (snapshot load plus rules can
take a few hundred milliseconds on large data); each refresh gets a
generation number so a slow, older result never overwrites a newer one.
Changes (a status move, a logged event, a snooze) are small single writes
done on the GUI thread through ``guarded``, then Today refreshes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.actions import Action, ActionKind, Urgency
from desktop.domain.replies import mail_app_link
from desktop.domain.timing import format_day
from desktop.domain.vocabulary import RequestEventKind, RequestStatus, TemplatePurpose
from desktop.services.mail.account import load_account
from desktop.services.mail.imap import imap_server_for
from desktop.services.today import TodayResult, compute_today, tidy_ended_snoozes
from desktop.store import replies as reply_store
from desktop.store import requests as request_store
from desktop.store import settings as settings_store
from desktop.store.errors import explain_database_error
from desktop.store.outbox import utc_now
from desktop.ui.common import (
    Changes,
    FlowLayout,
    Intent,
    Page,
    PageContext,
    SaveFailed,
    Target,
    UndoStep,
    guarded,
    run_in_background,
    set_role,
)
from desktop.ui.requests import perform_move
from desktop.ui.today.action_list import ActionList
from desktop.ui.today.reply_cards import ReplyCards
from desktop.ui.today.settings_dialog import open_advice_settings
from desktop.ui.today.timeline import TimelineLegend, TimelineView

log = logging.getLogger(__name__)
# "Write email…" on a card opens compose with this template.
EMAIL_PURPOSES = {
    ActionKind.ASK_BY: TemplatePurpose.REQUEST.value,
    ActionKind.LEAD_TIME: TemplatePurpose.REQUEST.value,
    ActionKind.SEND_MATERIALS: TemplatePurpose.MATERIALS.value,
    ActionKind.NUDGE: TemplatePurpose.NUDGE.value,
    ActionKind.THANK: TemplatePurpose.THANK_YOU.value,
    ActionKind.SHARE_OUTCOME: TemplatePurpose.UPDATE.value,
}
# Above this many actions, the search texts are written on a worker thread.
PREPARE_SEARCH_ABOVE = 2000


def search_text(action: Action) -> str:
    title, detail = action.text
    return f"{title} {detail} {action.kind.label}".casefold()


def search_texts(result: TodayResult) -> dict[str, str]:
    actions = [*result.visible, *(action for action, _state in result.hidden)]
    return {action.key: search_text(action) for action in actions}


class TodayPage(Page):
    """Controller and layout of the Today page."""

    # Advice reads nearly everything; only templates and the account do not matter.
    WATCHES = Changes.EVERYTHING & ~(Changes.TEMPLATES | Changes.ACCOUNT)
    refreshed = Signal()  # a refresh finished and is on screen
    replies_shown = Signal()  # the reply cards were (re)loaded

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("todayPage")
        self._generation = 0
        self._refreshing = False
        self._pruned = False
        self._result: TodayResult | None = None
        self._terms: list[str] = []
        self._haystacks: dict[str, str] = {}

        heading = QLabel(self.tr("Today"))
        set_role(heading, "heading")
        self.summary = QLabel()
        self.summary.setObjectName("todaySummary")
        set_role(self.summary, "hint")
        self.busy = QLabel(self.tr("Working out what to do next…"))
        self.busy.setObjectName("todayBusy")
        set_role(self.busy, "hint")
        self.show_hidden = QPushButton(self.tr("Show hidden"))
        self.show_hidden.setObjectName("showHidden")
        self.show_hidden.setCheckable(True)
        self.show_hidden.setToolTip(self.tr("Show snoozed and dismissed items to restore them"))
        self.show_hidden.toggled.connect(lambda _checked: self._show_result(keep_page=True))
        settings_button = QPushButton(self.tr("Advice settings…"))
        settings_button.setObjectName("adviceSettings")
        settings_button.clicked.connect(self.open_settings)
        refresh_button = QPushButton(self.tr("Refresh"))
        refresh_button.setObjectName("refreshToday")
        refresh_button.clicked.connect(self.refresh)
        header = FlowLayout()
        header.addWidget(heading)
        header.addSpacing(12)
        header.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignBottom)
        header.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.show_hidden)
        header.addWidget(settings_button)
        header.addWidget(refresh_button)

        self.actions_list = ActionList()
        self.actions_list.operation.connect(self._operate)
        self.actions_list.snooze.connect(self._snooze)
        self.actions_list.dismiss.connect(self._dismiss)
        self.actions_list.restore.connect(self._restore)
        self.empty_state = QLabel()
        self.empty_state.setObjectName("todayEmptyState")
        set_role(self.empty_state, "empty-state")
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.actions_list)
        self.list_stack.addWidget(self.empty_state)
        self.reply_cards = ReplyCards()
        self.reply_cards.operation.connect(self._reply_operation)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.reply_cards)
        left_layout.addWidget(self.list_stack, 1)

        self.timeline = TimelineView()
        self.timeline.request_activated.connect(
            lambda request_id: self.navigate.emit(Target("requests", item_id=request_id))
        )
        timeline_title = QLabel(self.tr("Timeline"))
        set_role(timeline_title, "subheading")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(timeline_title)
        right_layout.addWidget(self.timeline, 1)
        self.legend = TimelineLegend()
        right_layout.addWidget(self.legend)

        self.splitter = QSplitter()
        self.splitter.setObjectName("todaySplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.list_stack.setMinimumWidth(420)  # a card stays readable; its buttons wrap
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([660, 430])

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        self._show_working()
        self._refreshing = True  # until the first result is on screen
        # From the event loop, after the window's first paint: a worker
        # started now would compete with that paint for the interpreter.
        QTimer.singleShot(0, self.refresh)

    # --- refreshing -------------------------------------------------------------

    def reload(self) -> None:
        self.refresh()

    def selected_mentor_id(self) -> int | None:
        """The writer of the card the keyboard is on, for Ctrl+L."""
        card = self.actions_list.focused_card()
        if card is None:
            return None
        action = card.action
        if action.mentor_id is None and action.request_id is not None:
            row = request_store.load_request_row(action.request_id)
            return row.mentor_id if row is not None else None
        return action.mentor_id

    def focus_results(self) -> None:
        """Tab from the search lands on the first card's first button."""
        if not self.actions_list.focus_first_card():
            super().focus_results()

    def refresh(self) -> None:
        """Work out the actions again on a worker thread."""
        self._generation += 1
        generation = self._generation
        self._refreshing = True
        self.busy.show()
        today = date.today()
        if not self._pruned:
            self._pruned = True
            tidy_ended_snoozes(today)
        run_in_background(
            lambda: compute_today(today),
            lambda result: self._loaded(result, generation),
            lambda error: self._failed(error, generation),
        )
        run_in_background(
            reply_store.waiting_replies,
            lambda rows: self._replies_loaded(rows, generation),
            lambda error: self._replies_failed(error),
        )

    def is_refreshing(self) -> bool:
        return self._refreshing

    def _loaded(self, result: TodayResult, generation: int) -> None:
        if generation != self._generation:
            return  # a newer refresh is under way
        self._refreshing = False
        self.busy.hide()
        self._result = result
        self._haystacks = {}
        self._show_result(keep_page=True)
        self.refreshed.emit()
        if len(result.visible) + len(result.hidden) > PREPARE_SEARCH_ABOVE:
            # Writing every action's text for the search box takes a while
            # on a large list; do it now on a worker, not on the first key.
            run_in_background(
                lambda: search_texts(result),
                lambda texts: self._search_prepared(result, texts),
                lambda error: log.warning("Search texts not prepared: %s", error),
            )

    def _search_prepared(self, result: TodayResult, texts: dict[str, str]) -> None:
        if result is self._result:
            self._haystacks = {**texts, **self._haystacks}

    def _failed(self, error: Exception, generation: int) -> None:
        if generation != self._generation:
            return
        self._refreshing = False
        self.busy.hide()
        message = explain_database_error(error)
        if message is None:
            raise error  # a bug: the crash dialog reports it
        self.empty_state.setText(
            self.tr("Today could not be worked out. {why}").format(why=message)
        )
        self.list_stack.setCurrentWidget(self.empty_state)

    def _replies_loaded(self, rows: list[reply_store.ReplyRow], generation: int) -> None:
        if generation == self._generation:
            self.reply_cards.show_replies(rows, utc_now())
            if self._result is not None:
                self._update_summary(self._result)
            self.replies_shown.emit()

    def _replies_failed(self, error: Exception) -> None:
        if explain_database_error(error) is None:
            raise error
        log.warning("Replies not shown: %s", error)

    def _show_working(self) -> None:
        self.empty_state.setText(self.tr("Working out what to do next…"))
        self.list_stack.setCurrentWidget(self.empty_state)

    # --- showing ----------------------------------------------------------------

    def set_search_text(self, text: str) -> None:
        terms = text.casefold().split()
        if terms == self._terms:
            return
        self._terms = terms
        self._show_result()

    def _matches(self, action: Action) -> bool:
        haystack = self._haystacks.get(action.key)
        if haystack is None:
            haystack = self._haystacks[action.key] = search_text(action)
        return all(term in haystack for term in self._terms)

    def _show_result(self, keep_page: bool = False) -> None:
        result = self._result
        if result is None:
            return
        visible, hidden = result.visible, result.hidden
        if self._terms:
            visible = [a for a in visible if self._matches(a)]
            hidden = [(a, s) for a, s in hidden if self._matches(a)]
        self.show_hidden.setText(self.tr("Show hidden ({n})").format(n=len(result.hidden)))
        self.show_hidden.setEnabled(bool(result.hidden) or self.show_hidden.isChecked())
        shown_hidden = hidden if self.show_hidden.isChecked() else []
        self.actions_list.show_actions(visible, shown_hidden, result.today, keep_page=keep_page)
        self._update_summary(result)
        if visible or shown_hidden:
            self.list_stack.setCurrentWidget(self.actions_list)
        else:
            self.empty_state.setText(self._empty_text(result))
            self.list_stack.setCurrentWidget(self.empty_state)
        rows = result.timeline.rows
        if self._terms:
            rows = tuple(r for r in rows if all(t in r.label.casefold() for t in self._terms))
        self.timeline.set_data(result.timeline, rows)
        self.legend.setVisible(not result.timeline.is_empty)

    def _update_summary(self, result: TodayResult) -> None:
        urgent = sum(1 for a in result.visible if a.urgency is Urgency.URGENT)
        count = len(result.visible)
        if not count:
            text = self.tr("Nothing to do")
        else:
            # Whole sentences per number, so a translation can word each.
            text = (self.tr("1 thing to do") if count == 1 else self.tr("{n} things to do")).format(
                n=count
            )
            if urgent:
                text += self.tr(", {urgent} urgent").format(urgent=urgent)
        replies = len(self.reply_cards.cards)
        if replies:
            text += " · " + (
                self.tr("1 reply") if replies == 1 else self.tr("{n} replies").format(n=replies)
            )
        self.summary.setText(f"{format_day(result.today)} · {text}")

    def _empty_text(self, result: TodayResult) -> str:
        if not result.has_data:
            return self.tr(
                "Welcome to LetterDesk. Start on the Mentors page: add the people who "
                "might write for you and the rotations you did with them. Today then "
                "tells you when to ask, when to remind and when to say thank you."
            )
        if self._terms and result.visible:
            return self.tr("Nothing on Today matches the search.")
        text = self.tr(
            "Nothing needs doing today. Items appear here when a rotation nears its "
            "end, an ask-by date comes close, a letter is due or submitted, or a "
            "program lacks letters. Plan requests with due dates so Today can time them."
        )
        if len(result.hidden) == 1:
            text += " " + self.tr("1 hidden item: use “Show hidden” to see it.")
        elif result.hidden:
            text += " " + self.tr("{n} hidden items: use “Show hidden” to see them.").format(
                n=len(result.hidden)
            )
        return text

    def current_keys(self) -> list[str]:
        """Keys of the actions on screen, in order (hidden ones excluded)."""
        return self.actions_list.visible_keys()

    # --- acting -----------------------------------------------------------------

    def _operate(self, operation: str, action: Action) -> None:
        today = date.today()
        rid, mid = action.request_id, action.mentor_id
        if operation in ("openRequest", "findBackup") and rid is not None:
            self.navigate.emit(Target("requests", item_id=rid))
        elif operation == "openMentor" and mid is not None:
            self.navigate.emit(Target("mentors", item_id=mid))
        elif operation == "openProgram" and action.program_id is not None:
            self.navigate.emit(Target("programs", item_id=action.program_id))
        elif operation == "startRequest" and mid is not None:
            self.navigate.emit(Target("requests", Intent.NEW, mentor_id=mid))
        elif operation == "writeEmail":
            purpose = EMAIL_PURPOSES.get(action.kind) or None
            self.navigate.emit(Target.compose(request_id=rid, mentor_id=mid, purpose=purpose))
        elif rid is not None:
            change = self._change_for(operation, rid, today)
            if change is not None:
                self._change(action, *change)

    def _change_for(
        self, operation: str, rid: int, today: date
    ) -> tuple[Callable[[], object], str] | None:
        """The change a card's button makes and what to say once it is made;
        None when the user cancelled (the day of an ask or a submission)."""
        from desktop.ui.requests import ask_move_date, move_undo_step, moved_text

        S = RequestStatus
        moves = {"askedInPerson": S.ASKED, "markMaterialsSent": S.MATERIALS_SENT,
                 "markSubmitted": S.SUBMITTED}  # fmt: skip
        if operation in moves:
            status = moves[operation]
            # A refused move says why before the day is asked for.
            refusal = request_store.move_refusal(rid, status, on=today, today=today)
            on = today if refusal else ask_move_date(self, rid, status, today=today)
            if on is None:
                return None
            note = self.tr("Asked in person") if operation == "askedInPerson" else ""
            row = request_store.load_request_row(rid)
            mentor = row.mentor_name if row else ""

            def move() -> UndoStep:
                receipt = request_store.move_status(rid, status, note=note, on=on, today=today)
                return move_undo_step(receipt, mentor, moved_text(receipt, mentor, on, today))

            return move, ""

        def event(
            kind: RequestEventKind, done: str, undone: str
        ) -> tuple[Callable[[], object], str]:
            def log() -> UndoStep:
                event_id = request_store.log_event(rid, kind, today)
                return UndoStep(
                    done=done,
                    undo=lambda: request_store.delete_event(event_id),
                    undone=undone,
                    changes=Changes.REQUESTS | Changes.INTERACTIONS,
                )

            return log, done

        return {
            "logReminder": event(
                RequestEventKind.REMINDED,
                self.tr("Reminder logged for today."),
                self.tr("Reminder taken back."),
            ),
            "logThankYou": event(
                RequestEventKind.THANKED,
                self.tr("Thank-you logged for today."),
                self.tr("Thank-you taken back."),
            ),
        }[operation]

    def _change(self, action: Action, change: Callable[[], object], done: str) -> None:
        try:
            result = guarded(self, change, handled_here=(request_store.RequestError,))
        except SaveFailed:
            return
        except request_store.RequestError as refused:
            self._explain_refusal(action, refused.user_message)
            return
        self._after_change(action, done, result if isinstance(result, UndoStep) else None)

    def _explain_refusal(self, action: Action, message: str) -> None:
        box = QMessageBox(self)
        box.setObjectName("todayRefused")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Not changed"))
        box.setText(message)
        open_button = None
        if action.request_id is not None:
            open_button = box.addButton(self.tr("Open request"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if open_button is not None and box.clickedButton() is open_button:
            self.navigate.emit(Target("requests", item_id=action.request_id))
        self.refresh()  # the data may have changed elsewhere

    def _after_change(self, action: Action, message: str, undo: UndoStep | None = None) -> None:
        card = self.actions_list.card_for(action.key)
        if card is not None:
            card.setEnabled(False)  # stale until the refresh lands
        self.refresh()
        self.data_changed.emit(Changes.REQUESTS | Changes.INTERACTIONS)
        if undo is not None:
            self.undoable.emit(undo)  # says what happened, with Undo
        else:
            self.status_message.emit(f"{action.title}: {message}")

    def _snooze(self, action: Action, days: int) -> None:
        until = date.today() + timedelta(days=days)
        try:
            guarded(self, lambda: settings_store.snooze(action.key, until))
        except SaveFailed:
            return
        self._after_change(action, self.tr("snoozed until {day}.").format(day=format_day(until)))

    def _dismiss(self, action: Action) -> None:
        try:
            guarded(self, lambda: settings_store.dismiss(action.key))
        except SaveFailed:
            return
        self._after_change(action, self.tr("dismissed. “Show hidden” brings it back."))

    def _restore(self, action: Action) -> None:
        try:
            guarded(self, lambda: settings_store.restore_action(action.key))
        except SaveFailed:
            return
        self._after_change(action, self.tr("restored."))

    # --- acting on a reply -------------------------------------------------------

    def _reply_operation(self, operation: str, reply: reply_store.ReplyRow) -> None:
        today = date.today()
        if operation == "openInMail":
            account = load_account()
            host = imap_server_for(account).host if account is not None else ""
            if not QDesktopServices.openUrl(QUrl(mail_app_link(reply.message_id, host))):
                self.status_message.emit(
                    self.tr(
                        "No mail app here opens links to a message. Look in your inbox for "
                        "“{subject}” from {address}."
                    ).format(subject=reply.subject, address=reply.from_address)
                )
            return
        if operation == "markDeclined" and reply.request_id is not None:
            moved = perform_move(self, reply.request_id, RequestStatus.DECLINED, today=today)
            if not moved.moved:
                return
            change: Callable[[], object] = lambda: reply_store.mark_declined(reply.id)  # noqa: E731
            done = self.tr("{name}'s request marked declined.")
        elif operation == "markAccepted":
            change = lambda: reply_store.mark_accepted(reply.id, today=today)  # noqa: E731
            done = self.tr("{name}'s request marked accepted.")
        elif operation == "logInteraction":
            change = lambda: reply_store.log_as_interaction(reply.id, today=today)  # noqa: E731
            done = self.tr("{name}'s reply logged as an interaction.")
        else:
            change = lambda: reply_store.mark_dismissed(reply.id)  # noqa: E731
            done = self.tr("Reply from {name} dismissed.")
        try:
            guarded(self, change, handled_here=(request_store.RequestError,))
        except SaveFailed:
            return
        except request_store.RequestError as refused:
            box = QMessageBox(self)
            box.setObjectName("replyRefused")
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle(self.tr("Not changed"))
            box.setText(refused.user_message)
            box.exec()
            return
        card = self.reply_cards.card_for(reply.id)
        if card is not None:
            card.setEnabled(False)  # stale until the refresh lands
        self.refresh()
        self.data_changed.emit(Changes.REPLIES | Changes.REQUESTS | Changes.INTERACTIONS)
        # After data_changed: the window's status line would cover it.
        self.status_message.emit(done.format(name=reply.mentor_name))

    def open_settings(self) -> None:
        if open_advice_settings(self):
            self.status_message.emit(self.tr("Advice settings saved."))
            self.refresh()
            self.data_changed.emit(Changes.ADVICE_SETTINGS)
