"""Stand-ins for a hung and a crashing extractor, run in the isolation child.

Kept in a module of their own that imports nothing else, so the child only has to import this to run them.
"""

from __future__ import annotations

import time


def hang(*args: object) -> None:
    time.sleep(60)


def crash(*args: object) -> None:
    raise SystemExit(7)
