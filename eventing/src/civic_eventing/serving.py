"""Running a service's app under uvicorn with a deadline on stopping.

A supervisor (`make run`, Kubernetes) sends SIGTERM and expects the process gone soon after, whatever state
Kafka and the store are in. uvicorn stops gracefully (closes connections, runs the lifespan shutdown) but
puts no bound on the shutdown itself: a producer flush or a consumer commit against an unreachable Kafka can
hold it for minutes. `serve` keeps the graceful path and arms a hard deadline when the first stop signal
arrives: past it, the process logs what it was doing and exits."""

import asyncio
import logging
import os
import socket
import sys
import threading
from pathlib import Path
from types import FrameType

import uvicorn

log = logging.getLogger(__name__)

STOP_DEADLINE_ENV = "CIVIC_STOP_DEADLINE_SECONDS"
DEFAULT_STOP_DEADLINE = 8.0  # below Kubernetes' and `make run`'s 10 s, so the process always leaves first
EXIT_DEADLINE_PASSED = 70


def stop_deadline_seconds() -> float:
    """The stop deadline from `CIVIC_STOP_DEADLINE_SECONDS` (default 8 s)."""
    raw = os.environ.get(STOP_DEADLINE_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_STOP_DEADLINE
    except ValueError:
        raise ValueError(f"{STOP_DEADLINE_ENV} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{STOP_DEADLINE_ENV} must be positive, not {raw!r}")
    return value


class DeadlineServer(uvicorn.Server):
    """uvicorn's server, plus: the first SIGTERM/SIGINT starts a timer; if the process is still stopping when it
    fires, the tasks still running are listed on stderr (to show what hung) and the process exits at once."""

    def __init__(self, config: uvicorn.Config, *, name: str, deadline_seconds: float) -> None:
        super().__init__(config)
        self.name = name
        self.deadline_seconds = deadline_seconds
        self._timer: threading.Timer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._timer is None:
            try:
                self._loop = asyncio.get_running_loop()  # signal handlers run on the main thread, in the loop
            except RuntimeError:
                self._loop = None
            self._timer = threading.Timer(self.deadline_seconds, self._deadline_passed)
            self._timer.daemon = True
            self._timer.start()
        super().handle_exit(sig, frame)

    def _deadline_passed(self) -> None:
        print(f"[{self.name}] still stopping {self.deadline_seconds:.0f}s after the stop signal; "
              "exiting now. What was still running:", file=sys.stderr, flush=True)
        try:  # best effort from another thread: the process is about to end anyway
            for task in list(asyncio.all_tasks(self._loop)) if self._loop else []:
                print(f"  task {task.get_name()}: {' -> '.join(_awaiting(task.get_coro()))}", file=sys.stderr)
        except Exception as exc:  # noqa: BLE001
            print(f"  (tasks unavailable: {exc})", file=sys.stderr)
        sys.stderr.flush()
        os._exit(EXIT_DEADLINE_PASSED)


def _awaiting(coro) -> list[str]:
    """`function (file:line)` for each coroutine in the chain a task is suspended in, outermost first."""
    chain = []
    while coro is not None and len(chain) < 30:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        chain.append(f"{frame.f_code.co_name} ({Path(frame.f_code.co_filename).name}:{frame.f_lineno})")
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return chain


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def serve(app, *, host: str, port: int, name: str, deadline_seconds: float | None = None,
          internal: tuple[str, int] | None = None, access_log: bool = True) -> None:
    """Serve `app` until SIGTERM/SIGINT; open connections (server-sent event streams among them) get a third of
    the deadline to finish, the lifespan shutdown the rest, and the process exits by the deadline regardless.

    `internal` is a second listener (host, port) for the routes kept off the public one (`http_edge.InternalOnly`
    tells them apart by the port that accepted the connection). uvicorn applies no proxy headers: whom to
    believe about the client's address is `http_edge.client_address`'s decision (configured trusted proxies)."""
    deadline = deadline_seconds if deadline_seconds is not None else stop_deadline_seconds()
    config = uvicorn.Config(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=max(1, int(deadline / 3)),
                            proxy_headers=False, server_header=False, access_log=access_log)
    server = DeadlineServer(config, name=name, deadline_seconds=deadline)
    if internal is None or tuple(internal) == (host, port):
        server.run()
        return
    sockets = [_bind(host, port), _bind(*internal)]
    try:
        server.run(sockets=sockets)
    finally:
        for sock in sockets:
            sock.close()
