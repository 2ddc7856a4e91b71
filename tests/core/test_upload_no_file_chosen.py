"""An upload field left without a file is named as such, not as a failure to read the current directory."""

from __future__ import annotations

from explorer.core.catalog import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.lifecycle import Pair, RequestSpec, Target, prepare
from explorer.core.lifecycle.spec import BodySpec

SITE = "http://127.0.0.1:9"


def test_free_form_multipart_row_without_a_file_says_no_file_chosen() -> None:
    for empty in ("", "   "):
        body = BodySpec(
            kind="multipart",
            fields=(Pair("type", "composer"), Pair("files[]", empty, True, True)),
        )
        spec = RequestSpec(url=f"{SITE}/uploads.json", verb="POST", body=body)
        preparation = prepare(spec, load_bundled_catalogs(), None)
        assert preparation.request is None
        assert preparation.errors == {"body": "files[]: no file chosen"}


def test_a_switched_off_row_without_a_file_is_no_problem() -> None:
    body = BodySpec(kind="multipart", fields=(Pair("type", "composer"), Pair("files[]", "", False, True)))
    spec = RequestSpec(url=f"{SITE}/uploads.json", verb="POST", body=body)
    preparation = prepare(spec, load_bundled_catalogs(), None)
    assert preparation.errors == {}
    assert preparation.request is not None


def test_catalog_file_argument_of_blanks_says_no_file_chosen() -> None:
    spec = RequestSpec(
        api="discourse", method_id="createUpload", arguments={"upload_type": "composer", "file": "  "}
    )
    preparation = prepare(spec, load_bundled_catalogs(), Target(Api.DISCOURSE, SITE, {}))
    assert preparation.errors == {"file": "no file chosen"}
