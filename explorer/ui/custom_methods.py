"""Custom methods in the window: save a free-form request as one, rename or describe it, delete it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QMenu, QMessageBox, QToolBar

from explorer.core.catalog.custom import CUSTOM_GROUP, CustomCatalogError, CustomMethodError
from explorer.core.catalog.model import Api, Method
from explorer.core.lifecycle.spec import RequestSpec
from explorer.ui.widgets.request_tabs import api_of

if TYPE_CHECKING:  # loaded when a method is first saved or deleted: start-up needs only the action
    from explorer.core.lifecycle.to_method import CustomMethodDraft
    from explorer.ui.main_window import MainWindow
    from explorer.ui.widgets.custom_method_dialog import CustomMethodDialog


def describe_draft(draft: CustomMethodDraft) -> str:
    """The method a request would become, as the dialog previews it."""
    method = draft.method
    lines = [f"{method.verb} {method.path}"]
    for param in method.params:
        example = f", e.g. {param.example}" if param.example not in (None, "", [], {}) else ""
        kind = "list" if param.array else param.type
        lines.append(f"  {param.name}  ({param.location}, {kind}{example})")
    if not method.params:
        lines.append("  (no parameters)")
    lines.extend(draft.notes)
    return "\n".join(lines)


class CustomMethods(QObject):
    """The "Save as custom method…" action (free-form requests only) and the browser's Custom rows menu.

    Dialogs and the delete question open with open(), never exec(): the app runs asyncio inside Qt.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: CustomMethodDialog | None = None
        self.box: QMessageBox | None = None
        self.menu: QMenu | None = None
        self.action = QAction("Save as custom method…", window)
        self.action.setToolTip(
            "Turn this free-form request into a method of your own catalog (the Custom group)"
        )
        self.action.triggered.connect(self.save_current)
        bar = window.findChild(QToolBar, "mainToolbar")
        if bar is not None:
            before = next((a for a in bar.actions() if a.text() == "Shortcuts"), None)
            if before is not None:
                bar.insertAction(before, self.action)
            else:
                bar.addAction(self.action)
        tree = window.browser.tree
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._show_menu)
        window.editor.spec_changed.connect(self._update_action)
        window.editor.method_changed.connect(lambda _method: self._update_action())
        window.request_tabs.current_changed.connect(self._update_action)
        self._update_action()
        if window.services.custom_notice:
            QTimer.singleShot(0, self, self._show_notice)  # once the window is on screen

    # -- saving a free-form request ---------------------------------------------------------------------

    def _update_action(self) -> None:
        editor = self._window.editor
        self.action.setEnabled(editor.method is None and bool(editor.spec().url.strip()))

    def _api_and_base(self, spec: RequestSpec) -> tuple[Api | None, str | None]:
        target = self._window.editor.target
        api = api_of(spec) or (target.api if target is not None else None)
        base_url = target.base_url if target is not None and target.api == api else None
        return api, base_url

    def save_current(self) -> None:
        """Ask for a name and save the free-form request in front as a custom method of its API."""
        window = self._window
        spec = window.editor.spec()
        api, base_url = self._api_and_base(spec)
        if not spec.is_free_form or api is None:
            window.statusBar().showMessage(
                "Only a free-form request with a profile (so its API is known) can become a method.", 6000
            )
            return
        taken = {m.id for m in window.services.bundled_catalogs[api].methods}
        from explorer.core.lifecycle.to_method import method_from_free_form
        from explorer.ui.widgets.custom_method_dialog import CustomMethodDialog

        def draft(name: str, placeholders: bool) -> CustomMethodDraft:
            return method_from_free_form(
                spec, api=api, method_id=name, base_url=base_url, placeholders=placeholders
            )

        def preview(placeholders: bool) -> str:
            try:
                return describe_draft(draft("preview", placeholders))
            except CustomMethodError as exc:
                return str(exc)

        confirmed: set[str] = set()  # names the user asked, by saving twice, to replace

        def submit(name: str, description: str, placeholders: bool) -> str | None:
            store = window.services.custom_methods
            try:
                existing = store.get(api, name)
                if existing is not None and name not in taken and name not in confirmed:
                    # Saving again from a new request is how a custom method's parameters change.
                    confirmed.add(name)
                    return (
                        f"{name} is already one of your methods ({existing.verb} {existing.path}). "
                        "Save again to replace it with this request."
                    )
                made = draft(name, placeholders)
                kept = existing.description if existing is not None else ""
                method = replace(made.method, description=description.strip() or kept)
                saved = store.add(method, taken, replace=existing is not None)
            except (CustomMethodError, CustomCatalogError) as exc:
                return str(exc)
            self._catalogs_changed()
            window.request_tabs.replace_current(
                RequestSpec(
                    api=api.value,
                    method_id=saved.id,
                    arguments=made.arguments,
                    headers=tuple(h for h in spec.headers if h.name.strip().lower() != "content-type"),
                    profile=spec.profile,
                    title=spec.title,
                )
            )
            window.statusBar().showMessage(
                f"Saved as {saved.id} in {api.value}'s Custom group. " + " ".join(made.notes), 10000
            )
            return None

        self._open(CustomMethodDialog("Save as custom method", submit, preview=preview, parent=window))

    # -- the browser's menu: edit and delete -----------------------------------------------------------------

    def _show_menu(self, pos: QPoint) -> None:
        browser = self._window.browser
        method = browser.method_at(browser.tree.indexAt(pos))
        if method is None or method.group != CUSTOM_GROUP.id:
            return
        menu = QMenu(browser.tree)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Rename or describe…", lambda: self.edit(method))
        menu.addAction("Delete…", lambda: self.delete(method))
        self.menu = menu
        menu.popup(browser.tree.viewport().mapToGlobal(pos))  # popup(), not exec(): no nested loop

    def edit(self, method: Method) -> None:
        from explorer.ui.widgets.custom_method_dialog import CustomMethodDialog

        window = self._window
        taken = {m.id for m in window.services.bundled_catalogs[method.api].methods}

        def submit(name: str, description: str, _placeholders: bool) -> str | None:
            try:
                saved = window.services.custom_methods.update(
                    method.api, method.id, new_id=name, description=description, taken=taken
                )
            except (CustomMethodError, CustomCatalogError) as exc:
                return str(exc)
            self._catalogs_changed()
            api = method.api.value
            # Tabs showing the method follow it (a renamed id, and the Docs tab's new description).
            window.request_tabs.map_specs(
                lambda spec: replace(spec, method_id=saved.id)
                if (spec.api, spec.method_id) == (api, method.id)
                else None
            )
            current = window.editor.spec()
            if (current.api, current.method_id) == (api, saved.id):
                window.request_tabs.replace_current(current)
            window.statusBar().showMessage(f"Custom method {saved.id} saved.", 5000)
            return None

        self._open(
            CustomMethodDialog(
                "Edit custom method", submit, name=method.id, description=method.description, parent=window
            )
        )

    def delete(self, method: Method) -> None:
        """Ask (with a box opened, not exec()'d) and delete the method; its tabs keep a free-form copy."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete custom method",
            f"Delete the custom method {method.id} ({method.verb} {method.path})?\n\n"
            "Tabs that use it keep their request as a free-form one.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._window,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: QAbstractButton) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self._delete(method)

        box.buttonClicked.connect(answered)
        self.box = box
        box.open()

    def _delete(self, method: Method) -> None:
        from explorer.core.lifecycle.to_method import free_form_equivalent

        window = self._window
        catalogs = window.services.catalogs  # still with the method: its tabs are rebuilt from it
        target = window.profiles.target_for(method.api)
        key = (method.api.value, method.id)
        window.request_tabs.map_specs(
            lambda spec: free_form_equivalent(spec, catalogs, target)
            if (spec.api, spec.method_id) == key
            else None
        )
        try:
            window.services.custom_methods.delete(method.api, method.id)
        except (CustomMethodError, CustomCatalogError) as exc:
            window.statusBar().showMessage(str(exc), 8000)
            return
        self._catalogs_changed()
        window.statusBar().showMessage(f"Custom method {method.id} deleted.", 5000)

    # -- shared ---------------------------------------------------------------------------------------------

    def _catalogs_changed(self) -> None:
        """Show the catalogs again with the custom methods as they now are, keeping the row in use."""
        window = self._window
        window.services.custom_methods_changed()
        browser = window.browser
        active = browser.active_method()
        # The editor already shows its request: re-selecting its row must not load it again.
        browser.blockSignals(True)
        try:
            browser.set_catalogs(window.services.catalogs)
            if active is not None:
                browser.select_method(active.key)
        finally:
            browser.blockSignals(False)

    def _open(self, dialog: CustomMethodDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _show_notice(self) -> None:
        notice = self._window.services.custom_notice
        box = QMessageBox(QMessageBox.Icon.Warning, "Custom methods", notice, parent=self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.box = box
        box.open()


def install_custom_methods(window: MainWindow) -> CustomMethods:
    return CustomMethods(window)
