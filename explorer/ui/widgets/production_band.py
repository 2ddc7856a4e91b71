"""The production band: a coloured strip across the top of the window while a production profile is in use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar, QWidget

from explorer.core.profiles.model import PRODUCTION_COLOUR
from explorer.ui.widgets.request_tabs import api_of

if TYPE_CHECKING:
    from explorer.core.lifecycle.spec import RequestSpec
    from explorer.ui.main_window import MainWindow
    from explorer.ui.widgets.request_tabs import RequestTabs


class Guarded(Protocol):
    """What the band reads from a profile or a target (both frozen: read-only attributes)."""

    @property
    def production(self) -> bool: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def colour(self) -> str | None: ...
    @property
    def base_url(self) -> str: ...


def site_of(base_url: str) -> str:
    """The site as people name it: host and subfolder, no scheme (`forum.example.com/community`)."""
    parts = urlsplit(base_url)
    return (parts.netloc + parts.path.rstrip("/")) or base_url


def production_colour(guarded: Guarded | None) -> str | None:
    """The band colour of a production profile or target; None for any other."""
    if guarded is None or not guarded.production:
        return None
    return guarded.colour or PRODUCTION_COLOUR


class ProductionBand(QToolBar):
    """A full-width toolbar row above the main toolbar, shown only for a production site."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Production", parent)
        self.setObjectName("productionBand")
        self.setMovable(False)
        self.setFloatable(False)
        # The band is a warning, not an optional toolbar: it is not in the toolbar context menu.
        self.toggleViewAction().setVisible(False)
        self.setStyleSheet("QToolBar#productionBand { border: 0; padding: 0; margin: 0; spacing: 0; }")
        self.label = QLabel()
        self.label.setObjectName("productionBandText")
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.addWidget(self.label)
        self.colour: str | None = None
        self.hide()

    def show_for(self, guarded: Guarded | None, profile_name: str = "") -> None:
        """Show the band for a production profile or target, hide it for anything else."""
        colour = production_colour(guarded)
        self.colour = colour
        if guarded is None or colour is None:
            self.hide()
            return
        site = site_of(guarded.base_url)
        text = f"PRODUCTION — {site}" + ("  ·  read-only" if guarded.read_only else "")
        self.label.setText(text)
        self.label.setStyleSheet(
            f"QLabel#productionBandText {{ background: {colour}; color: white; font-weight: 600;"
            " padding: 3px 10px; }"
        )
        whose = f"Profile {profile_name} talks" if profile_name else "This profile talks"
        rule = "writes are refused" if guarded.read_only else "every write asks first, naming the site"
        self.label.setToolTip(f"{whose} to the production site {guarded.base_url}: {rule}.")
        self.show()


def install_production_band(window: MainWindow, tabs: RequestTabs) -> ProductionBand:
    """Add the band above the main toolbar and colour the tabs whose requests go to production.

    Both follow the editor's target: the editor refreshes (request_changed) whenever its profile changes.
    """
    band = ProductionBand(window)
    main_bar = window.findChild(QToolBar, "mainToolbar")
    if main_bar is not None:
        window.insertToolBar(main_bar, band)
        window.insertToolBarBreak(main_bar)
    else:
        window.addToolBar(band)

    def colour_of(spec: RequestSpec) -> str | None:
        api = api_of(spec)
        target = window.editor.target
        if api is None or (target is not None and target.api == api):
            return production_colour(target)
        return production_colour(window.active_profile(api))

    def update() -> None:
        target = window.editor.target
        band.show_for(target, target.profile_name if target is not None else "")
        tabs.refresh_titles()

    tabs.colour_of = colour_of
    window.editor.request_changed.connect(update)
    window.profiles_ready.connect(update)
    tabs.current_changed.connect(update)
    update()
    return band
