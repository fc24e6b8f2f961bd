"""Permissions of the files the service keeps: owner-only (0600), checked and tightened at start-up.

Files created by earlier versions (or copied with ``cp``) may be readable by others; the service narrows
them and says so in its log, or warns loudly when it cannot (file owned by another user, read-only mount).
"""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("secscreen.service")
PRIVATE = 0o600


def tighten(paths: Iterable[Path]) -> list[Path]:
    """Set each existing file in ``paths`` to 0600 if group or others have any access; returns those changed."""
    changed = []
    for path in paths:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if not mode & 0o077:
            continue
        try:
            path.chmod(PRIVATE)
        except OSError as error:
            log.warning("file %s has mode %o (readable by others) and cannot be restricted to 600: %s — "
                        "restrict it by hand", path, mode, error)
            continue
        log.warning("file %s had mode %o, restricted to 600%s", path, mode,
                    "; the service key may have been read by others: consider replacing it (this invalidates "
                    "receipts and sessions issued before)" if path.name == "service.key" else "")
        changed.append(path)
    return changed
