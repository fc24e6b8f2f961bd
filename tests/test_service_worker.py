"""The service's worker pool: bounded, and a document past its budget cannot hold the pool."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from secscreen.extract.base import Limits
from secscreen.models import Verdict
from secscreen.rules import CompiledRuleSet
from secscreen.service import ServiceConfig, create_app
from secscreen.service.errors import Saturated
from secscreen.service.tokens import Role
from secscreen.service.worker import ScreeningPool, WorkerTimeout
from secscreen.settings import Settings

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


@pytest.mark.slow
def test_site_rules_given_to_the_service_are_applied_in_the_worker_processes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text(
        "schema_version: 1\npack: site\nrules:\n  - id: ST-001\n    title: 本单位敏感词\n"
        "    kind: keyword\n    category: site\n    action: block\n    rationale: 本单位保密办规定的敏感词\n"
        "    keywords: [甲乙丙]\n    boundary: false\n    examples: {match: [甲乙丙], no_match: [甲乙]}\n",
        encoding="utf-8",
    )
    app = create_app(ServiceConfig(settings=Settings(home=tmp_path / "home"), rule_dirs=(str(site),), workers=1))
    token = app.state.service.tokens.create("cms", Role.CMS)[1]
    with TestClient(app) as client:
        response = client.post("/v1/screen", files={"file": ("a.txt", "公开新闻：甲乙丙。".encode())},
                               headers={"Authorization": f"Bearer {token}"})
    result = response.json()
    assert result["verdict"] == "block"
    assert [f["rule_id"] for f in result["findings"]] == ["ST-001"]
    assert result["ruleset"]["sha256"] == app.state.service.compiled.sha256


def hung_extraction(data: bytes, name: str, meta: dict[str, str], limits: Limits,
                    media_type: str | None) -> object:
    """Stands in for ``_analyse_in_worker``: an isolated extraction whose child hangs (pid written to ``name``)."""
    from secscreen.extract.isolate import run_isolated

    return run_isolated(data, name, limits, target=hang_reporting_pid)


def hang_reporting_pid(sender: object, data: bytes, name: str, limits: Limits, media_type: str | None) -> None:
    Path(name).write_text(str(os.getpid()), encoding="ascii")
    time.sleep(120)


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie has ended


def _group(pgid: int) -> list[int]:
    """Running processes of process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                members.append(int(entry.name))
    return members


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_hung_extraction_child_does_not_outlive_the_worker_given_up_on(
        compiled: CompiledRuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from secscreen.service import worker

    monkeypatch.setattr(worker, "_analyse_in_worker", hung_extraction)
    pool = ScreeningPool(compiled, (), str(tmp_path), workers=1, queue=0, hard_timeout=8)
    pid_file = tmp_path / "child.pid"

    async def run() -> int:
        await pool.start()
        worker_pid = next(iter(pool._pool()._processes))
        with pytest.raises(WorkerTimeout):
            await pool.analyse(b"PK\x03\x04", str(pid_file), {}, Limits(max_seconds=60), None)
        return worker_pid

    try:
        worker_pid = asyncio.run(run())
        child = int(pid_file.read_text())
        deadline = time.monotonic() + 10
        while (_running(child) or _group(worker_pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(child), "the extraction child survived its worker"
        assert _group(worker_pid) == [], "processes of the stopped worker are still running"
    finally:
        pool.close()


def report_cpu_limit(sender: Any, *args: object) -> None:
    import json
    import resource

    sender.send_bytes(json.dumps({"media_type": str(resource.getrlimit(resource.RLIMIT_CPU)[0])}).encode())


def test_an_extraction_child_cannot_use_cpu_for_ever_even_if_its_parent_dies() -> None:
    from secscreen.extract.isolate import GRACE, run_isolated

    resource = pytest.importorskip("resource")
    document = run_isolated(b"PK", "a.docx", Limits(max_seconds=5), target=report_cpu_limit)
    cap = int(document.media_type)
    assert cap != resource.RLIM_INFINITY and 5 + GRACE <= cap <= (5 + GRACE) * (os.cpu_count() or 1) + 2
