"""Read parsed JSON or YAML defensively: a wrong type is an ImportFailure naming where it is."""

from __future__ import annotations

from typing import Any

from explorer.core.imports.model import ImportFailure


def obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ImportFailure(f"{where}: expected an object, found {kind(value)}")
    return value


def seq(value: Any, where: str, *, default: list[Any] | None = None) -> list[Any]:
    if value is None and default is not None:
        return default
    if not isinstance(value, list):
        raise ImportFailure(f"{where}: expected a list, found {kind(value)}")
    return value


def text(value: Any, where: str, default: str = "") -> str:
    """Text, with numbers and true/false written as text (files often hold `"value": 5`)."""
    if value is None:
        return default
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        raise ImportFailure(f"{where}: expected text, found {kind(value)}")
    return value


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def part(value: Any, key: str) -> dict[str, Any]:
    """`value[key]` when both are objects, else an empty object (optional settings blocks)."""
    inner = value.get(key) if isinstance(value, dict) else None
    return inner if isinstance(inner, dict) else {}
