"""HTTP errors and the one place they are rendered.

Every error answer carries a request id (also in the ``X-Request-ID`` header and the log line). Under
``/v1`` and ``/healthz`` it is JSON ``{"error": {"code", "message", "request_id"}}``; elsewhere it is
the web page's error page (a missing session redirects to the login page). The text of an unexpected
exception never reaches the client: it is logged with the request id and the answer is a generic 500.

Status by class: AuthError 401, ForbiddenError 403, NotFound 404, Conflict 409, BadRequest 400,
PayloadTooLarge 413, Saturated 503 (with Retry-After), AuditError 503 (no verdict is given).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import AuditError, AuthError, ForbiddenError, SecscreenError

log = logging.getLogger("secscreen.service")


class BadRequest(SecscreenError):
    http_status = 400
    code = "bad-request"


class NotFound(SecscreenError):
    http_status = 404
    code = "not-found"


class Conflict(SecscreenError):
    http_status = 409
    code = "conflict"


class PayloadTooLarge(SecscreenError):
    http_status = 413
    code = "payload-too-large"


class Saturated(SecscreenError):
    """Every worker and queue slot is taken: try again shortly."""

    http_status = 503
    code = "busy"


class LoginRequired(AuthError):
    """A web page was asked for without a valid session: go to the login page."""


#: messages given instead of the exception's own text (which may carry internal detail)
FIXED_MESSAGES = {
    AuditError: "审计记录无法写入或读取，未给出审查结论，请稍后重试或联系系统管理员",
}
INTERNAL_MESSAGE = "服务内部错误，未给出审查结论。请将请求编号告知系统管理员"
HTTP_MESSAGES = {404: "页面或资源不存在", 405: "不支持该请求方法", 413: "请求内容过大"}


#: on every answer: no framing, no sniffing, no third-party anything (the page uses no external assets)
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
)


def request_id(scope: Scope) -> str:
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        state["request_id"] = secrets.token_hex(8)
    return str(state["request_id"])


def wants_json(path: str) -> bool:
    return path.startswith("/v1") or path in ("/healthz", "/openapi.json")


def describe(exc: Exception) -> tuple[int, str, str]:
    """(status, code, message) for an exception, with no internal text for unexpected ones."""
    if isinstance(exc, SecscreenError):
        for cls, message in FIXED_MESSAGES.items():
            if isinstance(exc, cls):
                return exc.http_status, exc.code, message
        return exc.http_status, exc.code, str(exc)
    if isinstance(exc, RequestValidationError):
        fields = "；".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}：{e.get('msg', '')}" for e in exc.errors())
        return 422, "invalid-request", f"请求格式不正确：{fields}"
    if isinstance(exc, HTTPException):
        return exc.status_code, "http-error", HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
    return 500, "internal-error", INTERNAL_MESSAGE


def render(request: Request, exc: Exception) -> Response:
    status, code, message = describe(exc)
    rid = request_id(request.scope)
    if status >= 500:
        log.error("request %s %s %s failed: %s %s", rid, request.method, request.url.path, code,
                  type(exc).__name__, exc_info=exc if code == "internal-error" or isinstance(exc, AuditError) else None)
    headers = {"X-Request-ID": rid}
    if isinstance(exc, Saturated):
        headers["Retry-After"] = "5"
    if isinstance(exc, AuthError) and not isinstance(exc, ForbiddenError):
        headers["WWW-Authenticate"] = "Bearer"
    if wants_json(request.url.path):
        return JSONResponse({"error": {"code": code, "message": message, "request_id": rid}}, status, headers=headers)
    if isinstance(exc, LoginRequired):
        return RedirectResponse("/login", 303, headers=headers)
    templates = request.app.state.templates
    context: dict[str, Any] = {"status": status, "code": code, "message": message, "request_id": rid, "user": None}
    page: Response = templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)
    return page


async def handle(request: Request, exc: Exception) -> Response:
    return render(request, exc)


class RequestContext:
    """Outermost middleware: a request id and security headers on every answer (``no-store`` but for
    static files: results carry sensitive text), and the catch-all for unexpected errors."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        started = False

        async def tagged(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(b"x-request-id", rid.encode()), *SECURITY_HEADERS]
                if not scope["path"].startswith("/static/"):
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = headers + [(k, v) for k, v in extra if k not in present]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        except Exception as exc:
            if started:
                log.exception("request %s failed after the answer started", rid)
                return
            response = render(Request(scope), exc)
            await response(scope, receive, tagged)


class BodyLimit:
    """413 for a body over the limit: from Content-Length at once, else while it is being read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            raise PayloadTooLarge(f"请求内容超过上限 {self.max_bytes // (1024 * 1024)} MB")
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise PayloadTooLarge(f"请求内容超过上限 {self.max_bytes // (1024 * 1024)} MB")
            return message

        await self.app(scope, counted, send)
