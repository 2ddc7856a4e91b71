"""Dark and light: text keeps its contrast across switches; fields and check boxes stay visible in dark."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QStyle, QStyleOptionButton, QWidget

from explorer.ui import theme


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 (same) to 21 (black on white)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[QPalette]:
    """Yields the light palette; puts the application's palette and style back afterwards."""
    light, style = QPalette(qapp.palette()), qapp.style().name()
    yield light
    qapp.setPalette(light)
    if isinstance(qapp.style(), theme.OutlinedStyle):
        qapp.setStyle(style)
        qapp.setPalette(light)


def _headings(window: Any) -> list[QLabel]:
    form = window.editor.form.widget()
    return [label for label in form.findChildren(QLabel) if label.text() in ("Path", "Query", "Body")]


def test_the_form_heading_stays_readable_from_dark_to_system(
    qapp: QApplication, make_window: Any, restore_look: QPalette
) -> None:
    theme.apply_colour_scheme(qapp, Qt.ColorScheme.Dark, restore_look)
    window = make_window()  # the form and its headings are made while the palette is dark
    assert window.browser.select_method("discourse:createTopicPostPM")
    headings = _headings(window)
    assert headings
    background = window.palette().color(QPalette.ColorRole.Window)
    for heading in headings:
        assert contrast_ratio(heading.palette().color(heading.foregroundRole()), background) >= 3
    # "Follow the system" on a light desktop, then explicitly light.
    for scheme in (Qt.ColorScheme.Unknown, Qt.ColorScheme.Light):
        theme.apply_colour_scheme(qapp, scheme, restore_look)
        assert not theme.is_dark()
        QApplication.processEvents()  # the new palette reaches top-level windows through a posted event
        background = qapp.palette().color(QPalette.ColorRole.Window)
        assert window.palette().color(QPalette.ColorRole.Window) == background  # no part stays dark
        for heading in _headings(window):
            text = heading.palette().color(heading.foregroundRole())
            assert contrast_ratio(text, background) >= 3, (heading.text(), text.name(), background.name())


def test_a_styled_label_follows_a_switch_back_to_light(qapp: QApplication, restore_look: QPalette) -> None:
    theme.apply_colour_scheme(qapp, Qt.ColorScheme.Dark, restore_look)
    label = QLabel("Wait 10 s")
    label.setStyleSheet("font-weight: 600; padding: 6px;")  # like the countdown and other styled labels
    label.show()
    theme.apply_colour_scheme(qapp, Qt.ColorScheme.Light, restore_look)
    text = label.palette().color(QPalette.ColorRole.WindowText)
    assert contrast_ratio(text, qapp.palette().color(QPalette.ColorRole.Window)) >= 3
    label.close()


def _spread(image: QImage, left: int, top: int, width: int, height: int, background: QColor) -> float:
    """The largest contrast ratio between `background` and any pixel of the rectangle."""
    return max(
        contrast_ratio(image.pixelColor(x, y), background)
        for x in range(left, left + width)
        for y in range(top, top + height)
    )


def _grab(widget: QWidget) -> QImage:
    widget.resize(widget.sizeHint().expandedTo(widget.minimumSizeHint()))
    return widget.grab().toImage()


def test_dark_fields_and_unchecked_boxes_are_visible(qapp: QApplication, restore_look: QPalette) -> None:
    theme.apply_colour_scheme(qapp, Qt.ColorScheme.Dark, restore_look)
    background = qapp.palette().color(QPalette.ColorRole.Window)
    holder = QWidget()
    box = QCheckBox("", holder)  # no text: the indicator is all there is to see
    edit = QLineEdit(holder)  # empty: only its border can show where it is
    holder.show()

    option = QStyleOptionButton()
    box.initStyleOption(option)
    image = _grab(box)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    assert not box.isChecked()
    x, y, width, height = indicator.x(), indicator.y(), indicator.width(), indicator.height()
    assert _spread(image, x, y, width, height, background) >= 2

    image = _grab(edit)
    middle = QPoint(image.width() // 2, image.height() // 2)
    base = image.pixelColor(middle)  # the field's inside, its base colour
    border = max(contrast_ratio(image.pixelColor(x, middle.y()), base) for x in range(0, 3))
    assert border >= 2  # the left edge stands out from the inside
    assert _spread(image, 0, middle.y(), 3, 1, background) >= 2  # and from the window around it
    holder.close()


def test_light_drawing_is_the_platform_styles(qapp: QApplication, restore_look: QPalette) -> None:
    box = QCheckBox("")
    before = _grab(box)
    theme.apply_colour_scheme(qapp, Qt.ColorScheme.Dark, restore_look)
    theme.apply_colour_scheme(qapp, Qt.ColorScheme.Light, restore_look)
    assert _grab(box) == before  # the outlines are only drawn over a dark palette
