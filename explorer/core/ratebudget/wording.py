"""A budget in words, for the status bar meter, its tooltip and the command line."""

from __future__ import annotations

import math

from explorer.core.ratebudget.budget import BudgetStatus


def duration(seconds: float) -> str:
    """A wait in words: "12 s", "2 min 5 s", "3 h 12 min" (rounded up: never shorter than the wait)."""
    total = max(0, math.ceil(seconds))
    if total < 60:
        return f"{total} s"
    if total < 3600:
        minutes, rest = divmod(total, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, rest = divmod(total, 3600)
    minutes = math.ceil(rest / 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def waiting_text(seconds: float) -> str:
    return f"waiting {duration(seconds)} for the rate limit"


def meter_text(status: BudgetStatus) -> str:
    """ "12 / 60 a minute", or the wait while the pacer holds a request back or the server asked for quiet."""
    if status.waiting_s > 0:
        return waiting_text(status.waiting_s)
    main = status.main
    text = f"{main.used} / {main.allowed} {main.per}"
    if status.blocked_s > 0:
        text += f" · rate limited for {duration(status.blocked_s)}"
    return text


def tooltip_text(status: BudgetStatus) -> str:
    """Which budget this is, each window it counts, and what the server's 429s taught."""
    lines = [f"Rate budget: {status.key.label}"]
    for limit in status.limits:
        line = f"{limit.used} of {limit.allowed} requests {limit.per}, in a sliding window"
        if limit.allowed < limit.default:
            line += f" (the setting says {limit.default}; lowered after a 429)"
        lines.append(line)
    if status.key.api == "discourse" and status.key.kind == "api_key":
        lines.append("Every admin API key of this site shares this budget.")
    if status.blocked_s > 0:
        lines.append(f"The server asked for {duration(status.blocked_s)} more without requests.")
    if status.lessons:
        lines.append("Learned from the server:")
        lines += [f"  {lesson}" for lesson in status.lessons]
    else:
        lines.append("Nothing learned from the server yet: the numbers are the settings' defaults.")
    lines.append("Requests are spread out to stay inside it; after a 429 they wait what the server said.")
    return "\n".join(lines)
