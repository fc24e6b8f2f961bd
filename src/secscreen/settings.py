"""Settings passed explicitly through the pipeline: where data lives and the limits for input."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from .extract.base import Limits

ENV_HOME = "SECSCREEN_HOME"


def home_dir() -> Path:
    """``$SECSCREEN_HOME``, else the per-user data directory."""
    configured = os.environ.get(ENV_HOME)
    return Path(configured) if configured else Path(user_data_dir("secscreen", appauthor=False))


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=home_dir)
    limits: Limits = field(default_factory=Limits)

    @property
    def audit_path(self) -> Path:
        return self.home / "audit.sqlite3"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"
