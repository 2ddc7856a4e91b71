"""What a prepared request becomes on the terminal: lint lines, a dry run, a saved file, or the answer."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.cli.common import fail, findings_json, format_finding, write
from explorer.cli.recording import history_observers
from explorer.cli.spec_file import save_spec
from explorer.core.curl import display_url, to_curl
from explorer.core.lifecycle import Preparation, RequestSpec, SendObserver, new_executor, send_sync
from explorer.core.lint import Finding, has_errors
from explorer.core.paths import AppPaths
from explorer.core.prepared import SECRET_PLACEHOLDER, PreparedRequest
from explorer.core.settings import Settings

if TYPE_CHECKING:  # the HTTP client is loaded when a request is sent
    from explorer.core.http.executor import Executor

# JSON values of the documented --json shapes.
JsonObject = dict[str, object]


@dataclass(frozen=True)
class Delivery:
    """What to do with a prepared request, from the options of `explorer request` or `explorer run`."""

    command: str
    dry_run: bool = False
    as_json: bool = False
    reveal_secrets: bool = False
    # --yes: send a write to a production profile without asking (the command line cannot ask).
    confirmed: bool = False
    save_to: Path | None = None
    # With save_to: send as well (--send); without save_to every request is sent unless dry_run.
    send_too: bool = False
    # Where the request history is kept; None (--no-history) sends without recording.
    history: AppPaths | None = None
    # --follow-redirects and the profile's timeout_s; None: the settings' values apply.
    follow_redirects: bool | None = None
    timeout_s: float | None = None
    # (site URL, PEM): the profile's trusted certificate, for its own site.
    trusted: tuple[str, str] | None = None


def add_follow_redirects_option(parser: argparse.ArgumentParser) -> None:
    """--follow-redirects, for every command that sends (unset: the settings' choice applies)."""
    parser.add_argument(
        "--follow-redirects",
        action="store_true",
        default=None,
        help="follow 3xx redirects (at most 10; keys are never sent to another origin)",
    )


def request_json(
    request: PreparedRequest, findings: list[Finding] | None = None, *, reveal_secrets: bool = False
) -> JsonObject:
    """The dry-run shape: method, url (with query), headers, body text or null, lint; secrets masked
    unless `reveal_secrets`."""
    shown = request if reveal_secrets else request.masked()
    headers = dict(shown.headers)
    if shown.body is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = shown.body.media_type()
    data: JsonObject = {
        "method": shown.method,
        "url": display_url(shown, SECRET_PLACEHOLDER),
        "headers": headers,
        "body": shown.body.text() if shown.body is not None else None,
    }
    if findings is not None:
        data["lint"] = findings_json(findings)
    return data


def headers_object(pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> Mapping[str, str]:
    """Headers as a JSON object; repeated names are joined with ", " as HTTP allows."""
    out: dict[str, str] = {}
    for name, value in pairs:
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def finish(preparation: Preparation, delivery: Delivery, settings: Callable[[], Settings]) -> int:
    """Print the findings, then save, show or send the prepared request; the exit status.

    `preparation` must have a request (no field errors). `settings` is called only when sending.
    """
    request = preparation.request
    assert request is not None, "finish() takes a preparation without errors"
    findings = list(preparation.findings)
    for finding in findings:
        write(format_finding(finding), stream=sys.stderr)
    lint_status = 1 if has_errors(findings) else 0
    if delivery.save_to is not None:
        problem = save_spec(delivery.save_to, preparation.spec)
        if problem is not None:
            return fail(delivery.command, [problem])
        write(f"saved the request to {delivery.save_to}", stream=sys.stderr)
        if preparation.spec.profile is None:
            # Keys are never saved, and a catalog method's file does not hold the site either.
            write(
                "note: the file names no profile and holds no keys; run it with "
                f"`explorer run {delivery.save_to} --profile NAME` (or --base-url)",
                stream=sys.stderr,
            )
    sending = not delivery.dry_run and (delivery.save_to is None or delivery.send_too)
    if delivery.dry_run:
        if delivery.as_json:
            shape = request_json(request, findings, reveal_secrets=delivery.reveal_secrets)
            write(json.dumps(shape, indent=2, ensure_ascii=False))
        else:
            write(to_curl(request, reveal_secrets=delivery.reveal_secrets))
    if not sending:
        if preparation.refusal is not None:
            write(f"note: {preparation.refusal}", stream=sys.stderr)
        return lint_status
    if preparation.refusal is not None:
        return fail(delivery.command, [preparation.refusal])
    if preparation.confirmation is not None and not delivery.confirmed:
        question = preparation.confirmation.removesuffix(" Send it?").rstrip(".")
        return fail(delivery.command, [f"{question}; add --yes to send it"])
    chosen = settings()
    with history_observers(delivery.history, chosen) as observers:
        status = send_and_report(
            request,
            preparation.spec,
            findings,
            chosen,
            command=delivery.command,
            as_json=delivery.as_json,
            reveal_secrets=delivery.reveal_secrets,
            observers=observers,
            follow_redirects=delivery.follow_redirects,
            timeout_s=delivery.timeout_s,
            trusted=delivery.trusted,
        )
    return max(lint_status, status)


def send_and_report(
    request: PreparedRequest,
    spec: RequestSpec | None,
    findings: list[Finding],
    settings: Settings,
    *,
    command: str = "request",
    as_json: bool,
    reveal_secrets: bool = False,
    observers: Sequence[SendObserver] = (),
    follow_redirects: bool | None = None,
    timeout_s: float | None = None,
    trusted: tuple[str, str] | None = None,
) -> int:
    """Send `request` with the app's HTTP settings and print the answer; 1 when the exchange failed.

    Unless `reveal_secrets`, everything printed is masked: the request, the response headers (a
    redirect's Location carries a Disqus key), and any key the server echoed in the body or an error
    (Disqus names a key it cannot read in its error message).
    """
    from explorer.core.explain import explain_result
    from explorer.core.http import request_secrets, scrub
    from explorer.core.ratebudget import BudgetBook, RoutingPacer, retry_wait, waiting_text

    # Paced like the window's sends; with rate_retry_once, a 429 is sent once more after the server's wait.
    pacer = RoutingPacer(
        BudgetBook(lambda: settings), on_wait=lambda s: write(waiting_text(s), stream=sys.stderr)
    )
    observers = [*observers, pacer]

    def new_sender() -> Executor:
        made = new_executor(settings, follow_redirects=follow_redirects)
        if trusted is not None:
            made.trust_certificate(*trusted)
        return made

    executor = new_sender()
    exchange = send_sync(request, executor, spec=spec, observers=observers, timeout_s=timeout_s)
    if retry_wait(pacer, exchange, settings) is not None:
        write("HTTP 429: sending once more after the server's wait", stream=sys.stderr)
        exchange.result.discard_body_file()
        executor = new_sender()  # send_sync closed the first
        exchange = send_sync(request, executor, spec=spec, observers=observers, timeout_s=timeout_s)
    sent = exchange.result
    try:
        body = sent.text() if sent.status is not None else ""
    finally:
        sent.discard_body_file()
    result = sent if reveal_secrets else sent.masked()
    body = scrub(body, () if reveal_secrets else request_secrets(request))
    notes = cli_notes(result.notes)
    if as_json:
        payload: JsonObject = {
            "request": request_json(request, reveal_secrets=reveal_secrets),
            "status": result.status,
            "reason": result.reason,
            "headers": headers_object(result.headers),
            "body": body if result.status is not None else None,
            "error": result.error,
            "notes": notes,
            "truncated": result.truncated,
            "elapsed_s": round(result.elapsed_s, 3),
            "lint": findings_json(findings),
        }
        write(json.dumps(payload, indent=2, ensure_ascii=False))
    elif result.status is not None:
        write(f"HTTP {result.status} {result.reason}".rstrip(), stream=sys.stderr)
        for note in notes:
            write(f"note: {note}", stream=sys.stderr)
        write(_pretty(body, result.is_json))
    if result.error:
        write(f"explorer {command}: {result.error}", stream=sys.stderr)
    elif exchange.failed:
        diagnosis = exchange.diagnosis
        if reveal_secrets:
            # The exchange's diagnosis is masked; the user asked for the keys, so explain what came back.
            # The body read above stands in for its temporary file, which is gone by now.
            diagnosis = explain_result(replace(sent, body=body.encode("utf-8")[:1_000_000], body_path=None))
        if diagnosis is not None:
            write(f"{diagnosis.title}: {diagnosis.summary}", stream=sys.stderr)
    return 1 if exchange.failed else 0


def cli_notes(notes: tuple[str, ...]) -> list[str]:
    """The HTTP layer's notes as the command line says them: a redirect not followed names the option."""
    out = []
    for note in notes:
        if note.startswith("The body (") and "above the memory cap" in note:
            continue  # the command line prints the body and deletes that file before exiting
        if note.endswith("not followed (following redirects is off)."):
            note = note.removesuffix(".") + "; add --follow-redirects to follow it."
        elif note.startswith("Stopped after ") and note.endswith(" redirects."):
            note = note.removesuffix(".") + "; the answer shown is the last redirect."
        out.append(note)
    return out


def _pretty(body: str, is_json: bool) -> str:
    if not is_json:
        return body
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body
