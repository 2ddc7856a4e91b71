"""Journey: upload an image from a file picker, find its url/short_url, use it as an avatar and remove it."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from journeys_kit import ADMIN, body_json, build, method, send

from explorer.cli import request as request_cli
from explorer.core.builder import build_request
from explorer.core.curl import to_curl
from explorer.core.explain import explain_result
from explorer.core.http import ExecutionResult
from explorer.core.jsontree.filter import run_filter
from explorer.core.jsontree.parse import parse_document
from explorer.core.jsontree.paths import jq_path
from explorer.core.jsontree.search import Search
from explorer.core.prepared import PreparedRequest
from explorer.sandbox.demo import DemoCredentials

AS_ALICE = {"api_key": ADMIN["api_key"], "api_username": "alice"}


def _png(width: int, height: int) -> bytes:
    """A small valid PNG, as a file picker would hand over."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def picked_file(tmp_path: Path) -> Path:
    path = tmp_path / "architecture diagram.png"
    path.write_bytes(_png(3, 2))
    return path


def _upload(base: str, path: Path, upload_type: str, credentials: dict[str, str]) -> ExecutionResult:
    request = build(
        "discourse",
        "createUpload",
        {"upload_type": upload_type, "synchronous": True, "file": str(path)},
        base_url=base,
        credentials=credentials,
    )
    assert request.body is not None and request.body.kind == "multipart"
    return send(request)


def _get(base: str, path: str) -> PreparedRequest:
    return PreparedRequest(method="GET", url=base + path)


def test_upload_from_a_file_and_copy_its_urls(journey_sandbox: DemoCredentials, picked_file: Path) -> None:
    base = journey_sandbox.url
    result = _upload(base, picked_file, "composer", ADMIN)
    assert result.status == 200, result.text()[:300]
    upload = body_json(result)
    assert upload["original_filename"] == "architecture diagram.png"
    assert upload["filesize"] == picked_file.stat().st_size
    assert (upload["width"], upload["height"]) == (3, 2)
    assert upload["short_url"].startswith("upload://") and upload["short_url"].endswith(".png")

    # "Where is the URL?": searching the response tree for short_url finds one value, copyable by its path.
    document = parse_document(result.read_body())
    search = Search(document.root, "short_url", values=False)
    while not search.finished:
        search.step()
    assert [hit.path for hit in search.hits] == [("short_url",)]
    copied = run_filter(jq_path(search.hits[0].path), result.read_body())
    assert copied.ok and json.loads(copied.output or b"null") == [upload["short_url"]]

    # The url serves the very bytes that were picked.
    served = send(_get(base, upload["url"]))
    assert served.status == 200
    assert served.read_body() == picked_file.read_bytes()


def test_upload_without_a_file_is_refused_and_explained(journey_sandbox: DemoCredentials) -> None:
    result = send(
        build(
            "discourse",
            "createUpload",
            {"upload_type": "composer"},
            base_url=journey_sandbox.url,
            credentials=ADMIN,
        )
    )
    assert result.status == 422
    diagnosis = explain_result(result)
    assert diagnosis.code == "discourse-validation"
    assert "file" in diagnosis.summary


def test_a_file_cannot_go_as_json(picked_file: Path, reading_sandbox: DemoCredentials) -> None:
    built = build_request(
        method("discourse", "createUpload"),
        {"upload_type": "composer", "file": str(picked_file)},
        base_url=reading_sandbox.url,
        credentials=ADMIN,
        body_encoding="json",
    )
    assert built.request is None
    assert [e.field for e in built.errors] == ["body_encoding"]

    missing = build_request(
        method("discourse", "createUpload"),
        {"upload_type": "composer", "file": str(picked_file.with_name("gone.png"))},
        base_url=reading_sandbox.url,
        credentials=ADMIN,
    )
    assert [e.field for e in missing.errors] == ["file"]
    assert "gone.png" in missing.errors[0].message


def test_upload_through_the_cli(
    journey_sandbox: DemoCredentials, picked_file: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "discourse",
        "createUpload",
        "upload_type=composer",
        f"file={picked_file}",
        "--base-url",
        journey_sandbox.url,
        "--auth",
        f"api_key={ADMIN['api_key']}",
        "api_username=system",
        "--json",
    ]
    assert request_cli.main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["status"] == 200
    assert printed["request"]["headers"]["Content-Type"].startswith("multipart/form-data")
    assert json.loads(printed["body"])["original_filename"] == picked_file.name


def _alice(base: str) -> dict:
    shown = send(build("discourse", "getUser", {"username": "alice"}, base_url=base, credentials=ADMIN))
    return body_json(shown)["user"]


def _pick(base: str, values: dict[str, object]) -> ExecutionResult:
    return send(
        build(
            "discourse",
            "updateAvatar",
            {"username": "alice", **values},
            base_url=base,
            credentials=AS_ALICE,
        )
    )


def test_set_and_delete_an_uploaded_avatar(journey_sandbox: DemoCredentials, picked_file: Path) -> None:
    base = journey_sandbox.url
    upload = body_json(_upload(base, picked_file, "avatar", AS_ALICE))

    assert _pick(base, {"upload_id": upload["id"], "type": "uploaded"}).status == 200
    assert _alice(base)["uploaded_avatar_id"] == upload["id"]

    # "Delete user avatar": go back to the generated letter avatar.
    assert _pick(base, {"upload_id": upload["id"], "type": "system"}).status == 200
    assert _alice(base)["uploaded_avatar_id"] is None


def test_avatar_template_follows_the_picked_upload(
    journey_sandbox: DemoCredentials, picked_file: Path
) -> None:
    base = journey_sandbox.url
    before = _alice(base)["avatar_template"]
    upload = body_json(_upload(base, picked_file, "avatar", AS_ALICE))
    assert _pick(base, {"upload_id": upload["id"], "type": "uploaded"}).status == 200
    after = _alice(base)["avatar_template"]
    assert after != before and f"/{upload['id']}_" in after


@pytest.mark.skipif(shutil.which("curl") is None, reason="the curl program is not installed")
def test_the_upload_copied_as_curl_runs_beside_the_file(
    journey_sandbox: DemoCredentials, picked_file: Path
) -> None:
    request = build(
        "discourse",
        "createUpload",
        {"upload_type": "composer", "synchronous": True, "file": str(picked_file)},
        base_url=journey_sandbox.url,
        credentials=ADMIN,
    )
    command = to_curl(request, reveal_secrets=True) + " --silent --show-error"
    terminal = subprocess.run(
        ["sh", "-c", command], cwd=picked_file.parent, capture_output=True, text=True, timeout=30, check=False
    )
    assert terminal.returncode == 0, terminal.stderr
    upload = json.loads(terminal.stdout)
    assert upload["original_filename"] == picked_file.name
    assert upload["filesize"] == picked_file.stat().st_size
    served = send(_get(journey_sandbox.url, upload["url"]))
    assert served.read_body() == picked_file.read_bytes()
