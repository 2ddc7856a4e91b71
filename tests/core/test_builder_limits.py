"""Huge or odd values are field errors from the builder, never an exception from deep inside Python."""

from __future__ import annotations

import httpx
import pytest

from explorer.core.builder import build_request, validate_value
from explorer.core.catalog.model import Api, Method, Param

BASE = "https://forum.example.com"
ADMIN = {"api_key": "k" * 64}


def _method(*params: Param, verb: str = "GET") -> Method:
    return Method(api=Api.DISCOURSE, id="m", verb=verb, path="/x.json", group="g", summary="", params=params)


def _errors(method: Method, values: dict[str, object], credentials: dict[str, str] | None = None) -> dict:
    result = build_request(method, values, base_url=BASE, credentials=credentials or ADMIN)
    assert result.request is None
    return {e.field: e.message for e in result.errors}


PAGE = Param("page", "query", type="integer", minimum=0)
IDS = Param("ids", "query", type="integer", array=True)
NUMBERS = Param("n", "query", type="number", array=True)
OBJECTS = Param("items", "body", type="object", array=True)
TAGS = Param("tags", "query", type="string", array=True)


def test_an_integer_past_the_conversion_limit_is_a_field_error() -> None:
    message = _errors(_method(PAGE), {"page": "9" * 4_301})["page"]
    assert "4,300 digits" in message
    assert len(message) < 200  # the value itself is not repeated in full


def test_a_huge_integer_out_of_range_does_not_overflow_the_message() -> None:
    bounded = Param("page", "query", type="integer", minimum=0, maximum=10.5)
    message = _errors(_method(bounded), {"page": "9" * 400})["page"]
    assert message.startswith("must be at most 10.5") and len(message) < 200


@pytest.mark.parametrize("param", [IDS, NUMBERS, TAGS, OBJECTS], ids=lambda p: p.name)
def test_an_array_nested_40000_deep_is_a_field_error(param: Param) -> None:
    text = "[" * 40_000 + "]" * 40_000
    message = _errors(_method(param, verb="POST"), {param.name: text})[param.name]
    assert "nested too deeply" in message


@pytest.mark.parametrize("param", [IDS, NUMBERS, TAGS], ids=lambda p: p.name)
def test_an_array_holding_a_5000_digit_number_is_a_field_error(param: Param) -> None:
    message = _errors(_method(param), {param.name: "[1, " + "7" * 5_000 + "]"})[param.name]
    assert "4,300 digits" in message


def test_comma_separated_huge_integers_are_a_field_error() -> None:
    assert "4,300 digits" in _errors(_method(IDS), {"ids": "1," + "7" * 5_000})["ids"]
    assert "4,300 digits" in (validate_value(NUMBERS, "8" * 5_000) or "")


@pytest.mark.parametrize("name", ["api_username", "api_user_external_id"])
def test_a_non_ascii_acting_user_is_a_field_error_suggesting_the_user_id(name: str) -> None:
    message = _errors(_method(PAGE), {}, {**ADMIN, name: "José"})["auth"]
    assert name in message and "api_user_id" in message


@pytest.mark.parametrize("name", ["api_key", "user_api_key"])
def test_a_non_ascii_key_is_a_field_error_naming_it(name: str) -> None:
    credentials = {name: "k" * 20 + "é" + "k" * 20}
    if name == "api_key":
        credentials["api_username"] = "system"
    message = _errors(_method(PAGE), {}, credentials)["auth"]
    assert name in message and "ASCII" in message


def test_an_ascii_acting_user_still_builds_and_httpx_accepts_every_header() -> None:
    result = build_request(
        _method(PAGE), {"page": "2"}, base_url=BASE, credentials={**ADMIN, "api_user_id": "7"}
    )
    assert result.request is not None
    httpx.Headers(list(result.request.headers))  # what failed with a UnicodeEncodeError in sending


def test_a_typed_header_outside_ascii_is_a_field_error() -> None:
    result = build_request(_method(PAGE), {}, base_url=BASE, extra_headers=[("Api-Username", "José")])
    message = {e.field: e.message for e in result.errors}["headers"]
    assert "'Api-Username'" in message and "Api-User-Id" in message
    result = build_request(_method(PAGE), {}, base_url=BASE, extra_headers=[("Näme", "x")])
    assert "invalid header name" in {e.field: e.message for e in result.errors}["headers"]


def test_a_free_form_header_outside_ascii_is_a_field_error() -> None:
    from explorer.core.catalog.loader import load_bundled_catalogs
    from explorer.core.lifecycle import Pair, RequestSpec, Target, prepare

    spec = RequestSpec(verb="GET", url=BASE + "/x.json", headers=(Pair("X-Name", "José"),))
    target = Target(api=Api.DISCOURSE, base_url=BASE, credentials={})
    preparation = prepare(spec, load_bundled_catalogs(), target)
    assert "outside ASCII" in preparation.errors["headers"]
