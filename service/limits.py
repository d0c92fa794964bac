"""Request body limits, enforced while the body streams in (never read whole into memory).

A request whose Content-Length is over its limit is answered 413 before any of
the body is read; a body without a Content-Length (chunked) is counted as it
arrives and cut off with 413 as soon as it passes the limit.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from budgetqa.service.errors import ApiError, error_response

MIB = 1024 * 1024
DEFAULT_LIMIT = 64 * 1024
"""Bytes allowed in a request body other than an upload (a question is a few hundred)."""
MULTIPART_SLACK = 64 * 1024
"""Bytes allowed over the file size limit for an upload's multipart headers and boundary."""


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "too_large", f"The request body is over the {limit / MIB:g} MB limit.")


class BodyLimitMiddleware:
    """Pure ASGI middleware: ``limit_for(scope)`` gives each request's body limit in bytes."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            too_large = BodyTooLarge(limit)
            await error_response(413, "too_large", too_large.message_en)(scope, receive, send)
            return
        await self.app(scope, counting(receive, limit), send)


def counting(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises BodyTooLarge once more than ``limit`` body bytes have come."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped


def limits(upload_path: str, max_file_mb: float) -> Callable[[Scope], int]:
    """Uploads to ``upload_path`` may carry a file of ``max_file_mb``; other bodies DEFAULT_LIMIT."""
    upload_limit = int(max_file_mb * MIB) + MULTIPART_SLACK

    def limit_for(scope: Scope) -> int:
        if scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == upload_path:
            return upload_limit
        return DEFAULT_LIMIT

    return limit_for
