"""Benchmark: GET /latest.json throughput through the real uvicorn sandbox, and its memory over a long run."""

# Usage: .venv/bin/python benchmarks/sandbox.py [--requests N] [--baseline-requests N] [--profile]
#
# The sandbox runs as `explorer sandbox --ready-json` in its own process (so client and server do not share
# one interpreter lock); one keep-alive httpx client sends N anonymous GET /latest.json requests (anonymous,
# because admin-key requests share a 60-a-minute budget, like on a real forum). As an in-run baseline the
# same client calls a trivial Starlette endpoint served the same way (SandboxServer, uvicorn, own process), so
# the ratio says how much the sandbox itself costs on this machine. The server's RSS is sampled after warm-up
# and at the end. The last line printed is one JSON object.

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.sandbox.server import SandboxServer  # noqa: E402

WARM_UP = 300


def _trivial_app() -> Starlette:
    async def latest(request: Request) -> JSONResponse:
        return JSONResponse({"topic_list": {"topics": []}})

    return Starlette(routes=[Route("/latest.json", latest)])


def _run(client: httpx.Client, url: str, count: int) -> float:
    """Requests per second for `count` sequential GETs; every answer must be 200."""
    started = time.perf_counter()
    for _ in range(count):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"unexpected status {response.status_code} from {url}: {response.text[:200]}")
    return count / (time.perf_counter() - started)


def _rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


@contextmanager
def _server_process(argv: list[str]) -> Iterator[tuple[str, int]]:
    """Start a server process that prints one ready JSON line with its URL; stop it with SIGINT."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"server did not start: {' '.join(argv)}")
        yield json.loads(line)["url"], process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _serve_trivial() -> int:
    """Internal mode: serve the baseline endpoint until SIGINT, announcing the URL like --ready-json."""
    server = SandboxServer(app=_trivial_app())
    credentials = server.start()
    signal.signal(signal.SIGINT, lambda signum, frame: server.request_stop())
    print(json.dumps({"url": credentials.url}), flush=True)
    server.wait()
    server.stop()
    return 0


def _profile_app(count: int) -> None:
    """Where the sandbox spends its time for /latest.json, without HTTP (the ASGI app called directly)."""
    import asyncio

    from explorer.sandbox.app import create_app

    app = create_app()
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/latest.json",
        "raw_path": b"/latest.json",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1234),
        "http_version": "1.1",
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        return None

    async def many() -> None:
        for _ in range(count):
            await app(dict(scope), receive, send)

    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(many())
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=100_000, help="sandbox requests (default %(default)s)"
    )
    parser.add_argument(
        "--baseline-requests",
        type=int,
        default=None,
        help="baseline requests (default: a fifth of --requests, at least 1000)",
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the app to stderr")
    parser.add_argument("--serve-trivial", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_trivial:
        return _serve_trivial()
    baseline_count = args.baseline_requests or max(1000, args.requests // 5)

    trivial = [sys.executable, str(Path(__file__).resolve()), "--serve-trivial"]
    with _server_process(trivial) as (base, _), httpx.Client(timeout=30) as client:
        url = base + "/latest.json"
        _run(client, url, WARM_UP)
        baseline_rps = _run(client, url, baseline_count)
    print(f"baseline (trivial Starlette endpoint): {baseline_rps:,.0f} requests/s over {baseline_count:,}")

    sandbox = [sys.executable, "-m", "explorer", "sandbox", "--ready-json", "--port", "0"]
    with _server_process(sandbox) as (base, pid), httpx.Client(timeout=30) as client:
        url = base + "/latest.json"
        _run(client, url, WARM_UP)
        rss_start = _rss_mb(pid)
        latest_rps = _run(client, url, args.requests)
        rss_end = _rss_mb(pid)
    print(f"sandbox GET /latest.json: {latest_rps:,.0f} requests/s over {args.requests:,}")
    print(f"server RSS {rss_start:.1f} MB -> {rss_end:.1f} MB")

    if args.profile:
        _profile_app(min(args.requests, 5000))

    result = {
        "latest_rps": round(latest_rps, 1),
        "rss_growth_mb": round(rss_end - rss_start, 2),
        "baseline_rps": round(baseline_rps, 1),
        "latest_ratio": round(latest_rps / baseline_rps, 3),
        "requests": args.requests,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
