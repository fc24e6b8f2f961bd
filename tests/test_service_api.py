"""The /v1 API through FastAPI's test client: every endpoint, every role, and the ways a call can fail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from secscreen.errors import AuditError
from secscreen.service import ServiceConfig, create_app
from secscreen.service.state import ServiceState
from secscreen.service.tokens import Role
from secscreen.service.worker import WorkerTimeout
from secscreen.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MARKED = "机密★10年\n关于某事项的通知\n各单位：现将有关事项通知如下。"
REVIEW_TEXT = "关于做好有关工作的通知\n（此件发至县级）\n各单位：请认真执行。"
PUBLIC = (ROOT / "corpora" / "samples" / "public-traffic-news.txt").read_bytes()
MAX_BYTES = 512 * 1024


@dataclass
class Api:
    client: TestClient
    service: ServiceState
    tokens: dict[str, str]

    def as_(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def screen_text(self, text: str, role: str = "cms", **meta: str) -> dict:
        response = self.client.post("/v1/screen", json={"text": text, **meta}, headers=self.as_(role))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    home = tmp_path_factory.mktemp("service-home")
    config = ServiceConfig(settings=Settings(home=home), workers=1, queue=2, max_request_bytes=MAX_BYTES)
    app = create_app(config)
    service: ServiceState = app.state.service
    tokens = {role.value: service.tokens.create(f"{role.value}-测试", role)[1] for role in Role}
    with TestClient(app) as client:
        yield Api(client, service, tokens)


# ---- screening ---------------------------------------------------------------------------------

def test_marked_text_is_blocked_and_the_cms_does_not_see_the_matched_text(api: Api) -> None:
    result = api.screen_text(MARKED, title="关于某事项的通知", source="某某局")
    assert result["verdict"] == "block"
    assert result["media_type"] == "text/plain"
    finding = next(f for f in result["findings"] if f["rule_id"] == "SS-001")
    assert "机密" not in finding["matched"] and "机密" not in finding["snippet"]
    assert finding["rationale"] and finding["location"]["line"] == 1
    assert result["receipt"]["audit_id"] == result["audit_id"]
    reviewer_view = api.client.get(f"/v1/screenings/{result['audit_id']}", headers=api.as_("reviewer")).json()
    assert any(f["matched"] == "机密★10年" for f in reviewer_view["findings"])
    assert reviewer_view["meta"] == {"title": "关于某事项的通知", "source": "某某局"}
    assert reviewer_view["actor"] == "cms-测试"
    cms_view = api.client.get(f"/v1/screenings/{result['audit_id']}", headers=api.as_("cms")).json()
    block = next(f for f in cms_view["findings"] if f["rule_id"] == "SS-001")
    assert "机密" not in block["matched"] and "机密" not in block["context"]


def test_reviewer_sees_the_matched_text_in_the_screen_answer(api: Api) -> None:
    result = api.screen_text(MARKED, role="reviewer")
    assert any(f["matched"] == "机密★10年" for f in result["findings"])


def test_html_body_is_screened_as_html_including_hidden_text(api: Api) -> None:
    html = "<html><body><p>公开新闻</p><div style='display:none'>内部资料 注意保存</div></body></html>"
    response = api.client.post("/v1/screen", json={"html": html, "title": "新闻"}, headers=api.as_("reviewer"))
    result = response.json()
    assert result["media_type"] == "text/html"
    assert result["verdict"] != "pass"


def test_title_is_screened_as_metadata(api: Api) -> None:
    result = api.screen_text("各单位：现将有关事项通知如下。", role="reviewer", title="机密★5年 关于某事项的通知")
    assert result["verdict"] == "block"
    assert any(f["location"]["part"] == "metadata" for f in result["findings"])


def test_public_upload_passes_with_a_receipt_that_verifies(api: Api) -> None:
    response = api.client.post("/v1/screen", files={"file": ("news.txt", PUBLIC, "text/plain")},
                               data={"title": "交通新闻"}, headers=api.as_("cms"))
    result = response.json()
    assert response.status_code == 200 and result["verdict"] == "pass"
    assert result["sha256"] == hashlib.sha256(PUBLIC).hexdigest()
    check = {"receipt": result["receipt"], "sha256": result["sha256"]}
    verdict = api.client.post("/v1/receipts/verify", json=check, headers=api.as_("cms")).json()
    assert verdict["valid"] and verdict["passed"] and verdict["publishable"]
    other = api.client.post("/v1/receipts/verify", json={**check, "sha256": hashlib.sha256(b"x").hexdigest()},
                            headers=api.as_("cms")).json()
    assert not other["valid"] and not other["publishable"]
    forged = {**result["receipt"], "verdict": "pass", "signature": "0" * 64}
    assert not api.client.post("/v1/receipts/verify", json={**check, "receipt": forged},
                               headers=api.as_("cms")).json()["valid"]
    upload = api.client.post("/v1/receipts/verify", files={"file": ("news.txt", PUBLIC)},
                             data={"receipt": json.dumps(result["receipt"])}, headers=api.as_("cms")).json()
    assert upload["publishable"]


def test_a_block_receipt_is_valid_but_not_publishable(api: Api) -> None:
    result = api.screen_text(MARKED)
    verdict = api.client.post("/v1/receipts/verify", json={"receipt": result["receipt"], "sha256": result["sha256"]},
                              headers=api.as_("cms")).json()
    assert verdict["valid"] and not verdict["passed"] and not verdict["publishable"]


@pytest.mark.parametrize("name, data", [
    ("unknown.bin", bytes(range(256)) * 8),
    ("corrupt-archive.zip", (ROOT / "corpora" / "samples" / "corrupt-archive.zip").read_bytes()),
    ("empty.txt", b""),
])
def test_unreadable_file_gets_review_never_pass(api: Api, name: str, data: bytes) -> None:
    response = api.client.post("/v1/screen", files={"file": (name, data)}, headers=api.as_("cms"))
    result = response.json()
    assert response.status_code == 200
    assert result["verdict"] == "review"
    assert result["issues"]


def test_too_large_request_gets_413(api: Api) -> None:
    response = api.client.post("/v1/screen", files={"file": ("big.txt", b"a" * (MAX_BYTES + 1))},
                               headers=api.as_("cms"))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload-too-large"
    assert "verdict" not in response.text


def test_too_large_chunked_upload_without_length_gets_413(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
        for _ in range(MAX_BYTES // 65536 + 2):
            yield b"a" * 65536
        yield b"\r\n--b--\r\n"

    headers = {**api.as_("cms"), "content-type": "multipart/form-data; boundary=b"}
    response = api.client.post("/v1/screen", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert "verdict" not in response.text


def test_answers_carry_security_headers_and_are_not_cached(api: Api) -> None:
    response = api.client.get("/v1/rules", headers=api.as_("officer"))
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_bad_json_body_is_400(api: Api) -> None:
    response = api.client.post("/v1/screen", json={"title": "无正文"}, headers=api.as_("cms"))
    assert response.status_code == 400
    assert response.json()["error"]["request_id"]


def test_audit_failure_gives_503_and_no_verdict(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(kind: str, body: dict) -> None:
        raise AuditError("database is locked at /secret/path")

    monkeypatch.setattr(api.service.store, "append", broken)
    response = api.client.post("/v1/screen", json={"text": "公开新闻"}, headers=api.as_("cms"))
    assert response.status_code == 503
    body = response.json()
    assert "verdict" not in body and "receipt" not in body
    assert "/secret/path" not in response.text
    assert body["error"]["request_id"] == response.headers["x-request-id"]


def test_worker_crash_is_review_with_internal_error_never_pass(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    async def crash(*args: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api.service.pool, "analyse", crash)
    response = api.client.post("/v1/screen", json={"text": "公开新闻"}, headers=api.as_("cms"))
    result = response.json()
    assert result["verdict"] == "review"
    assert [i["code"] for i in result["issues"]] == ["internal-error"]
    assert result["audit_id"] and "secret internal detail" not in response.text


def test_worker_timeout_is_review_with_timeout_issue(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    async def slow(*args: object) -> None:
        raise WorkerTimeout

    monkeypatch.setattr(api.service.pool, "analyse", slow)
    result = api.screen_text("公开新闻")
    assert result["verdict"] == "review" and [i["code"] for i in result["issues"]] == ["timeout"]


def test_saturated_service_answers_503_in_chinese(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api.service.pool, "in_flight", api.service.pool.capacity)
    response = api.client.post("/v1/screen", json={"text": "公开新闻"}, headers=api.as_("cms"))
    assert response.status_code == 503
    assert "繁忙" in response.json()["error"]["message"]
    assert response.headers["retry-after"]


def test_unexpected_error_is_500_without_internal_text(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api.service.store, "verify", boom)
    response = api.client.get("/v1/audit/verify", headers=api.as_("auditor"))
    assert response.status_code == 500
    assert "secret internal detail" not in response.text
    assert response.json()["error"]["request_id"] == response.headers["x-request-id"]


# ---- decisions and the review queue -----------------------------------------------------------

def test_reviewer_approves_a_review_item_and_the_decision_names_the_token(api: Api) -> None:
    result = api.screen_text(REVIEW_TEXT)
    assert result["verdict"] == "review"
    queue = api.client.get("/v1/reviews", headers=api.as_("reviewer")).json()
    assert result["audit_id"] in [item["id"] for item in queue]
    url = f"/v1/screenings/{result['audit_id']}/decision"
    decision = api.client.post(url, json={"decision": "approve", "reason": "附注系历史文件说明，可公开"},
                               headers=api.as_("reviewer"))
    assert decision.status_code == 200
    assert decision.json()["by"] == "reviewer-测试"
    again = api.client.post(url, json={"decision": "reject", "reason": "再次决定"}, headers=api.as_("officer"))
    assert again.status_code == 409
    view = api.client.get(f"/v1/screenings/{result['audit_id']}", headers=api.as_("cms")).json()
    assert view["status"] == "approved"
    queue = api.client.get("/v1/reviews", headers=api.as_("reviewer")).json()
    assert result["audit_id"] not in [item["id"] for item in queue]
    receipt = api.client.post("/v1/receipts/verify", json={"receipt": result["receipt"], "sha256": result["sha256"]},
                              headers=api.as_("cms")).json()
    assert receipt["valid"] and not receipt["passed"] and receipt["publishable"]


def test_block_can_only_be_let_through_by_an_officer_override(api: Api) -> None:
    result = api.screen_text(MARKED)
    url = f"/v1/screenings/{result['audit_id']}/decision"
    approve = api.client.post(url, json={"decision": "approve", "reason": "想发布"}, headers=api.as_("officer"))
    assert approve.status_code == 409
    reviewer = api.client.post(url, json={"decision": "override", "reason": "想发布"}, headers=api.as_("reviewer"))
    assert reviewer.status_code == 403
    no_reason = api.client.post(url, json={"decision": "override", "reason": " "}, headers=api.as_("officer"))
    assert no_reason.status_code == 400
    officer = api.client.post(url, json={"decision": "override", "reason": "经定密责任人确认已解密"},
                              headers=api.as_("officer"))
    assert officer.status_code == 200 and officer.json()["role"] == "officer"


def test_decisions_on_pass_or_unknown_screenings_are_refused(api: Api) -> None:
    passed = api.screen_text("今天天气晴。")
    assert passed["verdict"] == "pass"
    body = {"decision": "approve", "reason": "无"}
    assert api.client.post(f"/v1/screenings/{passed['audit_id']}/decision", json=body,
                           headers=api.as_("reviewer")).status_code == 409
    assert api.client.post("/v1/screenings/nosuchid/decision", json=body, headers=api.as_("reviewer")).status_code == 404
    assert api.client.get("/v1/screenings/nosuchid", headers=api.as_("reviewer")).status_code == 404


# ---- rules, audit, health ---------------------------------------------------------------------

def test_rules_list_and_try(api: Api) -> None:
    rules = api.client.get("/v1/rules", headers=api.as_("officer")).json()
    assert rules["version"] and any(r["id"] == "SS-001" and r["rationale"] for r in rules["rules"])
    tried = api.client.post("/v1/rules/try", json={"text": "机密★10年"}, headers=api.as_("officer")).json()
    assert [f["rule_id"] for f in tried["findings"]] == ["SS-001"]


def test_audit_trail_lists_records_and_verifies(api: Api) -> None:
    api.screen_text("今天天气晴。")
    records = api.client.get("/v1/audit?kind=screening&limit=5", headers=api.as_("auditor")).json()
    assert records and all(r["kind"] == "screening" for r in records)
    report = api.client.get("/v1/audit/verify", headers=api.as_("auditor")).json()
    assert report["ok"] and report["checked"] >= len(records)


def test_healthz_needs_no_token_and_openapi_does(api: Api) -> None:
    assert api.client.get("/healthz").json()["status"] == "ok"
    assert api.client.get("/openapi.json").status_code == 401
    spec = api.client.get("/openapi.json", headers=api.as_("cms")).json()
    assert {"/v1/screen", "/v1/screenings/{screening_id}", "/v1/receipts/verify"} <= set(spec["paths"])


# ---- authentication and roles -----------------------------------------------------------------

ENDPOINTS = [
    ("POST", "/v1/screen", {"json": {"text": "公开新闻"}}),
    ("GET", "/v1/screenings/x", {}),
    ("POST", "/v1/screenings/x/decision", {"json": {"decision": "approve", "reason": "r"}}),
    ("GET", "/v1/reviews", {}),
    ("GET", "/v1/rules", {}),
    ("POST", "/v1/rules/try", {"json": {"text": "机密★10年"}}),
    ("GET", "/v1/audit", {}),
    ("GET", "/v1/audit/verify", {}),
    ("POST", "/v1/receipts/verify", {"json": {}}),
]
ALLOWED = {
    "/v1/screen": {"cms", "reviewer", "officer"},
    "/v1/screenings/x": {"cms", "reviewer", "officer", "auditor"},
    "/v1/screenings/x/decision": {"reviewer", "officer"},
    "/v1/reviews": {"reviewer", "officer"},
    "/v1/rules": {"reviewer", "officer", "auditor"},
    "/v1/rules/try": {"reviewer", "officer"},
    "/v1/audit": {"auditor", "officer"},
    "/v1/audit/verify": {"auditor", "officer"},
    "/v1/receipts/verify": {"cms", "reviewer", "officer", "auditor"},
}


@pytest.mark.parametrize("method, path, kwargs", ENDPOINTS)
def test_no_or_bad_token_is_401(api: Api, method: str, path: str, kwargs: dict) -> None:
    missing = api.client.request(method, path, **kwargs)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = api.client.request(method, path, headers={"Authorization": "Bearer sst_not-a-token"}, **kwargs)
    assert wrong.status_code == 401


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("method, path, kwargs", ENDPOINTS)
def test_each_role_reaches_exactly_its_endpoints(api: Api, role: str, method: str, path: str, kwargs: dict) -> None:
    response = api.client.request(method, path, headers=api.as_(role), **kwargs)
    if role in ALLOWED[path]:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def test_revoked_token_is_refused(api: Api) -> None:
    info, secret = api.service.tokens.create("临时", Role.CMS)
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/v1/screenings/x", headers=headers).status_code == 404
    api.service.tokens.revoke(info.id)
    assert api.client.get("/v1/screenings/x", headers=headers).status_code == 401
