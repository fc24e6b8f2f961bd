"""Review queue and audit trail pages for a trail that grows for years: filters, pages, health."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from secscreen.audit import record_decision
from secscreen.service import ServiceConfig, create_app
from secscreen.service.state import ServiceState
from secscreen.service.tokens import Role
from secscreen.settings import Settings

from .test_service_web import csrf_of, login


@dataclass
class Site:
    client: TestClient
    service: ServiceState
    tokens: dict[str, str]
    ids: list[str]

    def as_(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def browser(self, role: str) -> TestClient:
        client = TestClient(self.client.app, follow_redirects=False)
        assert login(client, self.tokens[role]).status_code == 303
        return client


def body(verdict: str, name: str, actor: str) -> dict[str, Any]:
    return {"actor": actor, "channel": "api", "file_name": name, "sha256": "0" * 64, "size": 1,
            "media_type": "text/plain", "ruleset": {"version": "t"}, "verdict": verdict, "findings": [], "issues": []}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """12 screenings (every third pass, the rest review) by two CMSs; the first review decided."""
    home = tmp_path_factory.mktemp("queries-home")
    app = create_app(ServiceConfig(settings=Settings(home=home), workers=0))
    service: ServiceState = app.state.service
    tokens = {role.value: service.tokens.create(f"{role.value}-查询", role)[1] for role in Role}
    ids = [service.store.append("screening", body("pass" if i % 3 == 0 else "review", f"文件{i:02d}.docx",
                                                  f"门户{i % 2}")).id for i in range(12)]
    record_decision(service.store, ids[1], decision="approve", by="审核员甲", role="reviewer", reason="可以公开",
                    channel="web")
    with TestClient(app) as client:
        yield Site(client, service, tokens, ids)


def pending_ids(site: Site) -> list[str]:
    return [site.ids[i] for i in range(11, -1, -1) if i % 3 and i != 1]


def test_the_review_queue_api_pages_with_a_next_cursor(site: Site) -> None:
    first = site.client.get("/v1/reviews?limit=4", headers=site.as_("reviewer"))
    cursor = first.headers["X-Next-Before"]
    second = site.client.get(f"/v1/reviews?limit=4&before={cursor}", headers=site.as_("reviewer"))
    assert "X-Next-Before" not in second.headers
    assert [s["id"] for s in first.json() + second.json()] == pending_ids(site)
    assert all(s["status"] == "pending" for s in second.json())


def test_the_review_queue_page_counts_all_and_links_to_older_items(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from secscreen.service import web

    monkeypatch.setattr(web, "QUEUE_PAGE", 5)
    browser = site.browser("reviewer")
    page = browser.get("/reviews").text
    assert "待审核（7）" in page
    shown = [i for i in pending_ids(site) if i in page]
    assert shown == pending_ids(site)[:5]
    older = browser.get(re.search(r'href="(/reviews\?before=\d+)"', page).group(1)).text  # type: ignore[union-attr]
    assert [i for i in pending_ids(site) if i in older] == pending_ids(site)[5:]


def test_the_audit_api_filters_by_verdict_actor_file_name_and_time(site: Site) -> None:
    def names(query: str) -> list[str]:
        response = site.client.get(f"/v1/audit?{query}", headers=site.as_("auditor"))
        assert response.status_code == 200, response.text
        return [r["body"].get("file_name") or r["body"].get("decision") for r in response.json()]

    assert names("verdict=pass") == ["文件09.docx", "文件06.docx", "文件03.docx", "文件00.docx"]
    assert names("actor=门户1&verdict=pass") == ["文件09.docx", "文件03.docx"]
    assert names("actor=审核员甲") == ["approve"]
    assert names("file_name=件1") == ["文件11.docx", "文件10.docx"]
    assert names("kind=decision") == ["approve"]
    assert names("until=2000-01-01") == [] and len(names("since=2000-01-01&limit=1000")) == 13


def test_the_audit_api_pages_and_rejects_bad_filters(site: Site) -> None:
    first = site.client.get("/v1/audit?limit=10", headers=site.as_("auditor"))
    rest = site.client.get(f"/v1/audit?limit=10&before={first.headers['X-Next-Before']}", headers=site.as_("auditor"))
    seqs = [r["seq"] for r in first.json() + rest.json()]
    assert seqs == list(range(13, 0, -1))
    for bad in ("since=yesterday", "verdict=maybe", "limit=0", "limit=100000"):
        response = site.client.get(f"/v1/audit?{bad}", headers=site.as_("auditor"))
        assert response.status_code == 422 and "Traceback" not in response.text, bad


def test_the_audit_page_filters_and_pages(site: Site) -> None:
    browser = site.browser("auditor")
    page = browser.get("/audit?verdict=pass&file_name=&actor=门户0&since=&until=").text
    assert "文件06.docx" in page and "文件00.docx" in page and "文件03.docx" not in page and "文件01.docx" not in page
    assert 'value="门户0"' in page
    today = browser.get("/audit?until=2000-01-01").text
    assert "没有符合条件的记录" in today
    bad = browser.get("/audit?since=昨天")
    assert bad.status_code == 400 and "ISO 8601" in bad.text
    verified = browser.post("/audit/verify", data={"csrf": csrf_of(browser.get("/audit").text)})
    assert "审计链完整：共 13 条记录" in verified.text


def test_the_audit_page_links_to_older_records(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from secscreen.service import web

    monkeypatch.setattr(web, "AUDIT_PAGE", 5)
    browser = site.browser("auditor")
    page = browser.get("/audit?kind=screening").text
    link = re.search(r'href="(/audit\?[^"]*before=\d+[^"]*)"', page)
    assert link and "kind=screening" in link.group(1)
    older = browser.get(link.group(1).replace("&amp;", "&")).text
    assert "文件06.docx" in older and "文件11.docx" not in older


def test_healthz_reports_audit_and_workers_without_detail(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    healthy = site.client.get("/healthz")
    assert healthy.status_code == 200 and healthy.json()["audit"] == "ok" and healthy.json()["workers"] == "ok"
    monkeypatch.setattr(site.service.store, "healthy", lambda: False)
    sick = site.client.get("/healthz")
    assert sick.status_code == 503
    assert sick.json() == {"status": "unavailable", "ruleset": healthy.json()["ruleset"], "audit": "unavailable",
                           "workers": "ok"}
