"""Stand-ins for a hung and a crashing extractor, run in the isolation child.

Kept in a module of their own that imports nothing else, so the child only has to import this to run them.
"""

from __future__ import annotations

import json
import time
from typing import Any


def hang(*args: object) -> None:
    time.sleep(60)


def crash(*args: object) -> None:
    raise SystemExit(7)


def allocate(sender: Any, *args: object) -> None:
    """Answers whether 1 GiB could be allocated, as a document whose media type says so."""
    try:
        block = bytearray(1024 * 1024 * 1024)
        answer = f"allocated {len(block)}"
    except MemoryError:
        answer = "refused"
    sender.send_bytes(json.dumps({"media_type": answer}).encode())
