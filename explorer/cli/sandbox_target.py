"""The offline sandbox as a command's target: started when the command asks for it, stopped when it ends."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from explorer.core.catalog.model import Api
from explorer.core.profiles.sandbox import sandbox_profiles
from explorer.core.profiles.store import ProfileStore
from explorer.sandbox.demo import DemoCredentials

if TYPE_CHECKING:
    from explorer.sandbox.server import SandboxServer

# The built-in profiles' names and ids do not depend on where the sandbox listens: read them once from the
# profiles themselves, so the command line and the window can never disagree about them.
_BUILT_IN = [built.profile for built in sandbox_profiles(DemoCredentials(url="http://127.0.0.1"))]
_NAMES: dict[Api, str] = {profile.api: profile.name for profile in _BUILT_IN}
_KNOWN = frozenset(word.casefold() for profile in _BUILT_IN for word in (profile.name, profile.id))


class _Session:
    """One command's sandbox: nothing runs until a request needs it, and it is started at most once."""

    def __init__(self) -> None:
        self.server: SandboxServer | None = None
        self.demo: DemoCredentials | None = None

    def credentials(self) -> DemoCredentials | str:
        if self.demo is None:
            # Imported here: uvicorn and the sandbox's app cost a quarter of a second, paid only when used.
            from explorer.sandbox.server import SandboxError, SandboxServer

            server = SandboxServer(host="127.0.0.1", port=0)  # loopback, a free port chosen by the system
            try:
                self.demo = server.start()
            except SandboxError as exc:
                return f"the built-in sandbox could not start: {exc}"
            self.server = server
        return self.demo

    def stop(self) -> None:
        server, self.server, self.demo = self.server, None, None
        if server is not None:
            server.stop()


_active: ContextVar[_Session | None] = ContextVar("explorer_cli_sandbox", default=None)


@contextmanager
def sandbox_session() -> Iterator[None]:
    """Within this block, the built-in sandbox profiles can be named; a sandbox started for them stops at the
    end of the block, whatever ends it (an error, Ctrl+C)."""
    session = _Session()
    token = _active.set(session)
    try:
        yield
    finally:
        _active.reset(token)
        session.stop()


def with_sandbox_session(main: Callable[[list[str]], int]) -> Callable[[list[str]], int]:
    """A command's `main` run inside `sandbox_session()`."""

    @functools.wraps(main)
    def run(argv: list[str]) -> int:
        with sandbox_session():
            return main(argv)

    return run


def is_sandbox_profile(name: str) -> bool:
    """Whether `name` is a built-in sandbox profile's name or id (case-insensitive, as for saved ones)."""
    return name.strip().casefold() in _KNOWN


def sandbox_profile_name(api: Api | str | None) -> str:
    """The built-in sandbox profile for `api`; Discourse's (served at the sandbox's root) for no API."""
    try:
        return _NAMES[Api(api)] if api is not None else _NAMES[Api.DISCOURSE]
    except ValueError:
        return _NAMES[Api.DISCOURSE]


def install_sandbox_profile(store: ProfileStore, name: str) -> str | None:
    """When `name` is a built-in sandbox profile, start this command's sandbox (once) and add both built-in
    profiles to `store`, as the window does; a message when the sandbox cannot start. Other names, or no
    session, leave the store as it is."""
    session = _active.get()
    if session is None or not is_sandbox_profile(name):
        return None
    demo = session.credentials()
    if isinstance(demo, str):
        return demo
    for built in sandbox_profiles(demo):
        store.add_builtin(built.profile, built.secrets)
    return None


SANDBOX_HELP = (
    "send to the built-in offline sandbox through its demo profile for the request's API "
    f"({_NAMES[Api.DISCOURSE]!r}, the admin, or {_NAMES[Api.DISQUS]!r}): it is started on 127.0.0.1 for "
    "this command and stopped after; not with --profile or --base-url"
)


def add_sandbox_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sandbox", action="store_true", help=SANDBOX_HELP)


def check_sandbox_option(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """A usage error (argparse's, exit 2) when --sandbox comes with an option naming another site."""
    if not args.sandbox:
        return
    clashing = [
        option for option, value in (("--profile", args.profile), ("--base-url", args.base_url)) if value
    ]
    if clashing:
        parser.error(
            f"--sandbox sends to the built-in sandbox; it does not go with {' or '.join(clashing)} "
            f"(the sandbox's own profiles are {_NAMES[Api.DISCOURSE]!r} and {_NAMES[Api.DISQUS]!r})"
        )
