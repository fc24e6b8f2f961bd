"""The one module that imports jieba. Word-boundary checks on a small window around a candidate.

A keyword hit is kept only when it starts and ends on a jieba token boundary, so 机密 inside
危机密切 (危机/密切), 手机密码 (手机/密码) or 计算机密码 is dropped, while 机密★10年 (机密/★/10/年)
is kept. Only the window is segmented, never the whole document.
"""

from __future__ import annotations

import logging
import string
from functools import lru_cache

WINDOW = 12


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=65536)
def _boundaries(window: str) -> frozenset[int]:
    cuts = {0}
    position = 0
    for token in _tokenizer().cut(window, HMM=True):
        position += len(token)
        cuts.add(position)
    return frozenset(cuts)


_ASCII_WORD = frozenset(string.ascii_letters + string.digits)


def on_word_boundary(text: str, start: int, end: int, window: int = WINDOW) -> bool:
    """Whether ``text[start:end]`` starts and ends on word boundaries of the surrounding text."""
    first, last = text[start], text[end - 1]
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if first in _ASCII_WORD and before in _ASCII_WORD:
        return False
    if last in _ASCII_WORD and after in _ASCII_WORD:
        return False
    if not (_is_cjk(first) or _is_cjk(last)):
        return True
    lo, hi = max(0, start - window), min(len(text), end + window)
    cuts = _boundaries(text[lo:hi])
    return (start - lo) in cuts and (end - lo) in cuts


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def warm_up() -> None:
    """Load the dictionary now (about 0.7 s), e.g. in a server worker before the first request."""
    _tokenizer()
