"""Paints the History tab's rows: a day heading with a rule, or [VERB] method, pin, status, time and size."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from explorer.ui import theme
from explorer.ui.history_model import HistoryModel, entry_details, entry_outcome, entry_title

_BADGE_WIDTH = 52
_PIN_WIDTH = 12
ALIGN = Qt.AlignmentFlag


def _draw_pin(painter: QPainter, rect: QRect, colour: QColor) -> None:
    """A drawing pin, tilted: drawn rather than typed, since an emoji font may be missing."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(rect.center())
    painter.rotate(35)
    size = min(rect.width(), rect.height())
    head = size * 0.3
    painter.setPen(QPen(colour, 1.4))
    painter.drawLine(QPointF(0, head * 0.6), QPointF(0, size * 0.5))  # the needle
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(-head * 0.6, -size * 0.5, head * 1.2, head * 1.2), 1.5, 1.5)  # the grip
    painter.drawRect(QRectF(-head, -size * 0.5 + head * 1.1, head * 2, head * 0.45))  # the collar
    painter.restore()


class HistoryDelegate(QStyledItemDelegate):
    """Two lines per entry, as in the method browser: a verb badge and the method id (or path), then the
    outcome in its status colour with the time, duration and size, smaller; a heading per day."""

    def __init__(self, model: HistoryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # The same for every row, headings included (the view uses fixed row heights).
        return QSize(200, self.row_height(option.font))

    @staticmethod
    def row_height(font: QFont) -> int:
        """Two lines: the title in `font`, the details a little smaller."""
        return QFontMetrics(font).height() + QFontMetrics(theme.small_font(font)).height() + 10

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        entry = self._model.entry_at(index)
        painter.save()
        try:
            if entry is None:
                self._paint_heading(painter, option, index)
                return
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            style = opt.widget.style() if opt.widget else None
            if style:
                style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
            rect = option.rect.adjusted(6, 4, -6, -4)
            line = option.fontMetrics.height()
            top = QRect(rect.left(), rect.top(), rect.width(), line)
            bottom = QRect(rect.left(), top.bottom() + 1, rect.width(), rect.bottom() - top.bottom())
            badge = QRect(rect.left(), top.top() + 1, _BADGE_WIDTH, line - 2)
            small = theme.small_font(option.font)
            bold = QFont(small)
            bold.setBold(True)
            theme.paint_verb_badge(painter, badge, entry.verb, bold)

            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            text_colour = (option.palette.highlightedText() if selected else option.palette.text()).color()
            right = rect.right()
            painter.setFont(option.font)
            if entry.pinned:
                _draw_pin(painter, QRect(right - _PIN_WIDTH, top.top(), _PIN_WIDTH, line), text_colour)
                right -= _PIN_WIDTH + 6
            x = badge.right() + 8
            title = option.fontMetrics.elidedText(entry_title(entry), Qt.TextElideMode.ElideMiddle, right - x)
            painter.setPen(text_colour)
            painter.drawText(QRect(x, top.top(), right - x, line), ALIGN.AlignVCenter, title)

            # The outcome in its status colour, then the rest of the details dimmer.
            painter.setFont(bold)
            outcome = entry_outcome(entry)
            colour = theme.status_colour(entry.status)
            if entry.status is None and not entry.cancelled:
                colour = theme.SEVERITY_COLOURS["error"]
            painter.setPen(text_colour if selected else QColor(colour))
            outcome_width = QFontMetrics(bold).horizontalAdvance(outcome)
            painter.drawText(bottom, ALIGN.AlignVCenter, outcome)
            painter.setFont(small)
            painter.setPen(text_colour if selected else theme.muted_colour(option.palette))
            rest = entry_details(entry)[len(outcome) :]
            room = bottom.adjusted(outcome_width, 0, 0, 0)
            rest = QFontMetrics(small).elidedText(rest, Qt.TextElideMode.ElideRight, room.width())
            painter.drawText(room, ALIGN.AlignVCenter, rest)
        finally:
            painter.restore()

    def _paint_heading(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        # Headings are as tall as entries: the label sits low, so the space above separates the days.
        line = QFontMetrics(theme.small_font(option.font)).height()
        outer = option.rect
        rect = QRect(outer.left() + 6, outer.bottom() - line - 4, outer.width() - 12, line + 2)
        font = theme.small_font(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(theme.muted_colour(option.palette))
        label = self._model.heading_at(index)
        painter.drawText(rect, ALIGN.AlignVCenter | ALIGN.AlignLeft, label)
        width = QFontMetrics(font).horizontalAdvance(label) + 8
        y = rect.center().y()
        if rect.left() + width < rect.right():
            painter.drawLine(rect.left() + width, y, rect.right(), y)
