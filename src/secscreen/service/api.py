"""``/v1``: the CMS pre-publish hook and the JSON API. Every route needs a bearer token (see auth.py).

The CMS publishes only on ``verdict == "pass"`` and keeps the ``receipt``; HTTP 200 whatever the verdict.
Calls for the CMS role get the matched text of ``block`` findings redacted (``［已隐去］``).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field, ValidationError, model_validator

from ..audit import decisions_for
from ..models import Finding, Part
from ..rules.engine import try_text
from . import auth, receipts
from .auth import state
from .errors import BadRequest, NotFound
from .receipts import Receipt
from .review import decide
from .screening import (
    QUEUE_PAGE,
    DecisionView,
    ScreeningView,
    ScreenResponse,
    decision_view,
    pending_reviews,
    redact_result,
    screen,
    screening_view,
    status,
)
from .tokens import TokenInfo
from .views import (
    MAX_PAGE,
    AuditQuery,
    AuditRecordView,
    RulesView,
    VerifyView,
    audit_views,
    rules_view,
    verify_view,
)

router = APIRouter(prefix="/v1")
META_FIELDS = ("title", "source", "url", "requester")


class ScreenText(BaseModel):
    """A document sent as JSON: ``html`` (screened as text/html) or ``text`` (text/plain), and its metadata."""

    title: str = ""
    html: str | None = None
    text: str | None = None
    source: str = Field(default="", description="the organ the document comes from (checked by source rules)")
    url: str = ""
    requester: str = ""

    @model_validator(mode="after")
    def _one_body(self) -> ScreenText:
        if (self.html is None) == (self.text is None):
            raise ValueError("html 与 text 须且只须提供一个")
        return self


_SCREEN_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": ScreenText.model_json_schema()},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"}, **{k: {"type": "string"} for k in META_FIELDS}}}},
}}}


@router.post("/screen", response_model=ScreenResponse, openapi_extra=_SCREEN_BODY,
             summary="审查一个文件或一段正文（发布前调用；仅 verdict 为 pass 时发布）")
async def screen_document(request: Request, caller: Annotated[TokenInfo, Depends(auth.bearer(*auth.SCREEN))]
                          ) -> ScreenResponse:
    data, name, meta, media_type = await read_document(request)
    result = await screen(state(request), data, name, meta=meta, media_type=media_type, caller=caller, channel="api")
    return redact_result(result, caller, auth.SEE_MATCHED)


async def read_document(request: Request) -> tuple[bytes, str, dict[str, str], str | None]:
    """(bytes, name, meta, media type or None to sniff) from a multipart upload or a JSON body."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async with request.form() as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise BadRequest("缺少上传文件（表单字段 file）")
            meta = {k: str(form[k]) for k in META_FIELDS if isinstance(form.get(k), str) and form[k]}
            return await upload.read(), upload.filename or "upload", meta, None
    if content_type.startswith("application/json"):
        try:
            body = ScreenText.model_validate_json(await request.body())
        except ValidationError as error:
            raise BadRequest(f"请求格式不正确：{'；'.join(e['msg'] for e in error.errors())}") from error
        meta = {k: getattr(body, k) for k in META_FIELDS if getattr(body, k)}
        if body.html is not None:
            return body.html.encode("utf-8"), "body.html", meta, "text/html"
        return (body.text or "").encode("utf-8"), "body.txt", meta, "text/plain"
    raise BadRequest("请以 multipart/form-data（字段 file）或 application/json 提交")


@router.get("/screenings/{screening_id}", response_model=ScreeningView, summary="查看一次审查的记录与审核决定")
async def get_screening(request: Request, screening_id: str,
                        caller: Annotated[TokenInfo, Depends(auth.bearer(*auth.READ_SCREENING))]) -> ScreeningView:
    service = state(request)
    record = service.store.get(screening_id)
    if record is None or record.kind != "screening":
        raise NotFound(f"没有编号为 {screening_id} 的审查记录")
    return screening_view(service, record, caller, auth.SEE_MATCHED)


class DecisionIn(BaseModel):
    decision: Literal["approve", "reject", "override"]
    reason: str = Field(min_length=1, description="why; recorded in the audit trail with the token's name")


@router.post("/screenings/{screening_id}/decision", response_model=DecisionView,
             summary="对需审核（或禁止发布）的结果作出决定：approve / reject / override（仅保密员）")
async def post_decision(request: Request, screening_id: str, body: DecisionIn,
                        caller: Annotated[TokenInfo, Depends(auth.bearer(*auth.DECIDE))]) -> DecisionView:
    return decide(state(request), screening_id, decision=body.decision, reason=body.reason, caller=caller,
                  channel="api")


@router.get("/reviews", response_model=list[ScreeningView],
            summary="待审核队列：结论为 review 且尚无决定（最新在前；下一页以 before= 本页末条的 seq）")
async def get_reviews(request: Request, caller: Annotated[TokenInfo, Depends(auth.bearer(*auth.DECIDE))],
                      response: Response, before: Annotated[int | None, Query(ge=1)] = None,
                      limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = QUEUE_PAGE) -> list[ScreeningView]:
    service = state(request)
    records = pending_reviews(service, before=before, limit=limit)
    if len(records) == limit:
        response.headers["X-Next-Before"] = str(records[-1].seq)
    return [screening_view(service, r, caller, auth.SEE_MATCHED) for r in records]


