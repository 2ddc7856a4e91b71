"""explorer request and explorer lint refuse control characters and endless input with plain messages."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from explorer.cli import lint, request
from explorer.cli.lint import MAX_COMMAND_BYTES


@pytest.mark.parametrize(
    ("url", "named"),
    [("http://127.0.0.1:9/a\r\nb", "a carriage return"), ("http://127.0.0.1:9/a b", "a space")],
)
def test_request_url_with_control_characters(capsys, app_home: Path, url: str, named: str) -> None:
    code = request.main(["--url", url, "--dry-run"])
    err = capsys.readouterr().err
    assert code == 2 and f"--url: the URL contains {named}" in err


def test_request_header_with_nul(capsys, app_home: Path) -> None:
    code = request.main(["--url", "http://127.0.0.1:9/a", "-H", "X-A: 1\x00b", "--dry-run"])
    assert code == 2 and "NUL character" in capsys.readouterr().err


class _Endless(io.RawIOBase):
    """Standard input that never ends (as `< /dev/zero`), counting what is read."""

    def __init__(self) -> None:
        self.read_total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        buffer[:] = b"a" * len(buffer)
        self.read_total += len(buffer)
        return len(buffer)


@pytest.mark.timeout(60)
def test_lint_reads_a_bounded_amount_of_standard_input(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _Endless()
    stdin = io.TextIOWrapper(io.BufferedReader(raw))
    monkeypatch.setattr(sys, "stdin", stdin)
    code = lint.main([])
    assert code == 2 and "longer than 16 MB" in capsys.readouterr().err
    assert raw.read_total <= MAX_COMMAND_BYTES + 2**20
