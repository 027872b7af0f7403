"""A request-size limit in front of the app, so a huge paste or upload is refused before it is read.

The limit is checked twice: against ``Content-Length`` before any byte is read, and against the
bytes actually received (a chunked body has no length) while the body is read into memory, before
the app sees any of it; so no request holds more than ``max_bytes`` of body in the server.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["DEFAULT_MAX_BYTES", "BodyLimit"]

DEFAULT_MAX_BYTES = 5_000_000
Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: answer 413 to any request whose body is over ``max_bytes``."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], max_bytes: int,
                 page: Callable[[str], str] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.page = page  # renders the message as a whole page for the browser (default: a bare paragraph)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > self.max_bytes:
            await self._refuse(scope, send)
            return
        chunks: list[bytes] = []
        seen = 0
        while True:  # read the whole body first (at most max_bytes of it), then hand it on
            message = await receive()
            if message["type"] != "http.request":  # the client left
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        text = (f"The text or file is too large: this server reads at most {self.max_bytes / 1e6:.1f} MB "
                "per request (rhetoric serve --max-mb raises the limit).")
        api = scope.get("path", "").startswith("/api/")
        html = self.page(text) if self.page else f"<!DOCTYPE html><p>{text}</p>"
        body = (json.dumps({"error": text}) if api else html).encode("utf-8")
        ctype = b"application/json" if api else b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
