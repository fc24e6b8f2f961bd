"""Signed receipts: proof that these exact bytes were screened, with this verdict, under this rule set.

A receipt is HMAC-SHA256 (server secret, purpose ``receipt``) over
``secscreen-receipt-v1 / sha256 / verdict / rule-set version / audit id``. A publishing step sends the
receipt and the sha256 of the bytes it is about to publish to ``POST /v1/receipts/verify``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from . import keys

PURPOSE = "receipt"
VERSION = 1


class Receipt(BaseModel):
    version: int = VERSION
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    verdict: str
    ruleset: str = Field(description="rule-set version the screening used")
    audit_id: str
    signature: str = Field(description="hex HMAC-SHA256 over the fields above")


def _message(sha256: str, verdict: str, ruleset: str, audit_id: str) -> str:
    return "\n".join((f"secscreen-receipt-v{VERSION}", sha256, verdict, ruleset, audit_id))


def issue(key: bytes, *, sha256: str, verdict: str, ruleset: str, audit_id: str) -> Receipt:
    signature = keys.sign(key, PURPOSE, _message(sha256, verdict, ruleset, audit_id))
    return Receipt(sha256=sha256, verdict=verdict, ruleset=ruleset, audit_id=audit_id, signature=signature)


def signature_ok(key: bytes, receipt: Receipt) -> bool:
    if receipt.version != VERSION:
        return False
    message = _message(receipt.sha256, receipt.verdict, receipt.ruleset, receipt.audit_id)
    return keys.check(key, PURPOSE, message, receipt.signature)
