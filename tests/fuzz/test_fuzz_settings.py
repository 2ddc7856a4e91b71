"""Fuzz: any settings document, or any bytes in settings.json, loads with defaults and warnings."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from explorer.core.paths import AppPaths
from explorer.core.settings import Settings, load_settings, settings_from_dict
from tests.fuzz.conftest import FUZZ

NAMES = [*Settings.__dataclass_fields__, "schema_version", "unknown"]
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(NAMES), ANY_JSON))
def test_any_settings_mapping(data: dict) -> None:
    settings, warnings = settings_from_dict(data)
    assert isinstance(settings, Settings) and isinstance(warnings, list)
    settings.executor_options()
    settings.history_options()


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.dictionaries(st.sampled_from(NAMES), ANY_JSON).map(
    lambda d: json.dumps(d).encode()
), st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n)))  # fmt: skip
def test_any_settings_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as root:
        paths = AppPaths.under(Path(root))
        paths.config.mkdir(parents=True, exist_ok=True)
        paths.settings_file.write_bytes(content)
        settings, warnings = load_settings(paths)
        assert isinstance(settings, Settings)
