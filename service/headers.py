"""Security headers on every response: a Content-Security-Policy (with configurable frame-ancestors),
X-Content-Type-Options: nosniff and a Referrer-Policy."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
          "frame-ancestors {ancestors}")
INLINE_SCRIPT_PATHS = ("/docs",)
"""Pages that need an inline script (the Swagger UI page FastAPI renders)."""


class SecurityHeadersMiddleware:
    """Pure ASGI middleware; ``frame_ancestors`` is the CSP source list of sites that may frame the pages."""

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        self.strict = POLICY.format(scripts="", ancestors=frame_ancestors)
        self.inline = POLICY.format(scripts=" 'unsafe-inline'", ancestors=frame_ancestors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.inline if scope.get("path", "") in INLINE_SCRIPT_PATHS else self.strict

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
            await send(message)

        await self.app(scope, receive, with_headers)