@router.get("/rules", response_model=RulesView, summary="生效的规则集：版本与规则")
async def get_rules(request: Request, _: Annotated[TokenInfo, Depends(auth.bearer(*auth.RULES))]) -> RulesView:
    return rules_view(state(request).compiled)


class TryIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)
    part: Part = Part.BODY


class TryOut(BaseModel):
    findings: list[Finding]
    suppressed: list[dict[str, Any]]


@router.post("/rules/try", response_model=TryOut, summary="试查一段文字（不写审计记录）")
async def post_try(request: Request, body: TryIn,
                   _: Annotated[TokenInfo, Depends(auth.bearer(*auth.TRY_RULES))]) -> TryOut:
    evaluation = try_text(body.text, state(request).compiled, body.part)
    return TryOut(findings=evaluation.findings, suppressed=[s.__dict__ for s in evaluation.suppressed])


@router.get("/audit", response_model=list[AuditRecordView],
            summary="审计记录（最新在前；可按类型、结论、操作人、文件名、时间筛选；下一页以 before= 本页末条的 seq）")
async def get_audit(request: Request, _: Annotated[TokenInfo, Depends(auth.bearer(*auth.AUDIT))],
                    query: Annotated[AuditQuery, Query()], response: Response) -> list[AuditRecordView]:
    views = audit_views(state(request).store, query)
    if len(views) == query.limit:
        response.headers["X-Next-Before"] = str(views[-1].seq)
    return views


@router.get("/audit/verify", response_model=VerifyView, summary="校验审计哈希链")
async def get_audit_verify(request: Request, _: Annotated[TokenInfo, Depends(auth.bearer(*auth.AUDIT))]) -> VerifyView:
    return verify_view(await asyncio.to_thread(state(request).store.verify))  # long on a big trail: off the loop


class ReceiptCheck(BaseModel):
    receipt: Receipt
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="sha256 of the bytes about to be published")


class ReceiptVerdict(BaseModel):
    valid: bool = Field(description="signature good, sha256 matches, and the audit trail holds the screening")
    passed: bool = Field(description="valid and the verdict is pass")
    publishable: bool = Field(description="passed, or a review/block later approved or overridden")
    verdict: str
    status: str
    audit_id: str
    reason: str


@router.post("/receipts/verify", response_model=ReceiptVerdict, openapi_extra={"requestBody": {"content": {
    "application/json": {"schema": ReceiptCheck.model_json_schema()},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file", "receipt"], "properties": {
        "file": {"type": "string", "format": "binary"}, "receipt": {"type": "string"}}}}}}},
             summary="校验回执：这些字节是否经过审查且结论为通过")
async def verify_receipt(request: Request, _: Annotated[TokenInfo, Depends(auth.bearer(*auth.VERIFY_RECEIPT))]
                         ) -> ReceiptVerdict:
    receipt, sha256 = await read_receipt_check(request)
    return check_receipt(request, receipt, sha256.lower())


async def read_receipt_check(request: Request) -> tuple[Receipt, str]:
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            async with request.form() as form:
                upload, raw = form.get("file"), form.get("receipt")
                if upload is None or isinstance(upload, str) or not isinstance(raw, str):
                    raise BadRequest("需要表单字段 file（文件）与 receipt（回执 JSON）")
                return Receipt.model_validate(json.loads(raw)), hashlib.sha256(await upload.read()).hexdigest()
        body = ReceiptCheck.model_validate_json(await request.body())
        return body.receipt, body.sha256
    except (ValidationError, ValueError) as error:
        raise BadRequest("回执格式不正确") from error


def check_receipt(request: Request, receipt: Receipt, sha256: str) -> ReceiptVerdict:
    service = state(request)
    base = {"verdict": receipt.verdict, "audit_id": receipt.audit_id}
    if not receipts.signature_ok(service.key, receipt):
        return ReceiptVerdict(valid=False, passed=False, publishable=False, status="", reason="回执签名无效", **base)
    if receipt.sha256 != sha256:
        return ReceiptVerdict(valid=False, passed=False, publishable=False, status="",
                              reason="文件内容与回执不符（sha256 不同），该文件未经审查", **base)
    record = service.store.get(receipt.audit_id)
    if record is None or record.body.get("sha256") != sha256 or record.body.get("verdict") != receipt.verdict:
        return ReceiptVerdict(valid=False, passed=False, publishable=False, status="",
                              reason="审计记录中没有与回执一致的审查记录", **base)
    state_now = status(receipt.verdict, [decision_view(r) for r in decisions_for(service.store, receipt.audit_id)])
    passed = receipt.verdict == "pass"
    publishable = passed or state_now in ("approved", "overridden")
    reason = "审查通过，可以发布" if passed else ("经人工审核同意发布" if publishable else "审查结论不允许发布")
    return ReceiptVerdict(valid=True, passed=passed, publishable=publishable, status=state_now, reason=reason, **base)
