"""``secscreen tokens`` and the server secret: a token is shown once and only its hash is kept."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from secscreen.cli import cli
from secscreen.errors import ConfigError
from secscreen.service import keys, receipts
from secscreen.service.tokens import TokenStore


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
