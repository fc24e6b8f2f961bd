"""``secscreen tokens`` and the server secret: a token is shown once and only its hash is kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from secscreen.cli import cli
from secscreen.errors import ConfigError
from secscreen.service import keys, receipts
from secscreen.service.tokens import Role, TokenStore


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_create_prints_the_token_once_and_stores_only_its_hash(home: Path) -> None:
    status, out, err = run("tokens", "create", "--role", "cms", "--name", "门户网站CMS")
    token = out.strip()
    assert status == 0 and token.startswith("sst_") and "只显示这一次" in err
    stored = (home / "tokens.sqlite3").read_bytes()
    assert token.encode() not in stored
    assert stat.S_IMODE((home / "tokens.sqlite3").stat().st_mode) == 0o600
    info = TokenStore(home / "tokens.sqlite3").lookup(token)
    assert info is not None and info.name == "门户网站CMS" and info.role.value == "cms"
    _, listing, _ = run("tokens", "list")
    assert "门户网站CMS" in listing and token not in listing


def test_revoke_by_name_stops_the_token(home: Path) -> None:
    _, out, _ = run("tokens", "create", "--role", "reviewer", "--name", "张三")
    assert run("tokens", "revoke", "张三")[0] == 0
    assert TokenStore(home / "tokens.sqlite3").lookup(out.strip()) is None
    assert "已吊销" in run("tokens", "list")[1]
    assert run("tokens", "revoke", "张三")[0] == 2


def _days_left(expires_at: str | None) -> float:
    assert expires_at is not None
    return (dt.datetime.fromisoformat(expires_at) - dt.datetime.now(dt.UTC)).total_seconds() / 86400


def test_personal_tokens_expire_after_90_days_and_cms_tokens_never_by_default(home: Path) -> None:
    _, reviewer, err = run("tokens", "create", "--role", "reviewer", "--name", "李四")
    assert "有效期至" in err
    _, cms, err = run("tokens", "create", "--role", "cms", "--name", "门户网站CMS")
    assert "永不过期" in err
    store = TokenStore(home / "tokens.sqlite3")
    person, machine = store.lookup(reviewer.strip()), store.lookup(cms.strip())
    assert person is not None and 89.9 < _days_left(person.expires_at) <= 90
    assert machine is not None and machine.expires_at is None
    listing = run("tokens", "list")[1]
    assert f"至 {person.expires_at}" in listing and "永不过期" in listing and "未使用" in listing


def test_expiry_can_be_chosen_or_turned_off(home: Path) -> None:
    _, short, _ = run("tokens", "create", "--role", "cms", "--name", "测试CMS", "--expires-days", "7")
    _, never, _ = run("tokens", "create", "--role", "auditor", "--name", "审计", "--expires-days", "0")
    store = TokenStore(home / "tokens.sqlite3")
    assert 6.9 < _days_left(store.lookup(short.strip()).expires_at) <= 7  # type: ignore[union-attr]
    assert store.lookup(never.strip()).expires_at is None  # type: ignore[union-attr]
    assert run("tokens", "create", "--role", "cms", "--name", "x", "--expires-days", "-1")[0] == 2


def test_a_token_past_its_expiry_is_not_live_and_listed_as_expired(home: Path) -> None:
    later = dt.datetime.now(dt.UTC).timestamp() + 2 * 86400
    _, secret = TokenStore(home / "tokens.sqlite3").create("一日令牌", Role.REVIEWER, expires_days=1)
    assert TokenStore(home / "tokens.sqlite3").lookup(secret) is not None
    assert TokenStore(home / "tokens.sqlite3", clock=lambda: later).lookup(secret) is None
    assert "有效" in run("tokens", "list")[1]


def _format0_store(path: Path, secret: str) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, "
               "hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT)")
    db.execute("INSERT INTO tokens VALUES ('a1b2c3d4', '老CMS', 'cms', ?, '2025-01-01T00:00:00+00:00', NULL)",
               (hashlib.sha256(secret.encode()).hexdigest(),))
    db.commit()
    db.close()


def test_an_old_format_store_is_migrated_and_its_tokens_keep_working(home: Path) -> None:
    home.mkdir()
    _format0_store(home / "tokens.sqlite3", "sst_old")
    store = TokenStore(home / "tokens.sqlite3")
    info = store.lookup("sst_old")
    assert store.version == 1 and info is not None and info.name == "老CMS" and info.expires_at is None
    assert TokenStore(home / "tokens.sqlite3").version == 1  # opening again is a no-op
    listing = run("tokens", "list")[1]
    assert "老CMS" in listing and "永不过期" in listing
    assert run("tokens", "revoke", "老CMS")[0] == 0
    assert TokenStore(home / "tokens.sqlite3").lookup("sst_old") is None


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "tokens.sqlite3")
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(ConfigError):
        TokenStore(tmp_path / "tokens.sqlite3")


def test_unknown_role_is_a_usage_error(home: Path) -> None:
    assert run("tokens", "create", "--role", "admin", "--name", "x")[0] == 2


def test_server_secret_is_created_0600_and_refused_when_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "service.key"
    key = keys.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.load_or_create(path) == key
    path.chmod(0o644)
    with pytest.raises(ConfigError):
        keys.load_or_create(path)


def test_receipt_signature_covers_every_field(tmp_path: Path) -> None:
    key = keys.load_or_create(tmp_path / "service.key")
    receipt = receipts.issue(key, sha256="a" * 64, verdict="block", ruleset="v1", audit_id="r1")
    assert receipts.signature_ok(key, receipt)
    for field, value in (("verdict", "pass"), ("sha256", "b" * 64), ("ruleset", "v2"), ("audit_id", "r2")):
        assert not receipts.signature_ok(key, receipt.model_copy(update={field: value}))
    assert not receipts.signature_ok(b"x" * 32, receipt)
