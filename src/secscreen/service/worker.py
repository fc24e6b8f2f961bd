"""Extraction and matching off the event loop, in worker processes, bounded and under a time budget.

``ScreeningPool.analyse`` runs ``pipeline.analyse`` (no audit) in a ``ProcessPoolExecutor`` (spawned
processes, each compiling the rule set once). At most ``workers + queue`` documents are in flight; one
more gets ``Saturated`` (HTTP 503) at once rather than waiting. A document that has not been answered
within the hard timeout is given up: the pool's processes are stopped and a fresh pool is started, so a
pathological file cannot hold a worker; the caller records it as ``review`` with issue ``timeout``.
Each worker leads its own process group, so stopping a worker also stops the fork server and the
extraction children (``extract.isolate``) it started: no orphan keeps parsing after its worker is gone.
Documents that were running in the stopped pool are retried once in the new one.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..extract.base import Limits
from ..models import ScanResult
from ..pipeline import analyse
from ..rules import CompiledRuleSet, compile_ruleset, load_ruleset
from .errors import Saturated

log = logging.getLogger("secscreen.service.worker")

_WORKER_RULES: CompiledRuleSet | None = None
WARM_UP = "关于做好信息公开工作的通知\n各单位：现将有关事项通知如下。"


def _init_worker(rule_dirs: tuple[str, ...], cache_dir: str) -> None:
    global _WORKER_RULES
    from pathlib import Path

    _own_process_group()

    _WORKER_RULES = compile_ruleset(load_ruleset(rule_dirs), Path(cache_dir))
    warm_up(_WORKER_RULES)


def warm_up(compiled: CompiledRuleSet) -> None:
    """Screen every rule's own examples once, so that lazy loads (word dictionary, regexes) happen now."""
    texts = [e if isinstance(e, str) else e.text for rule in compiled.rules.values() for e in rule.examples.match]
    analyse("\n".join([WARM_UP, *texts]).encode("utf-8"), "warm-up.txt", compiled)


def _own_process_group() -> None:
    """Lead a process group of our own: extraction children (and their fork server) join it, so stopping
    the group stops them all and no child outlives a worker that was given up on."""
    try:
        os.setpgid(0, 0)
    except (AttributeError, OSError):  # not on this platform: children are then only killed by their own timer
        log.debug("worker %d could not lead its own process group", os.getpid())


def _analyse_in_worker(data: bytes, name: str, meta: dict[str, str], limits: Limits,
                       media_type: str | None) -> ScanResult:
    assert _WORKER_RULES is not None, "worker not initialised"
    return analyse(data, name, _WORKER_RULES, meta=meta, limits=limits, media_type=media_type)


def _ping() -> str:
    return _WORKER_RULES.sha256 if _WORKER_RULES else ""


class WorkerTimeout(Exception):
    """The document was not answered within the hard timeout."""


class ScreeningPool:
    def __init__(self, compiled: CompiledRuleSet, rule_dirs: tuple[str, ...], cache_dir: str, *, workers: int,
                 queue: int, hard_timeout: float) -> None:
        self.compiled = compiled
        self.rule_dirs = rule_dirs
        self.cache_dir = cache_dir
        self.workers = workers
        self.capacity = max(1, workers) + max(0, queue)
        self.hard_timeout = hard_timeout
        self.in_flight = 0
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(self.rule_dirs, self.cache_dir))
        return self._executor

    async def start(self) -> None:
        """Start the workers now so the first documents do not wait for them."""
        if not self.workers:
            await asyncio.to_thread(warm_up, self.compiled)
        else:
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(self._pool(), _ping) for _ in range(self.workers)))

    async def analyse(self, data: bytes, name: str, meta: dict[str, str], limits: Limits,
                      media_type: str | None) -> ScanResult:
        """The analysis of one document; raises ``Saturated`` when full and ``WorkerTimeout`` past the budget."""
        if self.in_flight >= self.capacity:
            raise Saturated(f"服务繁忙：正在审查的文件已达上限（{self.capacity} 个），请稍后重试")
        self.in_flight += 1
        try:
            return await self._run(data, name, meta, limits, media_type)
        finally:
            self.in_flight -= 1

    async def _run(self, data: bytes, name: str, meta: dict[str, str], limits: Limits,
                   media_type: str | None) -> ScanResult:
        if not self.workers:
            job = asyncio.to_thread(analyse, data, name, self.compiled, meta=meta, limits=limits, media_type=media_type)
            return await self._within_budget(job, None)
        for attempt in (1, 2):
            executor = self._pool()
            future = asyncio.get_running_loop().run_in_executor(
                executor, _analyse_in_worker, data, name, meta, limits, media_type)
            try:
                return await self._within_budget(future, executor)
            except BrokenProcessPool:
                log.warning("worker pool broke while screening (attempt %d); restarting it", attempt)
                self._discard(executor)
        raise BrokenProcessPool("worker pool broke twice")

    async def _within_budget(self, job: object, executor: ProcessPoolExecutor | None) -> ScanResult:
        try:
            return await asyncio.wait_for(job, self.hard_timeout)  # type: ignore[arg-type]
        except TimeoutError as error:
            if executor is not None:
                log.warning("a document exceeded %.0f s; stopping its worker pool", self.hard_timeout)
                self._discard(executor)
            raise WorkerTimeout from error

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        """Stop every process of ``executor`` and the extraction children they started (if still current,
        a new pool starts on next use)."""
        if executor is self._executor:
            self._executor = None
        for process in _processes(executor):
            kill_tree(process)
        executor.shutdown(wait=False, cancel_futures=True)

    def healthy(self) -> bool:
        """False when the worker pool is known to be broken (it is restarted on the next document)."""
        return not getattr(self._executor, "_broken", False)

    def close(self, grace: float = 10.0) -> None:
        """Stop the workers: documents already running get ``grace`` seconds, then every process tree is killed."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = _processes(executor)
        executor.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + grace
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in processes:
            kill_tree(process)  # also a worker that ended: its extraction children may remain


def _processes(executor: ProcessPoolExecutor) -> list[multiprocessing.process.BaseProcess]:
    return list((getattr(executor, "_processes", None) or {}).values())


def kill_tree(process: multiprocessing.process.BaseProcess) -> None:
    """SIGKILL the process group the worker leads (the worker, its fork server, its extraction children,
    also after the worker itself ended); the worker alone if it does not lead one (it had not finished
    starting)."""
    if process.pid is None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
        return
    except (ProcessLookupError, PermissionError, AttributeError):
        pass
    if process.is_alive():
        process.kill()
