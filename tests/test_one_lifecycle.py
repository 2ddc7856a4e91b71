"""Every request the command line or the window sends goes through explorer.core.lifecycle.

Checked on the source's syntax tree: outside the lifecycle, no module of explorer/cli or explorer/ui builds,
lints or sends a request by itself (build_request, lint_request, Executor(...), .execute(...), execute_sync,
execute_once), so history, rate budgets, profile guards and masking cannot be skipped by a second path.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "explorer"
CHECKED = ("cli", "ui")
# Names that build, lint or send when used at all (called, imported or passed along).
FORBIDDEN_NAMES = frozenset({"build_request", "lint_request", "execute_sync", "execute_once"})
# Names that send (or make the sender) when called.
FORBIDDEN_CALLS = frozenset({"Executor", "execute"})

# Modules allowed for good: the window's request controller runs the lifecycle's send coroutine as a Qt
# task and owns its cancel.
ALLOWED = frozenset({"explorer/ui/controllers/request.py"})


def _uses(tree: ast.AST) -> list[str]:
    """`line: what` for every forbidden use in a module's syntax tree."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"{node.lineno}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name in FORBIDDEN_NAMES]
        elif isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name in FORBIDDEN_CALLS:
                found.append(f"{node.lineno}: {name}(…)")
    return found


def _modules() -> dict[str, list[str]]:
    """Repository-relative path → forbidden uses, for every module under explorer/cli and explorer/ui."""
    out: dict[str, list[str]] = {}
    for folder in CHECKED:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            relative = path.relative_to(PACKAGE.parent).as_posix()
            out[relative] = _uses(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return out


def test_the_check_sees_every_kind_of_direct_use() -> None:
    source = """
from explorer.core.builder import build_request
from explorer.core import lint
executor = Executor(timeout_s=5)
result = executor.execute(request)
other = http.execute_once(request)
findings = lint.lint_request(request)
"""
    assert [use.split(": ", 1)[1] for use in _uses(ast.parse(source))] == [
        "import build_request",
        "Executor(…)",
        "execute(…)",
        ".execute_once",
        ".lint_request",
    ]
    # Naming the types is fine: only making an executor or sending with one is a second path.
    assert _uses(ast.parse("def f(executor: Executor) -> ExecutionResult: ...")) == []


def test_the_command_line_and_the_window_send_only_through_the_lifecycle() -> None:
    modules = _modules()
    assert "explorer/cli/request.py" in modules and "explorer/ui/main_window.py" in modules
    offending = {
        path: uses
        for path, uses in modules.items()
        if uses and path not in ALLOWED
    }
    assert not offending, (
        "build, lint and send through explorer.core.lifecycle (prepare, send_prepared/send_sync, "
        f"new_executor) instead: {offending}"
    )
