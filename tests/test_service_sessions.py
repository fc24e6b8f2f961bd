"""Web sessions and token lifetime: logout and idle timeout end a session on the server, expired tokens are
refused, and a token store and files left by an earlier version keep working at start-up."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from secscreen.service import ServiceConfig, create_app, files
from secscreen.service.auth import SESSION_COOKIE
from secscreen.service.state import ServiceState
from secscreen.service.tokens import Role
from secscreen.settings import Settings

from .test_service_web import csrf_of, login

IDLE = 30 * 60
DAY = 86400


class Clock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Site:
    app: object
    service: ServiceState
    clock: Clock

    def browser(self) -> TestClient:
        return TestClient(self.app, follow_redirects=False)

    def logged_in(self, role: Role = Role.REVIEWER, days: int | None = None) -> tuple[TestClient, str]:
        _, secret = self.service.tokens.create(f"{role.value}-会话", role, expires_days=days)
        client = self.browser()
        assert login(client, secret).status_code == 303
        return client, secret


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    clock = Clock()
    config = ServiceConfig(settings=Settings(home=tmp_path_factory.mktemp("sessions-home")), workers=0,
                           session_idle_seconds=IDLE, clock=clock)
    app = create_app(config)
    with TestClient(app):
        yield Site(app, app.state.service, clock)


def redirected_to_login(client: TestClient) -> bool:
    response = client.get("/")
    return response.status_code == 303 and response.headers["location"] == "/login"


def test_an_old_cookie_replayed_after_logout_is_refused(site: Site) -> None:
    client, _ = site.logged_in()
    cookie = client.cookies[SESSION_COOKIE]
    assert client.post("/logout", data={"csrf": csrf_of(client.get("/").text)}).status_code == 303
    replay = site.browser()
    replay.cookies.set(SESSION_COOKIE, cookie)
    assert redirected_to_login(replay)


def test_logout_ends_only_that_session(site: Site) -> None:
    client, secret = site.logged_in()
    other = site.browser()
    login(other, secret)
    client.post("/logout", data={"csrf": csrf_of(client.get("/").text)})
    assert other.get("/").status_code == 200


def test_a_session_idle_past_the_timeout_asks_to_log_in_again(site: Site) -> None:
    client, _ = site.logged_in()
    site.clock.advance(IDLE + 1)
    assert redirected_to_login(client)
    site.clock.advance(-IDLE)  # a stale session stays ended even if its cookie shows up again in time
    assert redirected_to_login(client)


def test_a_session_in_use_outlives_the_idle_timeout(site: Site) -> None:
    client, _ = site.logged_in()
    for _ in range(4):
        site.clock.advance(IDLE - 60)
        assert client.get("/").status_code == 200


def test_a_session_ends_after_its_lifetime_even_when_in_use(site: Site) -> None:
    client, _ = site.logged_in()
    for _ in range(site.service.config.session_seconds // (IDLE - 60) + 1):
        site.clock.advance(IDLE - 60)
        client.get("/")
    assert redirected_to_login(client)


def test_an_expired_token_gets_401_with_a_clear_message_on_the_api(site: Site) -> None:
    _, secret = site.service.tokens.create("限期CMS", Role.CMS, expires_days=1)
    headers = {"Authorization": f"Bearer {secret}"}
    client = site.browser()
    assert client.post("/v1/screen", json={"text": "通知"}, headers=headers).status_code == 200
    site.clock.advance(DAY + 1)
    response = client.post("/v1/screen", json={"text": "通知"}, headers=headers)
    assert response.status_code == 401
    assert "过期" in response.json()["error"]["message"]


def test_an_expired_token_cannot_log_in_and_its_session_ends(site: Site) -> None:
    _, secret = site.service.tokens.create("限期审核员", Role.REVIEWER, expires_days=1)
    site.clock.advance(DAY - 600)
    client = site.browser()
    assert login(client, secret).status_code == 303  # type: ignore[attr-defined]
    assert client.get("/").status_code == 200
    site.clock.advance(601)
    assert redirected_to_login(client)
    refused = login(site.browser(), secret)
    assert refused.status_code == 401 and "过期" in refused.text  # type: ignore[attr-defined]


def test_revoked_token_is_named_as_revoked_on_the_api(site: Site) -> None:
    info, secret = site.service.tokens.create("已停用CMS", Role.CMS)
    site.service.tokens.revoke(info.id)
    response = site.browser().get("/v1/rules", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and "吊销" in response.json()["error"]["message"]


def test_each_use_of_a_token_is_recorded(site: Site) -> None:
    info, secret = site.service.tokens.create("记录使用", Role.OFFICER)
    assert site.service.tokens.get(info.id).last_used_at is None  # type: ignore[union-attr]
    site.browser().get("/v1/rules", headers={"Authorization": f"Bearer {secret}"})
    first = site.service.tokens.get(info.id).last_used_at  # type: ignore[union-attr]
    site.clock.advance(3600)
    site.browser().get("/v1/rules", headers={"Authorization": f"Bearer {secret}"})
    later = site.service.tokens.get(info.id).last_used_at  # type: ignore[union-attr]
    assert first is not None and later is not None and later > first


def _old_home(home: Path, secret: str) -> None:
    """$SECSCREEN_HOME as an earlier version left it: format-0 token store, files readable by others."""
    home.mkdir()
    db = sqlite3.connect(home / "tokens.sqlite3")
    db.execute("CREATE TABLE tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, "
               "hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT)")
    db.execute("INSERT INTO tokens VALUES ('0ld0ld00', '旧审核员', 'reviewer', ?, '2025-01-01T00:00:00+00:00', NULL)",
               (hashlib.sha256(secret.encode()).hexdigest(),))
    db.commit()
    db.close()
    (home / "service.key").write_text("ab" * 32 + "\n")
    for name in ("tokens.sqlite3", "service.key"):
        (home / name).chmod(0o644)


def test_start_up_migrates_an_old_token_store_and_tightens_loose_files(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = "sst_" + "x" * 43
    home = tmp_path / "home"
    _old_home(home, secret)
    with caplog.at_level(logging.WARNING, logger="secscreen.service"):
        app = create_app(ServiceConfig(settings=Settings(home=home), workers=0))
    for name in ("tokens.sqlite3", "service.key"):
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600
        assert any(name in r.getMessage() and "600" in r.getMessage() for r in caplog.records)
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/v1/rules", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        assert login(client, secret).status_code == 303  # type: ignore[attr-defined]
        assert client.get("/").status_code == 200
        assert app.state.service.tokens.version >= 1


def test_sessions_past_their_lifetime_are_deleted_from_the_store(site: Site) -> None:
    site.logged_in()
    site.clock.advance(site.service.config.session_seconds + 1)
    site.logged_in()
    db = sqlite3.connect(site.service.config.tokens_db)
    oldest = db.execute("SELECT MIN(created_at) FROM sessions").fetchone()[0]
    db.close()
    assert oldest >= site.clock.now - site.service.config.session_seconds


def test_serve_passes_the_idle_timeout_and_warns_when_there_is_no_live_token(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from click.testing import CliRunner

    from secscreen.cli import cli

    served: list[ServiceConfig] = []

    def run(app: FastAPI, **_: object) -> None:
        served.append(app.state.service.config)
        app.state.service.close()

    monkeypatch.setattr(uvicorn, "run", run)
    result = CliRunner().invoke(cli, ["serve", "--workers", "0", "--session-idle-minutes", "10"])
    assert result.exit_code == 0, result.output
    assert served[0].session_idle_seconds == 600
    assert "尚无有效令牌" in result.stderr


def test_a_file_that_cannot_be_restricted_is_reported_in_the_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "audit.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)

    def refuse(self: Path, mode: int) -> None:
        raise PermissionError("Operation not permitted")

    monkeypatch.setattr(Path, "chmod", refuse)
    with caplog.at_level(logging.WARNING, logger="secscreen.service"):
        assert files.tighten([path, tmp_path / "missing"]) == []
    assert any("audit.sqlite3" in r.getMessage() and "by hand" in r.getMessage() for r in caplog.records)
