"""Run the sandbox with uvicorn on a background thread: for the window, the tests and the CLI."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import sys
import threading
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from explorer.sandbox.app import create_app
from explorer.sandbox.config import FaultSettings, SandboxConfig
from explorer.sandbox.demo import DemoCredentials
from explorer.sandbox.faults import FaultMiddleware

STARTUP_TIMEOUT_S = 15.0
SHUTDOWN_TIMEOUT_S = 10.0


class SandboxError(RuntimeError):
    """The sandbox could not start (port taken, host refused, startup failure)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NotifyingServer(uvicorn.Server):
    """A uvicorn server that sets a threading.Event as soon as it accepts connections."""

    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self._ready.set()


class SandboxServer:
    """One sandbox instance on its own thread and event loop.

    `start()` binds the socket in the caller's thread (so a taken port fails right there, with a clear
    message), then waits on an event uvicorn's startup sets; `stop()` asks uvicorn to exit and joins.
    """

    def __init__(
        self,
        config: SandboxConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        allow_remote: bool = False,
        app: ASGIApp | None = None,
    ) -> None:
        if not is_loopback(host):
            if not allow_remote:
                raise SandboxError(
                    f"refusing to serve the sandbox on {host!r}: it answers to well-known demo keys, "
                    "so it binds to loopback only unless remote access is explicitly allowed"
                )
            print(
                f"warning: the sandbox is reachable from other machines on {host}; its demo keys are public",
                file=sys.stderr,
            )
        self.config = config or SandboxConfig()
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._server: _NotifyingServer | None = None
        self._failure: BaseException | None = None
        # `app` serves another ASGI application the same way (the benchmark's baseline endpoint).
        self._app = app if app is not None else create_app(self.config)

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> DemoCredentials:
        if self._thread is not None:
            raise SandboxError("the sandbox is already running")
        sock = self._bind()
        self._port = sock.getsockname()[1]
        ready = threading.Event()
        uv_config = uvicorn.Config(
            self._app,
            lifespan="off",
            access_log=False,
            log_level="warning",
            timeout_graceful_shutdown=2,
        )
        self._server = _NotifyingServer(uv_config, ready)
        self._failure = None
        self._thread = threading.Thread(
            target=self._run, args=(sock, ready), name=f"sandbox-{self._port}", daemon=True
        )
        self._thread.start()
        if not ready.wait(STARTUP_TIMEOUT_S) or self._failure is not None:
            reason = self._failure
            self.stop()
            sock.close()
            raise SandboxError(f"the sandbox did not start: {reason or 'timed out'}")
        return self.credentials

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP, and
        # without it every keep-alive response waits ~40 ms on Nagle + delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._requested_port))
        except OSError as exc:
            sock.close()
            raise SandboxError(
                f"cannot listen on {self.host}:{self._requested_port}: {exc.strerror}"
            ) from None
        sock.set_inheritable(True)
        return sock

    def _run(self, sock: socket.socket, ready: threading.Event) -> None:
        assert self._server is not None
        try:
            asyncio.run(self._server.serve(sockets=[sock]))
        except BaseException as exc:  # noqa: BLE001 - SystemExit from uvicorn's startup must not kill silently
            self._failure = exc
        finally:
            sock.close()
            ready.set()  # unblock start() if the server died before it was ready

    def stop(self) -> None:
        """Ask uvicorn to finish open requests and exit; returns once the thread has ended."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(SHUTDOWN_TIMEOUT_S)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(SHUTDOWN_TIMEOUT_S)
        self._thread = None
        self._server = None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server thread ends (or `timeout`); True when it has ended."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def request_stop(self) -> None:
        """Ask the server to exit without waiting (safe from a signal handler)."""
        if self._server is not None:
            self._server.should_exit = True

    @property
    def app(self) -> ASGIApp:
        """The ASGI application being served (for saving and loading state)."""
        return self._app

    @property
    def faults(self) -> FaultSettings:
        return self._faults_middleware().settings

    @faults.setter
    def faults(self, settings: FaultSettings) -> None:
        """Switch fault rehearsal on or off while the server runs (takes effect with the next request)."""
        self._faults_middleware().settings = settings

    def _faults_middleware(self) -> FaultMiddleware:
        if not isinstance(self._app, FaultMiddleware):
            raise SandboxError("this server does not serve the sandbox application")
        return self._app

    # -- information -----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def port(self) -> int:
        if self._port is None:
            raise SandboxError("the sandbox has not been started")
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def credentials(self) -> DemoCredentials:
        return DemoCredentials(url=self.url)

    # -- context manager -------------------------------------------------------------------------------

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
