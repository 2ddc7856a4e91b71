"""What makes an earlier entry an answer to the same request with the same arguments (the drop-down)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from explorer.core.http.masking import mask_url

if TYPE_CHECKING:
    from explorer.core.lifecycle.spec import RequestSpec


def arguments_key(spec_json: Mapping[str, Any] | None) -> str | None:
    """A short digest of a (masked) specification's arguments, None without a specification.

    A catalog request counts its arguments and its enabled extra query parameters; a free-form request
    its verb, its URL as typed (query string included) and its enabled parameters. Empty arguments count
    as absent and scalars as their text (the form gives `5` where the command line gives `"5"`), so two
    requests that send the same thing get the same key. A digest, not the values: the column stays small,
    and it is computed from the masked specification, so a key's value is never part of it.
    """
    if not isinstance(spec_json, Mapping):
        return None
    params = sorted(
        (str(p.get("name", "")), str(p.get("value", "")))
        for p in spec_json.get("params") or ()
        if isinstance(p, Mapping) and p.get("enabled", True)
    )
    if spec_json.get("method"):
        arguments = spec_json.get("arguments")
        shape: list[Any] = [
            "method",
            sorted(
                (str(name), _value(value))
                for name, value in (arguments.items() if isinstance(arguments, Mapping) else ())
                if value not in (None, "", [])
            ),
            params,
        ]
    else:
        shape = ["url", str(spec_json.get("verb") or "GET").upper(), str(spec_json.get("url") or ""), params]
    text = json.dumps(shape, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def spec_arguments_key(spec: RequestSpec) -> str | None:
    """The key of a specification as the editor holds it: masked the way the history stores it."""
    return arguments_key(masked_spec_json(spec))


def masked_spec_json(spec: RequestSpec) -> dict[str, Any]:
    """`spec.as_json()` with a free-form URL's secret parameters masked by name: the URL is kept as typed,
    query string and all."""
    data = spec.as_json()
    if isinstance(data.get("url"), str):
        data["url"] = mask_url(data["url"])
    return data


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return str(value)
