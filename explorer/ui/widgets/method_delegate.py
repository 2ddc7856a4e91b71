"""How the method browser paints a method row: a verb badge and the name, then the path, smaller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from explorer.core.catalog.model import Method
from explorer.ui import theme

if TYPE_CHECKING:
    from explorer.ui.widgets.method_browser import MethodBrowser

_BADGE_WIDTH = 52
_UNDOCUMENTED = "undocumented"
ALIGN = Qt.AlignmentFlag
ELIDE = Qt.TextElideMode


class MethodDelegate(QStyledItemDelegate):
    """Paints a method row on two lines: [VERB] name, then the path (and "undocumented") smaller, dimmer.

    Two lines keep both readable in a narrow sidebar: the path is elided in the middle only when it
    really does not fit, and the row's tooltip always has it whole.
    """

    def __init__(self, browser: MethodBrowser) -> None:
        super().__init__(browser.tree)
        self._browser = browser

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        line = option.fontMetrics.height()
        if self._browser.method_at(index) is None:
            return QSize(size.width(), max(size.height(), line + 8))
        return QSize(size.width(), line + QFontMetrics(theme.small_font(option.font)).height() + 10)

    def row_texts(self, option: QStyleOptionViewItem, method: Method) -> tuple[str, str]:
        """The name and the path as painted in `option.rect` (elided only when they do not fit)."""
        rect = option.rect.adjusted(2, 4, -6, -4)
        x = rect.left() + _BADGE_WIDTH + 8
        name_room = max(rect.right() - x - 2, 0)
        name = option.fontMetrics.elidedText(method.summary or method.id, ELIDE.ElideRight, name_room)
        small = theme.small_font(option.font)
        right = rect.right()
        if not method.documented:
            right -= _tag_width(small) + 10
        # The path starts under the badge: it is usually the longer text, and the badge column is free there.
        path = QFontMetrics(small).elidedText(method.path, ELIDE.ElideMiddle, max(right - rect.left() - 2, 0))
        return name, path

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        method = self._browser.method_at(index)
        if method is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        rect = option.rect.adjusted(2, 4, -6, -4)
        line = option.fontMetrics.height()
        top = QRect(rect.left(), rect.top(), rect.width(), line)
        bottom = QRect(rect.left(), top.bottom() + 1, rect.width(), rect.bottom() - top.bottom())
        badge = QRect(rect.left(), top.top() + 1, _BADGE_WIDTH, line - 2)
        small = theme.small_font(option.font)
        badge_font = QFont(small)
        badge_font.setBold(True)
        theme.paint_verb_badge(painter, badge, method.verb, badge_font)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = (option.palette.highlightedText() if selected else option.palette.text()).color()
        name, path = self.row_texts(option, method)
        x = badge.right() + 8
        painter.setFont(option.font)
        painter.setPen(text_colour)
        painter.drawText(QRect(x, top.top(), rect.right() - x, top.height()), ALIGN.AlignVCenter, name)
        painter.setPen(text_colour if selected else theme.muted_colour(option.palette))
        if not method.documented:
            tag_font = QFont(small)
            tag_font.setItalic(True)
            painter.setFont(tag_font)
            painter.drawText(bottom, ALIGN.AlignVCenter | ALIGN.AlignRight, _UNDOCUMENTED)
        painter.setFont(small)
        painter.drawText(bottom, ALIGN.AlignVCenter, path)
        painter.restore()


def _tag_width(small: QFont) -> int:
    tag_font = QFont(small)
    tag_font.setItalic(True)
    # A few pixels of slack: elidedText() rounds differently from horizontalAdvance() on some devices.
    return QFontMetrics(tag_font).horizontalAdvance(_UNDOCUMENTED) + 4
