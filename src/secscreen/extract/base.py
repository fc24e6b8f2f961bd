"""The extractor seam: a protocol, a context with limits, and the helpers every extractor shares."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import LimitExceeded
from ..models import Document


@dataclass(frozen=True)
class Limits:
    """Limits for untrusted input. A limit hit gives ``review`` with issue ``limit-exceeded``."""

    max_bytes: int = 100 * 1024 * 1024
    max_seconds: float = 60.0
    max_depth: int = 3
    max_members: int = 2000
    max_inflated: int = 300 * 1024 * 1024
    max_ratio: float = 200.0
    #: extract in a child process killed when ``max_seconds`` runs out (see ``extract.isolate``)
    isolate: bool = True
    #: address-space cap of that child process (Linux); an allocation beyond it fails instead of swapping
    max_memory: int = 2 * 1024 * 1024 * 1024


@dataclass
class ExtractContext:
    """Passed to every extractor: the display path, the limits and a way to recurse into members."""

    path: str
    limits: Limits = field(default_factory=Limits)
    depth: int = 0
    deadline: float = field(default_factory=lambda: time.monotonic() + Limits().max_seconds)
    recurse: Callable[[bytes, str, ExtractContext], Document] | None = None

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"解析时间超过 {self.limits.max_seconds:.0f} 秒", code="timeout")

    def child(self, inner: str) -> ExtractContext:
        if self.depth + 1 > self.limits.max_depth:
            raise LimitExceeded(f"嵌套层数超过 {self.limits.max_depth}")
        return ExtractContext(
            path=f"{self.path}!{inner}",
            limits=self.limits,
            depth=self.depth + 1,
            deadline=self.deadline,
            recurse=self.recurse,
        )


class Extractor(Protocol):
    """Reads one family of formats. ``media_types`` lists what ``sniff`` names that it handles."""

    @property
    def name(self) -> str: ...

    @property
    def media_types(self) -> tuple[str, ...]: ...

    def extract(self, data: bytes, ctx: ExtractContext) -> Document: ...
