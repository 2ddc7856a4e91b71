"""End to end: exported code, run by its interpreter against the sandbox (127.0.0.1), gets the app's answer.

Each run gets a fresh sandbox (same seed, so the same ids); the app's own send of the same request goes to
another fresh one. Keys reach the code only through environment variables, as they would for a user.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.codegen import export_code, public_keys_of, secret_variables
from explorer.core.lifecycle import BodySpec, Pair, RequestSpec, Target, new_executor, prepare, send_sync
from explorer.core.prepared import PreparedRequest
from explorer.sandbox import demo
from explorer.sandbox.server import SandboxServer

CATALOGS = load_bundled_catalogs()
ADMIN = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME}
DISQUS_KEYS = {"user_api_key": demo.DISQUS_USER_API_KEY, "forum_api_key": demo.DISQUS_FORUM_API_KEY}
# Text every shell and language quotes differently: quotes of both kinds, $, %, backticks, ^, & and non-ASCII.
AWKWARD = 'It\'s 100% "quoted" & <b>bold</b>: $HOME `date` ^caret %PATH% — é ü 🙂 \\ back'
# Seconds are optional: Disqus 1.1 writes `created_at` to the minute, which may turn between the two sends.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?")


@dataclass(frozen=True)
class Case:
    """A request to build against a sandbox at `base` (the file a multipart upload reads is in `folder`)."""

    name: str
    build: Callable[[str, Path], PreparedRequest]


def _prepare(
    api: str, method_id: str, base: str, arguments: dict[str, Any], body: BodySpec | None = None
) -> PreparedRequest:
    keys = ADMIN if api == "discourse" else DISQUS_KEYS
    site = base if api == "discourse" else base + demo.DISQUS_PREFIX
    spec = RequestSpec(api=api, method_id=method_id, arguments=arguments, body=body or BodySpec())
    preparation = prepare(spec, CATALOGS, Target(Api(api), site, dict(keys)))
    assert preparation.request is not None and not preparation.errors, dict(preparation.errors)
    return preparation.request


def _upload_file(folder: Path) -> Path:
    # A folder and name with a space and a quote: the export must keep the full path, quoted.
    target = folder / "my uploads" / "it's a picture.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return target


CASES = [
    Case("get", lambda base, _: _prepare("discourse", "listLatestTopics", base, {"page": 0, "per_page": 3})),
    Case(
        "json-post",
        lambda base, _: _prepare(
            "discourse",
            "createTopicPostPM",
            base,
            {},
            BodySpec("json", json.dumps({"title": "Exported code posts this topic", "raw": AWKWARD})),
        ),
    ),
    Case(
        "form-post",
        lambda base, _: _prepare(
            "discourse",
            "createTopicPostPM",
            base,
            {},
            BodySpec("form", fields=(Pair("topic_id", "9"), Pair("raw", AWKWARD))),
        ),
    ),
    Case(
        "multipart-upload",
        lambda base, folder: _prepare(
            "discourse",
            "createUpload",
            base,
            {"upload_type": "composer", "synchronous": True, "file": str(_upload_file(folder))},
        ),
    ),
    Case("disqus-query-keys", lambda base, _: _prepare("disqus", "get_forum_list", base, {})),
    Case(
        "disqus-form-keys",
        lambda base, _: _prepare(
            "disqus",
            "create_post",
            base,
            {"thread_id": 2001, "message": AWKWARD, "author_name": "Ada", "author_email": "ada@example.com"},
        ),
    ),
]


@dataclass(frozen=True)
class Runner:
    """How to run one format's code: the file suffix and the command; None when it cannot run here."""

    fmt: str
    suffix: str
    command: Callable[[Path], list[str]] | None
    skip_reason: str = ""
    # The code prints the decoded result of a client method (a part of the body), not status and body.
    library: bool = False


def _python_has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _ruby_has_gem() -> bool:
    ruby = shutil.which("ruby")
    if ruby is None:
        return False
    found = subprocess.run(
        [ruby, "-e", 'require "discourse_api"'], capture_output=True, timeout=60, check=False
    )
    return found.returncode == 0


def _runners() -> list[Runner]:
    node, ruby, pwsh, sh, curl = (shutil.which(n) for n in ("node", "ruby", "pwsh", "sh", "curl"))
    python = sys.executable
    return [
        Runner(
            "curl", ".sh", (lambda f: [sh, str(f)]) if sh and curl else None, "sh or curl is not installed"
        ),
        Runner(
            "powershell",
            ".ps1",
            (lambda f: [pwsh, "-NoProfile", "-NonInteractive", "-File", str(f)]) if pwsh and curl else None,
            "pwsh (PowerShell 7) is not installed",
        ),
        Runner(
            "curl-cmd", ".cmd", None, "cmd.exe exists only on Windows (its quoting is checked in tests/core)"
        ),
        Runner("python", ".py", lambda f: [python, str(f)]),
        Runner("pydiscourse", ".py", lambda f: [python, str(f)], library=True),
        Runner("javascript", ".mjs", (lambda f: [node, str(f)]) if node else None, "node is not installed"),
        Runner(
            "ruby",
            ".rb",
            (lambda f: [ruby, str(f)]) if ruby else None,
            "ruby is not installed",
            library=True,
        ),
    ]


