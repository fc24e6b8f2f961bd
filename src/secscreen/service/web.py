"""The reviewers' web page: server-rendered Jinja2 templates, Chinese, no build step, no external assets.

Pages: login, upload and screen, result (findings highlighted in context), review queue with decisions,
audit log with chain verification, rule list with a try box. Every POST carries a CSRF token.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import ValidationError

from ..cli.render import PART_LABELS
from ..errors import AuthError, ForbiddenError
from ..models import Part
from ..rules.engine import try_text
from . import auth
from .auth import state
from .errors import BadRequest, NotFound
from .review import DECISION_LABELS, decide
from .screening import QUEUE_PAGE, pending_reviews, screen, screening_view
from .tokens import ROLE_LABELS, TokenInfo
from .views import AuditQuery, audit_views, rules_view, verify_view

router = APIRouter(include_in_schema=False)
#: records per page of the audit view, and the filters it takes from the query string
AUDIT_PAGE = 100
AUDIT_FILTERS = ("kind", "verdict", "actor", "file_name", "since", "until", "before")
WebUser = Annotated[TokenInfo, Depends(auth.session(*auth.WEB))]

VERDICT_LABELS = {"pass": "通过", "review": "需人工审核", "block": "禁止发布"}
STATUS_LABELS = {"none": "无需决定", "pending": "待审核", "approved": "已批准发布", "rejected": "不予发布",
                 "overridden": "已改判放行"}


def highlight(context: str) -> Markup:
    """The context with the match (between 【 and 】) in <mark>, everything escaped."""
    start, end = context.find("【"), context.find("】", context.find("【") + 1)
    if start == -1 or end == -1:
        return Markup(escape(context))
    return Markup("{}<mark>{}</mark>{}").format(context[:start], context[start + 1 : end], context[end + 1 :])


def where(location: dict[str, Any]) -> str:
    parts = [PART_LABELS.get(location.get("part", ""), location.get("part", ""))]
    if location.get("name"):
        parts.append(f"“{location['name']}”")
    if location.get("page") is not None:
        parts.append(f"第 {location['page']} 页")
    if location.get("line") is not None:
        parts.append(f"第 {location['line']} 行")
    return " ".join(parts)


def page(request: Request, template: str, user: TokenInfo | None, status_code: int = 200, **context: Any) -> Response:
    templates = request.app.state.templates
    base = {"user": user, "role_label": ROLE_LABELS.get(user.role) if user else "", "csrf": auth.csrf_token(request),
            "verdict_labels": VERDICT_LABELS, "status_labels": STATUS_LABELS, "decision_labels": DECISION_LABELS,
            "highlight": highlight, "where": where, "can": _abilities(user)}
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)  # type: ignore[no-any-return]


def _abilities(user: TokenInfo | None) -> dict[str, bool]:
    role = user.role if user else None
    return {"screen": role in auth.SCREEN, "decide": role in auth.DECIDE, "override": role in auth.OVERRIDE_BLOCK,
            "audit": role in auth.AUDIT, "rules": role in auth.RULES, "try": role in auth.TRY_RULES}


def _require(user: TokenInfo, roles: tuple[Any, ...]) -> None:
    if user.role not in roles:
        raise ForbiddenError(f"角色 {ROLE_LABELS.get(user.role)} 无权使用此页面")


async def _form(request: Request) -> dict[str, str]:
    """The text fields of a posted form, after the CSRF check (uploads are read in ``upload``)."""
    async with request.form() as form:
        auth.check_csrf(request, str(form.get("csrf", "")))
        return {key: value for key, value in form.items() if isinstance(value, str)}


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> Response:
    token = auth.new_login_csrf()
    response = page(request, "login.html", None, login_csrf=token, error="")
    response.set_cookie(auth.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=state(request).config.secure_cookies, path="/login")
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    async with request.form() as form:
        auth.check_login_csrf(request, str(form.get("csrf", "")))
        secret = str(form.get("token", "")).strip()
    service = state(request)
    try:
        token: TokenInfo | None = auth.live_token(service.tokens, secret)
        message = "该令牌用于系统对接，不能登录网页"
    except AuthError as error:
        token, message = None, str(error)
    if token is None or token.role not in auth.WEB:
        fresh = auth.new_login_csrf()
        response = page(request, "login.html", None, status_code=401, login_csrf=fresh, error=message)
        response.set_cookie(auth.LOGIN_CSRF_COOKIE, fresh, httponly=True, samesite="strict", path="/login",
                            secure=service.config.secure_cookies)
        return response
    service.tokens.touch(token)
    response = RedirectResponse("/reviews" if token.role in auth.DECIDE else "/audit", 303)
    response.set_cookie(auth.SESSION_COOKIE, auth.session_value(service, token), max_age=service.config.session_seconds,
                        httponly=True, samesite="strict", secure=service.config.secure_cookies, path="/")
    response.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request, user: WebUser) -> Response:
    await _form(request)
    auth.end_session(request)
    response = RedirectResponse("/login", 303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, user: WebUser) -> Response:
    return page(request, "home.html", user)


@router.post("/screen")
async def upload(request: Request, user: WebUser) -> Response:
    _require(user, auth.SCREEN)
    async with request.form() as form:
        auth.check_csrf(request, str(form.get("csrf", "")))
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise BadRequest("请选择要审查的文件")
        meta = {k: str(form[k]).strip() for k in ("title", "source") if str(form.get(k, "")).strip()}
        data, name = await upload.read(), upload.filename
    result = await screen(state(request), data, name, meta=meta, media_type=None, caller=user, channel="web")
    return RedirectResponse(f"/screenings/{result.audit_id}", 303)


@router.get("/screenings/{screening_id}", response_class=HTMLResponse)
async def result_page(request: Request, screening_id: str, user: WebUser) -> Response:
    service = state(request)
    record = service.store.get(screening_id)
    if record is None or record.kind != "screening":
        raise NotFound(f"没有编号为 {screening_id} 的审查记录")
    return page(request, "result.html", user, s=screening_view(service, record, user, auth.SEE_MATCHED))


@router.post("/screenings/{screening_id}/decision")
async def decision(request: Request, screening_id: str, user: WebUser) -> Response:
    _require(user, auth.DECIDE)
    form = await _form(request)
    decide(state(request), screening_id, decision=str(form.get("decision", "")), reason=str(form.get("reason", "")),
           caller=user, channel="web")
    return RedirectResponse(f"/screenings/{screening_id}", 303)


@router.get("/reviews", response_class=HTMLResponse)
async def reviews(request: Request, user: WebUser, before: Annotated[int | None, Query(ge=1)] = None) -> Response:
    _require(user, auth.DECIDE)
    service = state(request)
    records = pending_reviews(service, before=before, limit=QUEUE_PAGE)
    items = [screening_view(service, r, user, auth.SEE_MATCHED) for r in records]
    next_before = records[-1].seq if len(records) == QUEUE_PAGE else None
    return page(request, "reviews.html", user, items=items, total=service.store.count_undecided(),
                next_url=f"/reviews?before={next_before}" if next_before else "", first_page=before is None)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, user: WebUser) -> Response:
    _require(user, auth.AUDIT)
    return _audit(request, user, _audit_query(request), report=None)


@router.post("/audit/verify", response_class=HTMLResponse)
async def audit_verify(request: Request, user: WebUser) -> Response:
    _require(user, auth.AUDIT)
    await _form(request)
    return _audit(request, user, AuditQuery(limit=AUDIT_PAGE), report=verify_view(await asyncio.to_thread(state(request).store.verify)))


def _audit_query(request: Request) -> AuditQuery:
    """The audit page's filters from the query string; empty fields are no filter."""
    fields = {k: v.strip() for k, v in request.query_params.items() if k in AUDIT_FILTERS and v.strip()}
    try:
        return AuditQuery(**fields, limit=AUDIT_PAGE)
    except ValidationError as error:
        raise BadRequest("筛选条件不正确：" + "；".join(str(e["msg"]).removeprefix("Value error, ")
                                                       for e in error.errors())) from error


def _audit(request: Request, user: TokenInfo, query: AuditQuery, report: Any) -> Response:
    records = audit_views(state(request).store, query)
    shown = {k: v for k, v in query.model_dump().items() if k in AUDIT_FILTERS and k != "before" and v}
    next_url = ""
    if len(records) == query.limit:
        next_url = "/audit?" + urlencode({**shown, "before": records[-1].seq})
    return page(request, "audit.html", user, records=records, report=report, query=query, filters=shown,
                next_url=next_url)


@router.get("/rules", response_class=HTMLResponse)
async def rules_page(request: Request, user: WebUser) -> Response:
    _require(user, auth.RULES)
    return page(request, "rules.html", user, rules=rules_view(state(request).compiled), tried=None, text="")


@router.post("/rules/try", response_class=HTMLResponse)
async def rules_try(request: Request, user: WebUser) -> Response:
    _require(user, auth.TRY_RULES)
    form = await _form(request)
    text = str(form.get("text", ""))[:20000]
    compiled = state(request).compiled
    tried = try_text(text, compiled, Part.BODY) if text.strip() else None
    return page(request, "rules.html", user, rules=rules_view(compiled), tried=tried, text=text)
