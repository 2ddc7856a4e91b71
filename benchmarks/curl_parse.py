"""The cURL importer and linter on hostile input sizes: time of each case, and how it scales.

Each case is run at a tenth of its size and at full size; `scaling` is (full time / tenth time) / 10,
so 1.0 is linear and 10 would be quadratic. Cases: a 100 KB stray word (key-like letters and digits,
the masking of the error message used to backtrack), 100,000 -H options, and a 1 MB command (a long
-d body plus many words). The last line printed is one JSON object:
{"stray_word_s": ..., "stray_word_scaling": ..., "headers_s": ..., "headers_scaling": ..., ...}.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from explorer.core.curl import CurlError, import_curl  # noqa: E402


def stray_word(size: int) -> str:
    word = ("a1b2c3d4e5" * (size // 10 + 1))[:size]
    return f"curl https://forum.example.org/latest.json {word}"


def many_headers(count: int) -> str:
    headers = " ".join(f"-H 'X-H{i}: v{i}'" for i in range(count))
    return f"curl https://forum.example.org/latest.json {headers}"


def big_command(size: int) -> str:
    body = "x" * (size // 2)
    words = " ".join(f"-H 'X-{i}: {i}'" for i in range(size // 40))
    return f"curl -X POST https://forum.example.org/posts.json {words} -d 'raw={body}'"


def timed(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def lint(text: str) -> None:
    # A stray word is an error; what counts is how long saying so takes.
    with contextlib.suppress(CurlError):
        import_curl(text)


def case(name: str, make: Callable[[int], str], full: int, figures: dict[str, float]) -> None:
    small_text, full_text = make(full // 10), make(full)
    small = timed(lambda: lint(small_text))
    whole = timed(lambda: lint(full_text))
    figures[f"{name}_s"] = round(whole, 4)
    figures[f"{name}_scaling"] = round(whole / max(small, 1e-9) / 10, 2)
    figures[f"{name}_chars"] = len(full_text)
    print(f"{name:12} {len(full_text):>9} chars  {whole:8.3f} s  scaling x{figures[f'{name}_scaling']}")


def main() -> int:
    figures: dict[str, float] = {}
    case("stray_word", stray_word, 100_000, figures)
    case("headers", many_headers, 100_000, figures)
    case("command_1mb", big_command, 1_000_000, figures)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
