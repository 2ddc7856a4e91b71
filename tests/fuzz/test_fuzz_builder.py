"""Fuzz: any argument values for any catalog method become a request or field errors, never an exception."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.lifecycle import Pair, RequestSpec, Target, prepare
from tests.fuzz.conftest import FUZZ

CATALOGS = load_bundled_catalogs()
METHODS = [(api, method) for api, catalog in CATALOGS.items() for method in catalog.methods]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    # Past Python's 4,300-digit conversion limit; drawn as a digit count, since Hypothesis cannot print them.
    st.integers(min_value=4290, max_value=6000).map(lambda digits: ("huge-int", digits)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.sampled_from(["", " ", "0", "-1", "1e400", "[1,2]", '{"a":', "[" * 300, "José", "\x00", "a\r\nb"]),
)
VALUES = st.one_of(SCALARS, st.lists(st.text(max_size=20), max_size=5))
TARGETS = {
    Api.DISCOURSE: Target(Api.DISCOURSE, "https://forum.example.org",
                          {"api_key": "k" * 64, "api_username": "system"}, auth_kind="api_key"),
    Api.DISQUS: Target(Api.DISQUS, "https://disqus.com/api", {"user_api_key": "d" * 64}, auth_kind="keys"),
}  # fmt: skip


def _huge(value: object) -> object:
    if isinstance(value, tuple) and value[:1] == ("huge-int",):
        return 10 ** value[1]
    return value


@FUZZ
@given(st.data())
def test_any_values_for_any_method(data: st.DataObject) -> None:
    api, method = data.draw(st.sampled_from(METHODS))
    names = [p.name for p in method.params] + ["extra"]
    drawn = data.draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=len(names)))
    arguments = {k: _huge(v) for k, v in drawn.items()}
    credentials = data.draw(
        st.dictionaries(st.sampled_from(["api_username", "api_key", "user_api_key"]), st.text(max_size=20))
    )
    target = TARGETS[api]
    if credentials:
        target = Target(
            api, target.base_url, {**target.credentials, **credentials}, auth_kind=target.auth_kind
        )
    spec = RequestSpec(api=api.value, method_id=method.id, arguments=arguments)  # type: ignore[arg-type]
    preparation = prepare(spec, CATALOGS, data.draw(st.sampled_from([target, None])))
    assert preparation.request is not None or preparation.errors
    if preparation.request is not None:
        preparation.request.full_url()
        preparation.request.masked()


@FUZZ
@given(
    verb=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    url=st.text(max_size=60),
    headers=st.lists(st.tuples(st.text(max_size=15), st.text(max_size=30)), max_size=4),
    params=st.lists(st.tuples(st.text(max_size=10), st.text(max_size=20)), max_size=4),
)
def test_any_free_form_request(verb: str, url: str, headers: list, params: list) -> None:
    spec = RequestSpec(
        verb=verb,
        url=url,
        headers=tuple(Pair(k, v) for k, v in headers),
        params=tuple(Pair(k, v) for k, v in params),
    )
    preparation = prepare(spec, CATALOGS, TARGETS[Api.DISCOURSE])
    assert preparation.request is not None or preparation.errors
