"""The one module that imports pyahocorasick.

One automaton per rule set over every keyword and every pattern anchor, in their compact form.
Matches come from ``iter()`` (all matches, overlapping); ``iter_long()`` is not used because it
misses matches when a longer key shares a prefix (pyahocorasick issue #133). Overlaps are resolved
per rule by the rules engine.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import ahocorasick

log = logging.getLogger(__name__)

#: value stored per key: tuples of (rule id, the keyword as written in the rule)
Entry = tuple[tuple[str, str], ...]


class Automaton:
    """Maps every compact key to the rule entries that want it."""

    def __init__(self, keys: dict[str, Entry], cache_dir: Path | None = None, digest: str = "") -> None:
        self.size = len(keys)
        loaded = self._load(cache_dir, digest) if cache_dir and digest else None
        self._automaton: ahocorasick.Automaton = loaded if loaded is not None else self._build(keys)
        if loaded is None and cache_dir and digest:
            self._save(cache_dir, digest)

    @staticmethod
    def _build(keys: dict[str, Entry]) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for key, entry in keys.items():
            automaton.add_word(key, (len(key), entry))
        if keys:
            automaton.make_automaton()
        return automaton

    @staticmethod
    def _path(cache_dir: Path, digest: str) -> Path:
        return cache_dir / f"automaton-{digest[:32]}-{ahocorasick.__version__ if hasattr(ahocorasick, '__version__') else 'x'}.pickle"

    def _load(self, cache_dir: Path, digest: str) -> ahocorasick.Automaton | None:
        path = self._path(cache_dir, digest)
        try:
            with path.open("rb") as handle:
                automaton = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None
        return automaton if len(automaton) == self.size else None

    def _save(self, cache_dir: Path, digest: str) -> None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self._automaton, handle)
            os.replace(temporary, self._path(cache_dir, digest))
        except OSError as error:
            log.info("automaton cache not written: %s", error)

    def iter(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        """Every match in ``text`` as ``(start, end, entry)``, overlapping matches included."""
        if self.size == 0 or not text:
            return
        for end_index, (length, entry) in self._automaton.iter(text):
            yield end_index + 1 - length, end_index + 1, entry


    def keys(self) -> list[str]:
        """Every compact key, e.g. to build the benchmark's bare automaton over the same keywords."""
        return list(self._automaton.keys()) if self.size else []


def bare_counter(keys: list[str]) -> Callable[[str], int]:
    """Bare pyahocorasick ``iter()``, built once: the benchmark's yardstick. Returns a match counter."""
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(key, len(key))
    automaton.make_automaton()

    def count(text: str) -> int:
        return sum(1 for _ in automaton.iter(text))

    return count


def bare_matches(keys: list[str], text: str) -> int:
    """Bare pyahocorasick ``iter()`` over ``text`` (building the automaton included)."""
    return bare_counter(keys)(text)
