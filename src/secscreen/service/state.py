"""What the app holds for its lifetime, created in ``create_app`` and closed at shutdown."""

from __future__ import annotations

from dataclasses import dataclass

from ..audit import SqliteAuditStore
from ..rules import CompiledRuleSet
from .config import ServiceConfig
from .tokens import TokenStore
from .worker import ScreeningPool


@dataclass
class ServiceState:
    config: ServiceConfig
    key: bytes
    tokens: TokenStore
    store: SqliteAuditStore
    compiled: CompiledRuleSet
    pool: ScreeningPool

    def close(self) -> None:
        self.pool.close()
        self.tokens.close()
        self.store.close()
