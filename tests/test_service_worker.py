"""The service's worker pool: bounded, and a document past its budget cannot hold the pool."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from secscreen.extract.base import Limits
from secscreen.models import Verdict
from secscreen.rules import CompiledRuleSet
from secscreen.service.errors import Saturated
from secscreen.service.worker import ScreeningPool, WorkerTimeout

PUBLIC = (Path(__file__).resolve().parents[1] / "corpora" / "samples" / "public-traffic-news.txt").read_bytes()


def test_one_more_document_than_capacity_is_refused_at_once(compiled: CompiledRuleSet, tmp_path: Path) -> None:
    pool = ScreeningPool(compiled, (), str(tmp_path), workers=0, queue=1, hard_timeout=60)

    async def run() -> list[object]:
        jobs = [pool.analyse(PUBLIC, f"{i}.txt", {}, Limits(), None) for i in range(3)]
        return await asyncio.gather(*jobs, return_exceptions=True)

    outcomes = asyncio.run(run())
    assert sum(isinstance(o, Saturated) for o in outcomes) == 1
    assert all(o.verdict is Verdict.PASS for o in outcomes if not isinstance(o, Exception))
    assert pool.in_flight == 0


@pytest.mark.slow
def test_a_document_past_its_budget_is_given_up_and_the_next_one_is_screened(
        compiled: CompiledRuleSet, tmp_path: Path) -> None:
    pool = ScreeningPool(compiled, (), str(tmp_path), workers=1, queue=0, hard_timeout=0.01)

    async def run() -> Verdict:
        with pytest.raises(WorkerTimeout):
            await pool.analyse(PUBLIC * 2000, "huge.txt", {}, Limits(), None)
        assert pool.in_flight == 0
        pool.hard_timeout = 120
        result = await pool.analyse(PUBLIC, "news.txt", {}, Limits(), None)
        return result.verdict

    try:
        assert asyncio.run(run()) is Verdict.PASS
    finally:
        pool.close()
