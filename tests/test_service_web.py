"""The reviewers' web page through FastAPI's test client: login, CSRF, upload, result, decisions, audit, rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from secscreen.service import ServiceConfig, create_app
from secscreen.service.state import ServiceState
from secscreen.service.tokens import Role
from secscreen.settings import Settings

MARKED = "关于某事项的通知\n机密★10年\n各单位：现将有关事项通知如下。".encode()
REVIEW = "关于做好有关工作的通知\n（此件发至县级）\n各单位：请认真执行。".encode()


@dataclass
class Web:
    app: object
    service: ServiceState
    tokens: dict[str, str]

    def browser(self, role: str | None = None) -> TestClient:
        client = TestClient(self.app, follow_redirects=False)
        if role:
            response = login(client, self.tokens[role])
            assert response.status_code == 303, response.text
        return client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "form has no CSRF token"
    return match.group(1)


def login(client: TestClient, token: str) -> object:
    page = client.get("/login")
    return client.post("/login", data={"token": token, "csrf": csrf_of(page.text)})


def upload(client: TestClient, name: str, data: bytes) -> str:
    """Screen a file through the upload form; returns the result page's path."""
    home = client.get("/")
    response = client.post("/screen", data={"csrf": csrf_of(home.text)}, files={"file": (name, data)})
    assert response.status_code == 303, response.text
    return response.headers["location"]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    home = tmp_path_factory.mktemp("web-home")
    app = create_app(ServiceConfig(settings=Settings(home=home), workers=0))
    service: ServiceState = app.state.service
    tokens = {role.value: service.tokens.create(f"{role.value}-网页", role)[1] for role in Role}
    with TestClient(app):
        yield Web(app, service, tokens)


def test_pages_redirect_to_login_without_a_session(web: Web) -> None:
    client = web.browser()
    for path in ("/", "/reviews", "/audit", "/rules"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login"


def test_session_cookie_is_httponly_and_samesite_strict(web: Web) -> None:
    client = web.browser()
    response = login(client, web.tokens["reviewer"])
    cookie = response.headers["set-cookie"]
    assert "secscreen_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert web.tokens["reviewer"] not in cookie


def test_bad_token_and_cms_token_cannot_log_in(web: Web) -> None:
    client = web.browser()
    assert "令牌无效" in login(client, "sst_wrong").text
    response = login(client, web.tokens["cms"])
    assert response.status_code == 401 and "不能登录网页" in response.text


def test_login_without_the_form_token_is_refused(web: Web) -> None:
    client = web.browser()
    response = client.post("/login", data={"token": web.tokens["reviewer"], "csrf": "forged"})
    assert response.status_code == 403


def test_forms_without_csrf_token_are_refused(web: Web) -> None:
    client = web.browser("reviewer")
    response = client.post("/screen", data={"csrf": "forged"}, files={"file": ("a.txt", b"x")})
    assert response.status_code == 403
    assert "CSRF" in response.text and "请求编号" in response.text


def test_blocked_upload_shows_the_finding_highlighted_with_its_place_and_rationale(web: Web) -> None:
    client = web.browser("reviewer")
    page = client.get(upload(client, "notice.txt", MARKED)).text
    assert "禁止发布" in page
    assert "<mark>机密★10年</mark>" in page
    assert "第 2 行" in page and "正文" in page
    assert "保守国家秘密法" in page


def test_reviewer_approves_a_review_item_and_the_auditor_sees_it(web: Web) -> None:
    reviewer = web.browser("reviewer")
    result_path = upload(reviewer, "draft.txt", REVIEW)
    screening_id = result_path.rsplit("/", 1)[1]
    assert screening_id in reviewer.get("/reviews").text
    page = reviewer.get(result_path).text
    response = reviewer.post(f"{result_path}/decision",
                             data={"csrf": csrf_of(page), "decision": "approve", "reason": "附注已失效，同意公开"})
    assert response.status_code == 303
    page = reviewer.get(result_path).text
    assert "已批准发布" in page and "附注已失效，同意公开" in page
    assert screening_id not in reviewer.get("/reviews").text
    auditor = web.browser("auditor")
    audit = auditor.get("/audit").text
    assert "附注已失效，同意公开" in audit and "reviewer-网页" in audit
    verified = auditor.post("/audit/verify", data={"csrf": csrf_of(audit)}).text
    assert "审计链完整" in verified


def test_auditor_cannot_upload_or_decide(web: Web) -> None:
    auditor = web.browser("auditor")
    home = auditor.get("/").text
    assert 'action="/screen"' not in home
    response = auditor.get("/reviews")
    assert response.status_code == 403 and "无权" in response.text


def test_rules_page_lists_rules_and_tries_a_text(web: Web) -> None:
    officer = web.browser("officer")
    page = officer.get("/rules").text
    assert "SS-001" in page and "试查文字" in page
    tried = officer.post("/rules/try", data={"csrf": csrf_of(page), "text": "机密★10年"}).text
    assert "<mark>机密★10年</mark>" in tried


def test_logout_ends_the_session(web: Web) -> None:
    client = web.browser("officer")
    home = client.get("/").text
    assert client.post("/logout", data={"csrf": csrf_of(home)}).status_code == 303
    assert client.get("/").status_code == 303


def test_revoking_a_token_ends_its_web_session(web: Web) -> None:
    info, secret = web.service.tokens.create("临时审核员", Role.REVIEWER)
    client = web.browser()
    login(client, secret)
    assert client.get("/").status_code == 200
    web.service.tokens.revoke(info.id)
    assert client.get("/").status_code == 303


def test_missing_page_is_an_html_error_page_with_request_id(web: Web) -> None:
    client = web.browser("reviewer")
    response = client.get("/screenings/nosuchid")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-request-id"] in response.text
