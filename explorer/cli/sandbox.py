"""`explorer sandbox`: serve the offline Discourse + Disqus sandbox until Ctrl+C."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from explorer.sandbox.config import FaultSettings, SandboxConfig
from explorer.sandbox.demo import DemoCredentials
from explorer.sandbox.persistence import StateFileError, load_state, save_state
from explorer.sandbox.server import SandboxError, SandboxServer, is_loopback


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer sandbox",
        description="Serve an offline imitation of a Discourse forum and of Disqus API 1.1 "
        "with fixed demo credentials. Runs until Ctrl+C.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback by default)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow a non-loopback --host (the demo keys are public)"
    )
    parser.add_argument("--seed", type=int, default=SandboxConfig.seed, help="seed for the generated data")
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=SandboxConfig.admin_rate_limit_per_minute,
        metavar="N",
        help="admin-key requests allowed per minute before 429 (default %(default)s)",
    )
    parser.add_argument(
        "--ready-json", action="store_true", help="print one JSON line with the URL and keys once ready"
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        type=Path,
        help="load the data from FILE when it exists, and save it there on a clean stop",
    )
    faults = parser.add_argument_group("fault rehearsal (all off by default)")
    faults.add_argument("--latency-ms", type=int, default=0, metavar="MS", help="delay every response")
    faults.add_argument(
        "--error-rate", type=float, default=0.0, metavar="SHARE", help="share of requests answered 500 (0..1)"
    )
    faults.add_argument("--rate-limit-storm", action="store_true", help="answer every request with 429")
    faults.add_argument("--slow-body-ms", type=int, default=0, metavar="MS", help="trickle bodies over MS")
    faults.add_argument("--truncate-body", action="store_true", help="close connections mid-body")
    faults.add_argument("--html-errors", action="store_true", help="a proxy's HTML 502 page in front")
    return parser


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    return SandboxConfig(
        seed=args.seed,
        admin_rate_limit_per_minute=args.rate_limit,
        faults=FaultSettings(
            latency_ms=args.latency_ms,
            error_rate=args.error_rate,
            rate_limit_storm=args.rate_limit_storm,
            slow_body_ms=args.slow_body_ms,
            truncated_body=args.truncate_body,
            html_error_page=args.html_errors,
        ),
    )


def _validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if not is_loopback(args.host) and not args.allow_remote:
        parser.error(
            f"--host {args.host} is not a loopback address; the sandbox answers to public demo keys, "
            "so add --allow-remote to serve it there anyway"
        )
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.rate_limit < 1:
        parser.error(f"--rate-limit must be at least 1, got {args.rate_limit}")
    if not 0.0 <= args.error_rate <= 1.0:
        parser.error(f"--error-rate must be between 0 and 1, got {args.error_rate}")
    if args.state is not None and (args.state.is_dir() or not args.state.parent.is_dir()):
        parser.error(f"--state {args.state}: must be a file in an existing folder")
    if args.latency_ms < 0 or args.slow_body_ms < 0:
        parser.error("--latency-ms and --slow-body-ms must not be negative")


def describe(credentials: DemoCredentials) -> str:
    lines = [f"Sandbox running at {credentials.url}", "", "Discourse (base URL " + credentials.url + "):"]
    lines += [f"  {key}: {value}" for key, value in credentials.discourse_json().items()]
    lines += ["", "Disqus 1.1 (base URL " + credentials.disqus_base_url + "):"]
    lines += [f"  {key}: {value}" for key, value in credentials.disqus_json().items()]
    lines += ["", "Press Ctrl+C to stop."]
    return "\n".join(lines)


class _Invocation:
    """One run of the command: start the server, serve until a signal asks to stop, then save the state."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.server: SandboxServer | None = None
        # Set by a signal that may arrive before the server exists (seeding takes a moment).
        self.stopping = threading.Event()

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()
        if self.server is not None:
            self.server.request_stop()

    def run(self) -> int:
        args = self.args
        try:
            server = SandboxServer(
                config_from_args(args), host=args.host, port=args.port, allow_remote=args.allow_remote
            )
            if args.state is not None and args.state.exists():
                saved_seed = load_state(server.app, args.state)
                if saved_seed != args.seed:
                    print(
                        f"note: {args.state} was made with --seed {saved_seed}; its data is used",
                        file=sys.stderr,
                    )
            self.server = server
            credentials = server.start()
        except (SandboxError, StateFileError) as exc:
            print(f"explorer sandbox: {exc}", file=sys.stderr)
            return 2
        try:
            if not self.stopping.is_set():
                print(
                    json.dumps(credentials.as_json()) if args.ready_json else describe(credentials),
                    flush=True,
                )
                server.wait()  # Thread.join is interruptible: request_stop asks uvicorn to exit
        finally:
            server.stop()
        return self._save()

    def _save(self) -> int:
        args = self.args
        if args.state is not None:
            assert self.server is not None
            try:
                save_state(self.server.app, args.state, args.seed)
            except StateFileError as exc:
                print(f"explorer sandbox: {exc}", file=sys.stderr)
                return 1
        if not args.ready_json:
            print("Sandbox stopped." + (f" State saved to {args.state}." if args.state else ""), flush=True)
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    _validate(parser, args)
    invocation = _Invocation(args)
    # Installed before the server is built, so Ctrl+C at any moment ends the command without a traceback.
    previous = {sig: signal.signal(sig, invocation.request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return invocation.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
