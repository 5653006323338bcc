"""HTTP hardening around the app: security headers on every response, no server banner, request read deadlines.

uvicorn (0.54) times out only idle keep-alive connections: a client that sends half a request line, or headers
or a body byte by byte, holds its socket for ever. :class:`TimedHttpToolsProtocol` gives every request a read
deadline: from the connection's first byte (or the first byte after the previous request) to the end of the
request's body; past it the socket is closed. A connection that sends nothing is closed after the same time.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import socket
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .workers import ARRIVAL, CLIENT

#: The pages use only same-origin scripts (the SPARQL page's script is /static/sparql.js) and JSON data blocks.
#: Styles: 'unsafe-inline' is kept because YASGUI and vis-network set inline styles and the query page has a
#: <noscript><style>; no script can be injected through a style. Images may be data: URIs (YASGUI icons).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.I)


def csp_with_inline_scripts(html: str) -> str:
    """The CSP for a generated page whose own inline scripts must run: each allowed by its sha256 hash."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        if "application/json" in match.group("attrs"):
            continue  # a data block, never executed
        digest = base64.b64encode(hashlib.sha256(match.group("body").encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return CSP.replace("script-src 'self'", "script-src 'self' " + " ".join(hashes)) if hashes else CSP


class SecurityHeaders:
    """ASGI wrapper: adds the security headers to every HTTP response (a route's own CSP is kept)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:  # app.state, routes … stay reachable
        return getattr(self.app, name)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Pass the request on; add the headers to its response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class RequestContext:
    """ASGI wrapper: notes who sent the request and when it arrived, for the query pool's admission control."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Set the client and arrival time for the request's handling."""
        if scope["type"] == "http":
            client = scope.get("client")
            CLIENT.set(client[0] if client else "unknown")
            ARRIVAL.set(asyncio.get_running_loop().time())
        await self.app(scope, receive, send)


class TimedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for reading each request (headers and body)."""

    read_timeout: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timer: asyncio.TimerHandle | None = None

    def _start_read_timer(self) -> None:
        if self._read_timer is None:
            self._read_timer = self.loop.call_later(self.read_timeout, self._read_timed_out)

    def _stop_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """A new connection: its first request must arrive within the deadline."""
        super().connection_made(transport)
        self._start_read_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """The connection is gone: no deadline left to watch."""
        self._stop_read_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Bytes of a request: the deadline runs from the first."""
        self._start_read_timer()
        super().data_received(data)

    def on_message_complete(self) -> None:
        """The request is read in full: its deadline is met."""
        self._stop_read_timer()
        super().on_message_complete()


def protocol_with_timeout(seconds: float) -> type[TimedHttpToolsProtocol]:
    """The protocol class for uvicorn's `http=` with this read deadline."""
    return type("TimedHttpToolsProtocol", (TimedHttpToolsProtocol,), {"read_timeout": float(seconds)})


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port and listening, so the port is known taken before anything is announced
    (port 0: a free port, read back with getsockname). An OSError (port in use, unknown host) propagates."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def serve(app: Any, sock: socket.socket, *, read_timeout: float = 10.0, keep_alive: int = 5) -> None:
    """Run the app under uvicorn on a bound socket (see `listen`): no `server` banner, read deadlines, security
    headers outermost."""
    import uvicorn

    config = uvicorn.Config(SecurityHeaders(app), log_level="warning", server_header=False,
                            http=protocol_with_timeout(read_timeout), timeout_keep_alive=keep_alive,
                            h11_max_incomplete_event_size=64 * 1024)
    uvicorn.Server(config).run(sockets=[sock])
