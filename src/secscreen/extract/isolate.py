"""Extraction in a child process that is killed when the time budget runs out.

Parsers of untrusted files can loop or stall inside C code (pdfminer on a pathological PDF, libxml2,
zlib) where the cooperative ``ExtractContext.check_time`` never runs. ``extract_guarded`` therefore
runs extraction in a child process and kills it ``GRACE`` seconds after ``Limits.max_seconds``; the
document then gets issue ``timeout`` (review). The child's address space is capped at
``Limits.max_memory``, so an XML or image that would take gigabytes fails inside the child. A child
that dies (a crash in a C library, the kernel's OOM killer) gives ``unreadable``.

What runs in process: small plain text and HTML (under ``IN_PROCESS_BYTES``). They are read by our
own code and the charset detector, in linear time, and are the bulk of what a CMS sends; a child
costs a fork (a few ms from the preloaded fork server, more under ``spawn``) that would dominate
their screening time. Everything else — Office, PDF, archives, anything large — goes to the child.
``Limits(isolate=False)`` turns the child off (tests, or a caller that already isolates).

Children come from a ``forkserver`` (``spawn`` where there is none) that has preloaded
``secscreen.extract``: no fork of a multi-threaded service, and a few milliseconds per child (the
caller's main script is not re-run in the child, see ``_main_not_rerun``).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from multiprocessing.connection import Connection
from typing import Any

from ..models import Document
from . import _filename_segment, extract, issues, sniff
from .base import Limits

log = logging.getLogger(__name__)

IN_PROCESS_BYTES = 256 * 1024
IN_PROCESS_TYPES = frozenset((sniff.TEXT, sniff.HTML, sniff.EMPTY))
#: seconds the child is given beyond ``max_seconds`` to notice its own deadline and answer
GRACE = 2.0

_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
_CONTEXT: Any = multiprocessing.get_context(_METHOD)
if _METHOD == "forkserver":
    _CONTEXT.set_forkserver_preload(["secscreen.extract"])
_START_LOCK = threading.Lock()


def needs_isolation(data: bytes, limits: Limits, media_type: str | None = None) -> bool:
    if not limits.isolate or multiprocessing.current_process().daemon:
        return False  # a daemonic process (a multiprocessing.Pool worker) may not start children
    return len(data) > IN_PROCESS_BYTES or (media_type or sniff.sniff(data)) not in IN_PROCESS_TYPES


def extract_guarded(data: bytes, name: str, limits: Limits | None = None, *,
                    media_type: str | None = None) -> Document:
    """``extract()``, in a killable child process where ``needs_isolation`` says so."""
    limits = limits or Limits()
    if not needs_isolation(data, limits, media_type):
        return extract(data, name, limits, media_type=media_type)
    return run_isolated(data, name, limits, media_type=media_type)


def run_isolated(data: bytes, name: str, limits: Limits, *, media_type: str | None = None,
                 target: Any = None) -> Document:
    """Run ``target`` (default: ``extract``) in a child; its Document comes back as JSON over a pipe."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_bounded, args=(target or _child, sender, data, name, limits, media_type),
                               daemon=True)
    with _START_LOCK, _main_not_rerun():
        process.start()
    sender.close()
    try:
        if receiver.poll(limits.max_seconds + GRACE):
            return Document.model_validate_json(receiver.recv_bytes())
        log.warning("extraction of %s killed after %.0f s", name, limits.max_seconds + GRACE)
        return _failed(issues.TIMEOUT, f"超过 {limits.max_seconds:.0f} 秒，解析已终止", data, name)
    except (EOFError, OSError):
        process.join(1)
        log.warning("extraction child for %s died (exit code %s)", name, process.exitcode)
        return _failed(issues.UNREADABLE, f"解析进程异常退出（{process.exitcode}）", data, name)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()


@contextmanager
def _main_not_rerun() -> Iterator[None]:
    """Start children without re-running the caller's main script in them.

    A non-fork child normally re-imports the parent's ``__main__`` script: for ``secscreen`` that is
    the console script, which imports the whole CLI (jieba, rules, audit) again, some 0.5 s per
    document; for an unguarded script it would even run the script. ``multiprocessing`` skips that
    step when ``__main__`` is a package's ``__main__`` module, so the spec says so while a child starts.
    The child needs nothing from ``__main__``: its target lives in this module.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = getattr(main, "__spec__", None)
    main.__spec__ = ModuleSpec("secscreen.__main__", None)
    try:
        yield
    finally:
        main.__spec__ = saved


def _failed(code: str, detail: str, data: bytes, name: str) -> Document:
    """What is known without the child: the media type, the file name (still screened) and the issue."""
    return Document(media_type=sniff.sniff(data), segments=[_filename_segment(name)],
                    issues=[issues.issue(code, detail, path=name)])


def _bounded(target: Any, sender: Connection, data: bytes, name: str, limits: Limits, media_type: str | None) -> None:
    """Cap the child's address space (``Limits.max_memory``) and its CPU time, then run ``target``.

    The CPU cap (what all cores could use by the parent's wall-clock deadline, so it never fires first) is
    a backstop: a child whose parent died before it could kill it still cannot parse for ever."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory, limits.max_memory))
    except (ImportError, ValueError, OSError):  # not on this platform, or a lower hard limit is already set
        pass
    try:
        import resource

        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        # CPU time of all threads: at most cpu_count seconds per wall-clock second
        seconds = math.ceil((limits.max_seconds + GRACE) * (os.cpu_count() or 1)) + 1
        if hard == resource.RLIM_INFINITY or seconds < hard:
            resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))
    except (ImportError, ValueError, OSError):
        pass
    target(sender, data, name, limits, media_type)


def _child(sender: Connection, data: bytes, name: str, limits: Limits, media_type: str | None) -> None:
    try:
        document = extract(data, name, limits, media_type=media_type)
    except Exception as error:  # extract() never raises for bad input; this is a bug, still answer
        document = _failed(issues.INTERNAL_ERROR, type(error).__name__, data, name)
    sender.send_bytes(document.model_dump_json().encode())
    sender.close()
