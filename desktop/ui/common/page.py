"""The page contract: what every page of the main window is and does.

A page is a ``Page`` subclass. It registers itself from its feature
package's ``__init__.py`` with ``register_page(PageSpec(...))``; the main
window lists the registry in ``order`` and builds each page the first time
it is shown (the spec's ``build`` imports the page's module then, so
start-up pays only for the landing page).

A page talks to the window only through its four signals:

- ``status_message(str)``: a sentence for the status bar;
- ``data_changed(Changes)``: what kinds of data this page just changed; the
  window tells every other built page, and each reloads only when it shows
  one of those kinds (``WATCHES``);
- ``navigate(Target)``: take the user somewhere (another page, an item on
  it, the compose window);
- ``undoable(UndoStep)``: a change just made, said in the status bar with
  an Undo button (``desktop.ui.common.undo``).

The window never touches a page's widgets: it calls ``reload()``,
``set_search_text()``, ``go_to()``, ``start_deferred_work()``,
``selected_mentor_id()`` (for Ctrl+L), ``focus_results()`` (Tab from the
search) and ``save_view_state()`` / ``restore_view_state()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Flag, StrEnum, auto

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QWidget

from desktop.paths import DataPaths


class Changes(Flag):
    """Kinds of stored data; a change reports the kinds it touched."""

    NONE = 0
    PROFILE = auto()
    CYCLES = auto()
    MENTORS = auto()
    INTERACTIONS = auto()
    EXPERIENCES = auto()
    REQUESTS = auto()
    PROGRAMS = auto()
    ASSIGNMENTS = auto()
    DOCUMENTS = auto()
    TEMPLATES = auto()
    EMAILS = auto()
    ADVICE_SETTINGS = auto()
    ACCOUNT = auto()
    REPLIES = auto()  # a writer's reply noticed in the inbox, or acted on
    # What sending an email changes: the email, the request it asks or
    # reminds, the interaction logged, the documents shared.
    SENDING = EMAILS | REQUESTS | INTERACTIONS | DOCUMENTS
    # An import or restore replaced what there was.
    EVERYTHING = (
        PROFILE | CYCLES | MENTORS | INTERACTIONS | EXPERIENCES | REQUESTS | PROGRAMS
        | ASSIGNMENTS | DOCUMENTS | TEMPLATES | EMAILS | ADVICE_SETTINGS | ACCOUNT | REPLIES
    )  # fmt: skip


class Intent(StrEnum):
    """What the user wants to do at a ``Target``."""

    OPEN = "open"  # show the item
    NEW = "new"  # start a new item (for ``mentor_id`` where given)
    LOG_INTERACTION = "log"  # log an interaction with the selected mentor


COMPOSE = "compose"  # the target "page" that opens the compose window


@dataclass(frozen=True)
class Target:
    """Where a page asks the window to take the user."""

    page: str  # a registered page's key, or COMPOSE
    intent: Intent = Intent.OPEN
    item_id: int | None = None  # the request, mentor, program… to open
    mentor_id: int | None = None  # for a new request or an email to a mentor
    request_id: int | None = None  # for an email about a request
    purpose: str | None = None  # the email template's purpose

    @classmethod
    def compose(
        cls,
        *,
        request_id: int | None = None,
        mentor_id: int | None = None,
        purpose: str | None = None,
    ) -> Target:
        return cls(COMPOSE, request_id=request_id, mentor_id=mentor_id, purpose=purpose)


@dataclass(frozen=True)
class PageContext:
    """What the window hands every page it builds."""

    paths: DataPaths


class Page(QWidget):
    """Base of every page in the main window's navigation."""

    status_message = Signal(str)
    data_changed = Signal(object)  # Changes
    navigate = Signal(object)  # Target
    undoable = Signal(object)  # UndoStep: a change just made that the user may take back

    #: The kinds of data this page shows; it reloads when one of them changes.
    WATCHES: Changes = Changes.NONE

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def reload(self) -> None:
        """Read the page's data again and show it."""
        raise NotImplementedError

    def shows(self, changes: Changes) -> bool:
        return bool(changes & self.WATCHES)

    def set_search_text(self, text: str) -> None:
        """The toolbar's search field changed; pages without a list ignore it."""

    def go_to(self, target: Target) -> None:
        """Show what ``target`` names (the window has already shown the page)."""

    def start_deferred_work(self) -> None:
        """Work held back until the window's first paint (a background load)."""

    def selected_mentor_id(self) -> int | None:
        """The mentor of what is selected here, for Log interaction (Ctrl+L)
        from any page; None where nothing names a mentor."""
        return None

    def focus_results(self) -> None:
        """Tab from the toolbar's search lands on what it filtered: the
        page's first list or table on screen."""
        for view in self.findChildren(QAbstractItemView):
            if view.isVisible() and view.focusPolicy() != Qt.FocusPolicy.NoFocus:
                view.setFocus(Qt.FocusReason.TabFocusReason)
                if not view.currentIndex().isValid() and view.model() is not None:
                    first = view.model().index(0, 0)
                    if first.isValid():
                        view.setCurrentIndex(first)
                return
        widget = self.nextInFocusChain()
        while widget is not self and self.isAncestorOf(widget):
            if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()

    def save_view_state(self, settings: QSettings) -> None:
        """Keep splitters, sort orders… in ``settings`` (a group of its own)."""

    def restore_view_state(self, settings: QSettings) -> None:
        """Put back what ``save_view_state`` kept."""


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # source text; shown through QCoreApplication.translate("Pages", …)
    order: int  # position in the navigation, smallest first
    build: Callable[[PageContext], Page]


_registry: dict[str, PageSpec] = {}


def register_page(spec: PageSpec) -> None:
    if spec.key in _registry or spec.key == COMPOSE:
        raise ValueError(f"A page called {spec.key!r} is already registered")
    _registry[spec.key] = spec


def registered_pages() -> list[PageSpec]:
    return sorted(_registry.values(), key=lambda spec: spec.order)
