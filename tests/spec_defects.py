"""Known defects of the official Discourse OpenAPI document, each corrected in memory with its reason."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]


@dataclass(frozen=True)
class Defect:
    """One place where the spec's response schema disagrees with what real servers send.

    `operations` are operationIds (empty: every operation); `fix` edits one 200 JSON response schema in place
    and returns how many places it changed, so a spec that no longer has the defect is noticed.
    """

    name: str
    operations: tuple[str, ...]
    reason: str
    fix: Callable[[Schema], int]


def _walk(schema: Any) -> Iterator[Schema]:
    """Every object schema inside `schema`, including itself."""
    stack = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _open_actions_summary(schema: Schema) -> int:
    changed = 0
    for node in _walk(schema):
        summary = node.get("properties", {}).get("actions_summary")
        items = summary.get("items") if isinstance(summary, dict) else None
        if isinstance(items, dict) and items.get("additionalProperties") is False:
            props = items.setdefault("properties", {})
            props.setdefault("count", {"type": "integer"})
            for flag in ("acted", "can_undo", "can_act", "hidden"):
                props.setdefault(flag, {"type": "boolean"})
            items["required"] = ["id"]
            changed += 1
    return changed


def _nullable(*names: str) -> Callable[[Schema], int]:
    def fix(schema: Schema) -> int:
        changed = 0
        for node in _walk(schema):
            for name in names:
                prop = node.get("properties", {}).get(name)
                if isinstance(prop, dict) and isinstance(prop.get("type"), str) and prop["type"] != "null":
                    prop["type"] = [prop["type"], "null"]
                    changed += 1
        return changed

    return fix


def _no_min_items(schema: Schema) -> int:
    return 1 if schema.pop("minItems", None) is not None else 0


def _add_properties(**extra: Schema) -> Callable[[Schema], int]:
    def fix(schema: Schema) -> int:
        props = schema.setdefault("properties", {})
        added = [name for name in extra if name not in props]
        for name in added:
            props[name] = extra[name]
        return len(added)

    return fix


def _flag_or_null(name: str) -> Callable[[Schema], int]:
    def fix(schema: Schema) -> int:
        changed = 0
        for node in _walk(schema):
            prop = node.get("properties", {}).get(name)
            if isinstance(prop, dict) and "boolean" not in (prop.get("type") or []):
                prop["type"] = ["boolean", "null"]
                changed += 1
        return changed

    return fix


DEFECTS: tuple[Defect, ...] = (
    Defect(
        "actions_summary closed to id and can_act",
        (),
        "Real posts carry a like's count, acted and can_undo (captured posts_get_post and topic responses; "
        "getPost's own schema lists them), and an empty list when nothing applies.",
        _open_actions_summary,
    ),
    Defect(
        "topic list items: image_url, unpinned, bookmarked, liked never null",
        (
            "listLatestTopics",
            "listTopTopics",
            "listCategoryTopics",
            "getTag",
            "listUserPrivateMessages",
            "getUserSentPrivateMessages",
        ),
        "Real servers send null for a topic without an image and for an anonymous viewer "
        "(captured latest, top and private-message lists).",
        _nullable("image_url", "unpinned", "bookmarked", "liked"),
    ),
    Defect(
        "admin user lists need at least one row",
        ("adminListUsers", "adminListUsersFlag"),
        "A filter that matches nobody (?email= of an unknown address) answers an empty list.",
        _no_min_items,
    ),
    Defect(
        "createUser failure fields missing",
        ("createUser",),
        "users#create reports a refused sign-up in a 200 body that also has errors, values and is_developer.",
        _add_properties(
            errors={"type": "object"},
            values={"type": "object"},
            is_developer={"type": "boolean"},
        ),
    ),
    Defect(
        "inviteToTopic: the e-mail answer is missing",
        ("inviteToTopic",),
        'Inviting an address with no account answers {"success": "OK"} (topics#invite); only an existing '
        "user's invite answers with the user.",
        _add_properties(success={"type": "string"}),
    ),
    Defect(
        "search results without topics",
        ("search",),
        "search#query sends the found posts' topics as `topics`, and clients read them (captured search).",
        _add_properties(topics={"type": "array", "items": {"type": "object"}}),
    ),
    Defect(
        "search: more_full_page_results typed as text",
        ("search",),
        "Search::GroupedSearchResults sets more_full_page_results to true when another page of full-page "
        "results exists (null otherwise); clients page on it.",
        _flag_or_null("more_full_page_results"),
    ),
)


def corrected_spec(spec: Schema) -> tuple[Schema, dict[str, int]]:
    """A copy of `spec` with every defect corrected, and how many places each defect changed."""
    fixed = copy.deepcopy(spec)
    counts = dict.fromkeys((d.name for d in DEFECTS), 0)
    for ops in fixed["paths"].values():
        for verb, op in ops.items():
            if verb == "parameters":
                continue
            content = op["responses"].get("200", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if not isinstance(schema, dict):
                continue
            for defect in DEFECTS:
                if not defect.operations or op["operationId"] in defect.operations:
                    counts[defect.name] += defect.fix(schema)
    return fixed, counts
