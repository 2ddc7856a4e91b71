"""Paging in the main window: Next page (Ctrl+Shift+→) through the normal send, and Fetch all pages…"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # asyncio too: imported when a walk starts, not before the window's first paint
    import asyncio

    from explorer.core.lifecycle.send import Exchange, SendObserver
    from explorer.core.lifecycle.spec import RequestSpec
    from explorer.core.paging import FetchResult, Pager
    from explorer.ui.main_window import MainWindow
    from explorer.ui.widgets.fetch_all_dialog import FetchAllDialog
    from explorer.ui.widgets.paging_bar import PagingBar

log = logging.getLogger(__name__)

# A response bigger than this is not parsed a second time to find its next page (the viewer has it).
_PARSE_LIMIT = 64 * 2**20


class WindowPaging(QObject):
    """Follows the responses the window shows and offers their next page; runs fetch-all walks.

    Next page loads the next page's specification into the editor and sends it the normal way, so it is
    a new response, recorded in the history like any other. A walk started with Fetch all pages… sends
    every page through the core's fetch_all (paced by the window's rate pacer when there is one), then
    shows the merged array as one response and records it in the history as one entry.
    """

    fetched = Signal(object)  # FetchResult, once a walk ends and its merged array is shown

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from explorer.ui.widgets.paging_bar import PagingBar

        self._window = window
        self.bar: PagingBar = PagingBar()
        window.response.badge_row.addWidget(self.bar)
        self.bar.next_requested.connect(self.next_page)
        self.bar.fetch_all_requested.connect(self.open_fetch_all)
        self._pager: Pager | None = None
        self._next: RequestSpec | None = None
        self._awaiting: RequestSpec | None = None  # the next page sent, until its answer arrives
        self._why_not = ""
        self._fetchable: str | None = None  # the method id of the successful page shown, if any
        self.dialog: FetchAllDialog | None = None
        self._cancel: asyncio.Event | None = None
        self.task: asyncio.Task[None] | None = None
        window.exchanged.connect(self._exchanged)
        window.editor.method_changed.connect(lambda _method: self._update())
        self._update()

    # -- next page -----------------------------------------------------------------------------------------

    @property
    def next_spec(self) -> RequestSpec | None:
        """The specification of the page after the response shown, or None."""
        return self._next

    def _exchanged(self, exchange: Exchange) -> None:
        from explorer.core.lifecycle.prepare import find_method
        from explorer.core.paging import Pager

        awaited, self._awaiting = self._awaiting, None
        self._next, self._why_not, self._fetchable = None, "", None
        spec = exchange.spec
        found = find_method(spec, self._window.services.catalogs) if spec is not None else None
        method = found if not isinstance(found, str) else None
        if spec is None or method is None:
            self._pager = None
            return self._update()
        continuing = awaited is not None and self._pager is not None and awaited.method_id == spec.method_id
        if not continuing:
            self._pager = Pager(spec, method, self._window.services.catalogs) if method.pagination else None
        if self._pager is None:
            return self._update()
        document = self._document(exchange)
        if document is None:
            self._why_not = "This response has no list to continue (it failed or is not JSON)"
        else:
            self._fetchable = spec.method_id
            self._next = self._pager.next_spec(document)
            if self._next is None:
                self._why_not = "This was the last page"
        self._update()

    def _document(self, exchange: Exchange) -> object | None:
        result = exchange.result
        if exchange.failed or not result.is_json or result.size > _PARSE_LIMIT:
            return None
        try:
            return result.json()
        except (ValueError, OSError):
            return None

    def _update(self) -> None:
        method = self._window.editor.method
        pages = method is not None and method.pagination is not None
        # Fetch all pages… only once a page of the method in the editor has answered successfully: not
        # before any response, nor after a 404 (the walk would fail on its first page).
        fetchable = pages and method is not None and self._fetchable == method.id
        self.bar.update_state(
            pages=pages, has_next=self._next is not None, why_not=self._why_not, fetchable=fetchable
        )

    def next_page(self) -> bool:
        """Send the page after the response shown (through the window's normal send); False when there
        is none."""
        window = self._window
        if self._next is None:
            window.statusBar().showMessage(
                f"No next page: {self._why_not or 'send a list that pages first'}.", 5000
            )
            return False
        spec = self._next
        window.editor.load_spec(spec)
        if not window.send():
            return False
        self._awaiting = spec
        return True

    # -- fetch all -----------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.done()

    def open_fetch_all(self) -> FetchAllDialog | None:
        """Open the dialog for the request in the editor; None (after saying why) when it does not page."""
        from explorer.ui.widgets.fetch_all_dialog import FetchAllDialog

        window = self._window
        method = window.editor.method
        if method is None or method.pagination is None:
            window.statusBar().showMessage(
                "Fetch all pages: the request shown is not a list that pages.", 5000
            )
            return None
        if self.busy and self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        spec = window.editor.spec()
        dialog = FetchAllDialog(spec.label(), window)
        dialog.start_requested.connect(lambda pages, items: self.start(spec, dialog, pages, items))
        dialog.cancel_requested.connect(self.cancel)
        dialog.destroyed.connect(self.cancel)  # the window closing with a walk running ends it
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()
        return dialog

    def start(self, spec: RequestSpec, dialog: FetchAllDialog, max_pages: int, max_items: int) -> None:
        import asyncio

        self._cancel = asyncio.Event()
        self.task = asyncio.get_event_loop().create_task(self._run(spec, dialog, max_pages, max_items))

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _pacing(self) -> list[SendObserver]:
        # The rate pacer, when the window has one, is among the controller's observers; the history
        # recorder is not passed: the walk is recorded once, merged.
        return [o for o in self._window.controller.observers if callable(getattr(o, "retry_after", None))]

    async def _run(self, spec: RequestSpec, dialog: FetchAllDialog, max_pages: int, max_items: int) -> None:
        from explorer.core.paging import fetch_all, merged_exchange

        window = self._window
        editor = window.editor
        profile = window.active_profile(editor.target.api) if editor.target is not None else None
        pacers = self._pacing()
        restore = [(pacer, getattr(pacer, "on_wait", None)) for pacer in pacers]
        for pacer, told in restore:
            # The dialog says "waiting 12 s for the rate limit" too, besides whoever the pacer told before.
            pacer.on_wait = _also_tell(told, dialog)  # type: ignore[attr-defined]
        try:
            result = await fetch_all(
                spec,
                catalogs=window.services.catalogs,
                target=editor.target,
                executor=window.services.executor,
                max_pages=max_pages,
                max_items=max_items,
                observers=pacers,
                on_progress=lambda pages, items: _progress(dialog, pages, items),
                cancel=self._cancel,
                variables=editor.variables(),
                timeout_s=profile.timeout_s if profile is not None else None,
            )
        except Exception as exc:  # fetch_all reports HTTP failures itself; this is a last line of defence
            log.exception("fetch all failed unexpectedly")
            if _alive(dialog):
                dialog.show_finished(f"Stopped: {exc}", failed=True)
            return
        finally:
            for pacer, told in restore:
                pacer.on_wait = told  # type: ignore[attr-defined]
        if not _alive(dialog):
            return  # the window closed meanwhile: nothing left to show it in
        merged = merged_exchange(result)
        if merged is not None and result.pages:
            self._show(result, merged)
        dialog.show_finished(_finished_text(result), failed=result.failure is not None)
        self.fetched.emit(result)

    def _show(self, result: FetchResult, merged: Exchange) -> None:
        window = self._window
        recorder = window.services.history.recorder()
        if recorder is not None:
            recorder.after_send(merged)  # one history entry for the walk, its note naming the pages
        self._pager, self._next, self._why_not = None, None, "This is every page merged"
        self._fetchable = None
        window.response.sent_label = result.spec.label()
        window.response.show_result(merged.result)
        window.response_shown.emit(merged.result)
        self._update()


def _also_tell(told: Callable[[float], None] | None, dialog: FetchAllDialog) -> Callable[[float], None]:
    from explorer.core.ratebudget import waiting_text

    def on_wait(seconds: float) -> None:
        if told is not None:
            told(seconds)
        if _alive(dialog):
            dialog.show_waiting(waiting_text(seconds))

    return on_wait


def _progress(dialog: FetchAllDialog, pages: int, items: int) -> None:
    if _alive(dialog):
        dialog.show_progress(pages, items)


def _alive(dialog: FetchAllDialog) -> bool:
    import shiboken6

    return shiboken6.isValid(dialog)


def _finished_text(result: FetchResult) -> str:
    summary = result.summary()
    return summary[0].upper() + summary[1:] + "."
