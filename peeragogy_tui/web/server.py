"""Serving the participant app with uvicorn on a socket we bind ourselves.

Binding first lets us use port 0 (tests and benchmarks get a free port) and
know the real port before any participant needs the link. The server binds
``127.0.0.1`` unless ``lan`` is asked for; then it listens on every interface
and the link uses this machine's LAN address (there is no TLS: say so).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import uvicorn

from peeragogy_tui.web.app import create_web_app
from peeragogy_tui.web.hub import Hub

__all__ = ["LAN_WARNING", "RunningServer", "lan_address", "start_server"]

LAN_WARNING = "Warning: the page is plain HTTP (no TLS); anyone on this network can watch the traffic."


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent), or 127.0.0.1."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
        return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@dataclass
class RunningServer:
    """A server running in a background thread; :meth:`stop` ends it."""

    server: uvicorn.Server
    thread: threading.Thread
    sock: socket.socket
    host: str
    """The address in links: 127.0.0.1, or the LAN address with ``lan``."""
    port: int
    lan: bool
    hub: Hub
    hosts: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.host}:{self.port}"

    def join_url(self, code: str) -> str:
        """The link participants open."""
        return f"{self.base_url}/j/{code}"

    def stop(self, timeout: float = 5.0) -> None:
        """End the event streams, ask the server to end, and wait for it."""
        self.hub.end_streams_threadsafe()
        self.server.should_exit = True
        self.thread.join(timeout)
        self.sock.close()


def start_server(
    store_path: Path,
    session_id: int,
    *,
    port: int = 0,
    lan: bool = False,
    clock: Callable[[], datetime] | None = None,
) -> RunningServer:
    """Bind, build the app and serve it from a daemon thread; returns once it accepts connections.

    Raises:
        OSError: the port cannot be bound (in use, or not allowed).
    """
    sock = _bind("0.0.0.0" if lan else "127.0.0.1", port)
    real_port = int(sock.getsockname()[1])
    host = lan_address() if lan else "127.0.0.1"
    hosts = [f"127.0.0.1:{real_port}", f"localhost:{real_port}"]
    if lan and host != "127.0.0.1":
        hosts.append(f"{host}:{real_port}")
    app = create_web_app(store_path, session_id, hosts=hosts, clock=clock)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="peeragogy-web")
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.02)
    if not server.started:
        sock.close()
        raise OSError("the web server did not start")
    return RunningServer(server, thread, sock, host, real_port, lan, app.state.hub, hosts)
