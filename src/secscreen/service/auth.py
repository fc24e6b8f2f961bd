"""Who is calling. ``/v1``: ``Authorization: Bearer <token>``. Web page: a signed session cookie.

The session cookie (HttpOnly, SameSite=Strict) holds ``session id . expiry . HMAC`` — never the token
itself. The session row (token store) and its token are looked up on every request, so logging out,
idling past ``session_idle_seconds``, revoking the token or its expiry ends the session on the server. Every web form carries
a CSRF token derived from the session (HMAC, purpose ``csrf``); the login form uses a double-submit cookie.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from fastapi import Request

from ..errors import AuthError, ForbiddenError
from . import keys
from .errors import LoginRequired
from .state import ServiceState
from .tokens import Role, TokenInfo, TokenStore

SESSION_COOKIE = "secscreen_session"
LOGIN_CSRF_COOKIE = "secscreen_login_csrf"

#: who may do what (a role not listed gets 403)
SCREEN = (Role.CMS, Role.REVIEWER, Role.OFFICER)
READ_SCREENING = (Role.CMS, Role.REVIEWER, Role.OFFICER, Role.AUDITOR)
DECIDE = (Role.REVIEWER, Role.OFFICER)
OVERRIDE_BLOCK = (Role.OFFICER,)
RULES = (Role.REVIEWER, Role.OFFICER, Role.AUDITOR)
TRY_RULES = (Role.REVIEWER, Role.OFFICER)
AUDIT = (Role.AUDITOR, Role.OFFICER)
VERIFY_RECEIPT = READ_SCREENING
#: roles that see the matched text of block findings (cms gets it redacted)
SEE_MATCHED = (Role.REVIEWER, Role.OFFICER, Role.AUDITOR)
WEB = (Role.REVIEWER, Role.OFFICER, Role.AUDITOR)


def state(request: Request) -> ServiceState:
    return request.app.state.service  # type: ignore[no-any-return]


def _allowed(token: TokenInfo, roles: tuple[Role, ...]) -> TokenInfo:
    if token.role not in roles:
        allowed = "、".join(r.value for r in roles)
        raise ForbiddenError(f"令牌“{token.name}”的角色 {token.role.value} 无权执行此操作（需要 {allowed}）")
    return token


def bearer(*roles: Role) -> Callable[[Request], Awaitable[TokenInfo]]:
    """Dependency for /v1 routes: a live bearer token with one of ``roles``."""

    async def dependency(request: Request) -> TokenInfo:
        scheme, _, secret = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthError("缺少访问令牌（请求头 Authorization: Bearer <令牌>）")
        tokens = state(request).tokens
        token = live_token(tokens, secret.strip())
        tokens.touch(token)
        return _allowed(token, roles)

    return dependency


def session(*roles: Role) -> Callable[[Request], Awaitable[TokenInfo]]:
    """Dependency for web pages: a valid session whose token is live and has one of ``roles``."""

    async def dependency(request: Request) -> TokenInfo:
        token = session_token(request)
        if token is None:
            raise LoginRequired("请先登录")
        return _allowed(token, roles)

    return dependency


def live_token(tokens: TokenStore, secret: str) -> TokenInfo:
    """The token with this secret if it is live; else AuthError saying why (unknown, revoked, expired)."""
    token = tokens.find(secret) if secret else None
    if token is None:
        raise AuthError("访问令牌无效")
    if token.revoked_at is not None:
        raise AuthError("访问令牌已吊销")
    if token.expired(tokens.now()):
        raise AuthError(f"访问令牌已于 {token.expires_at} 过期，请联系管理员重新签发")
    return token


def session_id(request: Request) -> str | None:
    """The session id of a correctly signed, unexpired session cookie, else None."""
    service = state(request)
    sid, _, rest = request.cookies.get(SESSION_COOKIE, "").partition(".")
    expires, _, signature = rest.partition(".")
    if not (sid and expires.isdigit() and signature):
        return None
    if not keys.check(service.key, "session", f"{sid}.{expires}", signature) or int(expires) < service.tokens.now():
        return None
    return sid


def session_token(request: Request) -> TokenInfo | None:
    sid = session_id(request)
    service = state(request)
    return service.tokens.session_token(sid, service.config.session_idle_seconds) if sid else None


def session_value(service: ServiceState, token: TokenInfo) -> str:
    """A new server-side session for ``token``, as the signed cookie value."""
    sid = service.tokens.open_session(token, service.config.session_seconds)
    expires = int(service.tokens.now()) + service.config.session_seconds
    return f"{sid}.{expires}.{keys.sign(service.key, 'session', f'{sid}.{expires}')}"


def end_session(request: Request) -> None:
    sid = session_id(request)
    if sid:
        state(request).tokens.close_session(sid)


def csrf_token(request: Request) -> str:
    return keys.sign(state(request).key, "csrf", request.cookies.get(SESSION_COOKIE, ""))[:40]


def check_csrf(request: Request, submitted: str) -> None:
    if not hmac.compare_digest(csrf_token(request), submitted or ""):
        raise ForbiddenError("表单已失效（CSRF 校验未通过），请刷新页面后重试")


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def check_login_csrf(request: Request, submitted: str) -> None:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, submitted or ""):
        raise ForbiddenError("登录表单已失效，请刷新页面后重试")