RUNNERS = _runners()


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with SandboxServer() as server:
        yield server.url


def _normalised(text: str, base: str) -> Any:
    """The body with what differs between two fresh sandboxes taken out: their address and the clock."""
    text = TIMESTAMP.sub("<time>", text.replace(base, "<base>"))
    try:
        return json.loads(text)
    except ValueError:
        return text.rstrip("\n")


def _app_answer(case: Case, folder: Path) -> tuple[int, Any]:
    with SandboxServer() as server:
        request = case.build(server.url, folder)
        result = send_sync(request, new_executor(timeout_s=20)).result
        assert result.error is None and result.status is not None, result.error
        return result.status, _normalised(result.text(), server.url)


def _script(runner: Runner, code: str) -> str:
    """The exported code, plus what makes a shell command print the status after the body."""
    if runner.fmt == "curl":
        return code.rstrip("\n") + " --silent --show-error --write-out '\\n%{http_code}'\n"
    if runner.fmt == "powershell":
        # PowerShell on Linux and macOS has no curl.exe: the same program is called curl there.
        program = "curl.exe" if os.name == "nt" else "curl"
        return (
            code.replace("curl.exe", program, 1).rstrip("\n")
            + " --silent --show-error --write-out '\\n%{http_code}'\n"
        )
    return code


def _prints_a_result(runner: Runner, code: str) -> bool:
    """True when the code calls a client library's method (it prints what the method returns); false for
    the plain-HTTP code it falls back to."""
    return runner.library and "import httpx" not in code and 'require "net/http"' not in code


def _parse(runner: Runner, stdout: str) -> tuple[int, str]:
    if runner.fmt in ("curl", "powershell"):
        body, _, status = stdout.rpartition("\n")
        return int(status), body
    status, _, body = stdout.partition("\n")
    return int(status), body


@pytest.mark.parametrize("runner", RUNNERS, ids=[r.fmt for r in RUNNERS])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_exported_code_gets_the_apps_answer(
    case: Case, runner: Runner, sandbox_url: str, tmp_path: Path
) -> None:
    if runner.command is None:
        pytest.skip(runner.skip_reason)
    request = case.build(sandbox_url, tmp_path)
    code = export_code(request, runner.fmt)
    # The client libraries are not the app's dependencies: their code runs only where they are installed
    # (the plain-HTTP code the export falls back to always runs).
    if "from pydiscourse import" in code and not _python_has("pydiscourse"):
        pytest.skip("pydiscourse is not installed (it is not a dependency of the app)")
    if 'require "discourse_api"' in code and not _ruby_has_gem():
        pytest.skip("the discourse_api gem is not installed")
    variables = secret_variables(request)
    assert variables, "the case sends keys: they must travel as environment variables"
    for variable in variables:
        assert variable.value not in code
    script = tmp_path / f"request{runner.suffix}"
    script.write_text(_script(runner, code), encoding="utf-8")
    environment = {**os.environ, **{v.name: v.value for v in variables}}
    done = subprocess.run(
        runner.command(script),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{code}\n---\n{done.stderr}"
    app_status, app_body = _app_answer(case, tmp_path)
    assert app_status == 200, app_body  # every case succeeds: two identical refusals would prove little
    if _prints_a_result(runner, code):
        # A client method prints what it returns: the decoded body or a part of it (latest_topics: topics).
        printed = _normalised(done.stdout, sandbox_url)
        assert printed == app_body or _is_part_of(printed, app_body), code
        return
    status, body = _parse(runner, done.stdout)
    assert status == app_status, f"{code}\n---\n{done.stdout[:500]}"
    assert _normalised(body, sandbox_url) == app_body, code


def _is_part_of(part: Any, whole: Any) -> bool:
    if part == whole:
        return True
    if isinstance(whole, dict):
        return any(_is_part_of(part, v) for v in whole.values())
    if isinstance(whole, list):
        return any(_is_part_of(part, v) for v in whole)
    return False


def test_sandbox_exports_run_without_any_variable_set(sandbox_url: str, tmp_path: Path) -> None:
    """The sandbox's demo keys are public: its exports carry them, so a pasted command simply works."""
    if shutil.which("curl") is None or shutil.which("sh") is None:
        pytest.skip("sh or curl is not installed")
    request = CASES[0].build(sandbox_url, tmp_path)
    target = Target(Api.DISCOURSE, sandbox_url, dict(ADMIN), is_sandbox=True)
    code = export_code(request, "curl", public_keys=public_keys_of(target))
    assert demo.DISCOURSE_ADMIN_KEY in code and "$DISCOURSE" not in code
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DISCOURSE_", "DISQUS_"))}
    done = subprocess.run(
        ["sh", "-c", code.rstrip("\n") + " --silent --show-error --write-out '\\n%{http_code}'"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rpartition("\n")[2] == "200"
