"""The profile dialog's Production / Read-only / colour fields, and Test connection through the lifecycle."""

from __future__ import annotations

from typing import Any

from explorer.core.catalog.model import Api
from explorer.core.profiles.model import PRODUCTION_COLOUR
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.profile_dialog import ProfileDialog


def _dialog(qtbot: Any, window: Any, current: str | None = None) -> ProfileDialog:
    dialog = ProfileDialog(window.services, current)
    qtbot.addWidget(dialog)
    return dialog


def test_guards_are_saved_with_the_profile_and_shown_again(
    qtbot: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    dialog = _dialog(qtbot, window)
    guards = dialog.guards
    # The built-in sandbox is selected first: its guards are off and cannot be switched on.
    assert not guards.production.isEnabled() and not guards.read_only.isEnabled()
    assert not guards.production.isChecked() and not guards.colour.isEnabled()

    dialog.new_profile()
    assert guards.production.isEnabled() and not guards.colour.isEnabled()  # no colour until production
    dialog.name.setText("Live forum")
    dialog.base_url.setText("https://forum.example.com")
    guards.production.setChecked(True)
    assert guards.colour.isEnabled() and guards.colour.current_value() == PRODUCTION_COLOUR
    assert guards.colour.select_value("#7d3c98")
    guards.read_only.setChecked(True)
    assert dialog.save_profile(), dialog.error.text()

    saved = window.services.profiles.get_by_name("Live forum")
    assert saved is not None
    assert (saved.production, saved.read_only, saved.colour) == (True, True, "#7d3c98")
    text = window.services.profiles.path.read_text(encoding="utf-8")
    assert '"production": true' in text and '"read_only": true' in text and "#7d3c98" in text

    again = _dialog(qtbot, window, saved.id)
    assert again.guards.production.isChecked() and again.guards.read_only.isChecked()
    assert again.guards.colour.current_value() == "#7d3c98"
    # Switching production off forgets the colour; the default colour is not written at all.
    again.guards.production.setChecked(False)
    assert again.save_profile(), again.error.text()
    plain = window.services.profiles.get(saved.id)
    assert plain is not None and (plain.production, plain.read_only, plain.colour) == (False, True, None)


def test_test_connection_goes_through_the_lifecycle_even_for_a_read_only_disqus_profile(
    qtbot: Any, qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    sent: list[str] = []
    executor = window.services.executor
    real = executor.execute

    async def spy(request: Any, **kw: Any) -> Any:
        sent.append(f"{request.method} {request.url}")
        return await real(request, **kw)

    executor.execute = spy
    dialog = _dialog(qtbot, window)
    dialog.new_profile()
    dialog.name.setText("Read-only Disqus")
    dialog.api.select_value(Api.DISQUS)
    dialog.base_url.setText(sandbox_server.disqus_base_url)
    dialog.kind.select_value("keys")
    dialog.credential_edits["user_api_key"].setText(sandbox_server.disqus_user_api_key)
    dialog.guards.read_only.setChecked(True)
    dialog.guards.production.setChecked(True)

    async def probe() -> str:
        dialog.test_connection()
        assert dialog._task is not None
        await dialog._task
        return dialog.test_result.text()

    # get_user_name must be POSTed, but asking who you are changes nothing: the guards do not stop it.
    assert qloop.run_until_complete(probe()).startswith("Connected. The user key belongs to")
    assert sent == [f"POST {sandbox_server.disqus_base_url}/api/get_user_name/"]
