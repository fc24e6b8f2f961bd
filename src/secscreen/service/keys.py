"""The server secret that signs receipts, session cookies and CSRF tokens.

Created on first start as ``$SECSCREEN_HOME/service.key`` (32 random bytes, hex, mode 0600). Replacing
the file invalidates every receipt and session issued before.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from ..errors import ConfigError


def load_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"服务密钥文件 {path} 的权限为 {mode:o}，应为 600（仅属主可读写）")
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError as error:
        raise ConfigError(f"服务密钥文件 {path} 内容无效") from error
    if len(key) < 32:
        raise ConfigError(f"服务密钥文件 {path} 过短")
    return key


def _create(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")


def sign(key: bytes, purpose: str, message: str) -> str:
    """HMAC-SHA256 of ``message`` under a key derived for ``purpose`` (receipts and cookies never share one)."""
    derived = hmac.new(key, purpose.encode(), hashlib.sha256).digest()
    return hmac.new(derived, message.encode("utf-8"), hashlib.sha256).hexdigest()


def check(key: bytes, purpose: str, message: str, signature: str) -> bool:
    return hmac.compare_digest(sign(key, purpose, message), signature)
