"""`make conformance`: schemathesis runs the official Discourse spec against a freshly started sandbox."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared spec_defects
from spec_defects import DEFECTS, corrected_spec  # noqa: E402
from test_discourse_schemas import CASES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "reference" / "discourse" / "openapi.json"
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
READY_TIMEOUT_S = 30
SEED = 20260105  # a fixed seed, so a run can be repeated exactly


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=25, help="test cases per operation and phase")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if not SPEC.is_file():
        print(f"conformance: skipped, the official spec is not at {SPEC} (../shared is absent)")
        return 0
    schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which(
        "schemathesis"
    )
    if schemathesis is None:
        print("conformance: schemathesis is not installed (pip install -e '.[test]')", file=sys.stderr)
        return 2
    spec, counts = corrected_spec(json.loads(SPEC.read_text(encoding="utf-8")))
    print(f"conformance: {SPEC}, with the spec's known defects corrected (docs/sandbox.md):")
    for defect in DEFECTS:
        print(f"  - {defect.name} ({counts[defect.name]} places): {defect.reason}")
    with tempfile.TemporaryDirectory(prefix="conformance-") as work:
        corrected = Path(work) / "openapi.json"
        corrected.write_text(json.dumps(spec), encoding="utf-8")
        config = Path(work) / "schemathesis.toml"
        config.write_text(_seeded_paths(), encoding="utf-8")
        sandbox, ready = _start_sandbox()
        try:
            keys = ready["discourse"]
            command = [
                schemathesis,
                "--config-file",
                str(config),
                "run",
                str(corrected),
                "--url",
                ready["url"],
                "--header",
                f"Api-Key: {keys['admin_key']}",
                "--header",
                f"Api-Username: {keys['admin_username']}",
                "--checks",
                CHECKS,
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                str(args.max_examples),
                "--seed",
                str(args.seed),
                "--workers",
                "2",
                "--request-timeout",
                "10",
                "--suppress-health-check",
                "all",
            ]
            return subprocess.run(command, cwd=work, check=False).returncode
        finally:
            _stop(sandbox)


def _seeded_paths() -> str:
    """schemathesis configuration pinning each operation's path values to records the seed has.

    Random ids would find nothing and test only the 404; the schema test's cases name real ones.
    """
    blocks = []
    for operation_id, case in sorted(CASES.items()):
        values = ", ".join(f'"path.{k}" = {json.dumps(v)}' for k, v in case.get("path", {}).items())
        if values:
            blocks.append(
                f'[[operations]]\ninclude-operation-id = "{operation_id}"\nparameters = {{ {values} }}\n'
            )
    return "\n".join(blocks)


def _start_sandbox() -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """`explorer sandbox --ready-json` on a free port, with an admin budget no generated run exhausts."""
    command = [sys.executable, "-m", "explorer", "sandbox", "--ready-json", "--rate-limit", "1000000"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    deadline = time.monotonic() + READY_TIMEOUT_S
    line = ""
    while time.monotonic() < deadline and not line:
        line = process.stdout.readline()
        if process.poll() is not None:
            break
    if not line:
        _stop(process)
        raise SystemExit("conformance: the sandbox did not start")
    return process, json.loads(line)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
