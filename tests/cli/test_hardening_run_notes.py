"""explorer run says what the HTTP layer noted, as explorer request does: for one request file (text and
--json) and for each request of a folder (on its line, and in its JSON object); --follow-redirects; a
profile's timeout_s and trusted certificate apply to the requests sent through it."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.__main__ import main
from explorer.core.catalog.model import Api
from explorer.core.collections.folder import write_new_collection
from explorer.core.lifecycle import RequestSpec
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore
from explorer.core.settings import Settings, save_settings
from tests.cli.test_hardening_cli_notes import answer_for
from tests.core.hardening_support import RawServer
from tests.core.test_hardening_redirects import _running_tls, _self_signed
from tests.core.test_hardening_tls_trust import ok


@pytest.fixture
def site() -> Iterator[RawServer]:
    other: list[str] = []
    with RawServer(answer_for(other)).running() as far, RawServer(answer_for(other)).running() as near:
        other.append(far.origin)
        yield near


def save_profile(home: Path, name: str, origin: str, **options: object) -> None:
    paths = AppPaths.under(home)
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    store.save(Profile(name=name, api=Api.DISCOURSE, base_url=origin, auth_kind="none", **options), {})  # type: ignore[arg-type]


def settings(home: Path, **values: object) -> None:
    save_settings(AppPaths.under(home), Settings(secret_storage="file", **values))  # type: ignore[arg-type]


def request_file(folder: Path, name: str, path: str, profile: str = "site") -> Path:
    file = folder / f"{name}.json"
    folder.mkdir(parents=True, exist_ok=True)
    file.write_text(RequestSpec(api="discourse", verb="GET", url=path, profile=profile).dumps())
    return file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["run", *argv, "--no-history"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- one request file -------------------------------------------------------------------------------------


def test_a_redirect_not_followed_says_how_to_follow_it(capsys, app_home: Path, tmp_path: Path, site) -> None:
    settings(app_home)
    save_profile(app_home, "site", site.origin)
    file = request_file(tmp_path, "found", "/found")
    code, out, err = run(capsys, str(file))
    assert "HTTP 302 Found" in err
    assert "not followed (following redirects is off); add --follow-redirects to follow it" in err
    code, out, err = run(capsys, str(file), "--json")
    assert any("--follow-redirects" in note for note in json.loads(out)["notes"])
    code, out, err = run(capsys, str(file), "--json", "--follow-redirects")
    data = json.loads(out)
    assert code == 0 and data["status"] == 200 and data["notes"] == []


def test_a_stop_after_ten_redirects_and_a_truncated_body(
    capsys, app_home: Path, tmp_path: Path, site
) -> None:
    settings(app_home, max_body_mb=1)
    save_profile(app_home, "site", site.origin)
    code, out, err = run(capsys, str(request_file(tmp_path, "loop", "/loop")), "--follow-redirects")
    assert "note: Stopped after 10 redirects; the answer shown is the last redirect." in err
    code, out, err = run(capsys, str(request_file(tmp_path, "big", "/big")), "--json")
    data = json.loads(out)
    assert data["truncated"] is True and len(data["body"]) == 2**20
    assert any("Body truncated at 1 MB" in note for note in data["notes"])


def test_the_profile_timeout_is_the_deadline(capsys, app_home: Path, tmp_path: Path, site) -> None:
    settings(app_home, request_timeout_s=60)
    save_profile(app_home, "site", site.origin, timeout_s=1)
    code, out, err = run(capsys, str(request_file(tmp_path, "slow", "/slow")))
    assert code == 1
    assert "1 s" in err and "60 s" not in err


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[str, str]]:
    cert, key = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = RawServer(ok)
    with _running_tls(server, context):
        yield f"https://127.0.0.1:{server.port}", cert.read_text()


def test_the_profiles_trusted_certificate_is_used(capsys, app_home: Path, tmp_path: Path, tls_site) -> None:
    origin, pem = tls_site
    settings(app_home, request_timeout_s=5)
    save_profile(app_home, "trusting", origin, trusted_certificate=pem)
    save_profile(app_home, "plain", origin)
    code, out, err = run(capsys, str(request_file(tmp_path, "trusted", "/latest.json", "trusting")))
    assert code == 0 and "HTTP 200" in err
    code, out, err = run(capsys, str(request_file(tmp_path, "untrusted", "/latest.json", "plain")))
    assert code == 1 and "could not be verified" in err


# -- a folder ----------------------------------------------------------------------------------------------


def _collection(root: Path, *paths: str) -> Path:
    items = [
        (path.strip("/"), RequestSpec(api="discourse", verb="GET", url=path, profile="site"))
        for path in paths
    ]
    write_new_collection(root, "Notes", {}, items)
    return root


def test_a_folder_run_says_each_requests_notes(capsys, app_home: Path, tmp_path: Path, site) -> None:
    settings(app_home, max_body_mb=1)
    save_profile(app_home, "site", site.origin)
    folder = _collection(tmp_path / "notes", "/found", "/big", "/fine")
    code, out, err = run(capsys, str(folder))
    lines = out.splitlines()
    found = next(i for i, line in enumerate(lines) if line.endswith("found"))
    assert "add --follow-redirects to follow it" in lines[found + 1]
    big = next(i for i, line in enumerate(lines) if line.endswith("big"))
    assert "Body truncated at 1 MB" in lines[big + 1]
    assert "note:" not in "".join(lines[big + 2 :])  # /fine has none
    code, out, err = run(capsys, str(folder), "--json")
    steps = {step["label"]: step for step in map(json.loads, out.splitlines())}
    assert any("--follow-redirects" in note for note in steps["01 found"]["notes"]), steps
    assert steps["02 big"]["truncated"] is True
    assert any("Body truncated at 1 MB" in note for note in steps["02 big"]["notes"])
    assert steps["03 fine"]["notes"] == [] and steps["03 fine"]["truncated"] is False


def test_a_folder_run_follows_redirects_when_asked(capsys, app_home: Path, tmp_path: Path, site) -> None:
    settings(app_home)
    save_profile(app_home, "site", site.origin)
    folder = _collection(tmp_path / "follow", "/found", "/loop")
    code, out, err = run(capsys, str(folder), "--json", "--follow-redirects")
    steps = [json.loads(line) for line in out.splitlines()]
    assert steps[0]["status"] == 200 and steps[0]["notes"] == []
    assert any("Stopped after 10 redirects" in note for note in steps[1]["notes"])


def test_a_folder_run_uses_each_profiles_timeout(capsys, app_home: Path, tmp_path: Path, site) -> None:
    settings(app_home, request_timeout_s=60)
    save_profile(app_home, "site", site.origin, timeout_s=1)
    folder = _collection(tmp_path / "slow", "/slow")
    code, out, err = run(capsys, str(folder))
    assert code == 1
    assert "1 s" in out and "60 s" not in out


def test_a_folder_run_trusts_a_certificate_for_its_profile_only(
    capsys, app_home: Path, tmp_path: Path, tls_site
) -> None:
    origin, pem = tls_site
    settings(app_home, request_timeout_s=5)
    save_profile(app_home, "trusting", origin, trusted_certificate=pem)
    save_profile(app_home, "plain", origin)
    folder = tmp_path / "tls"
    items = [
        ("trusted", RequestSpec(api="discourse", verb="GET", url="/latest.json", profile="trusting")),
        ("plain", RequestSpec(api="discourse", verb="GET", url="/latest.json", profile="plain")),
        ("trusted again", RequestSpec(api="discourse", verb="GET", url="/latest.json", profile="trusting")),
    ]
    write_new_collection(folder, "TLS", {}, items)
    code, out, err = run(capsys, str(folder), "--json")
    steps = [json.loads(line) for line in out.splitlines()]
    assert [step["status"] for step in steps] == [200, None, 200], steps
    assert "could not be verified" in steps[1]["error"]
