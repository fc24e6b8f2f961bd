"""Loopback load test of ``secscreen serve``: concurrent CMS clients posting a 10-page DOCX.

    .venv/bin/python benchmarks/bench_service.py [--duration 60] [--clients 16] [--workers 2] [--pages 10]

Starts the service on 127.0.0.1 (a free port, a temporary SECSCREEN_HOME, a cms token), lets
``--clients`` clients post the same generated DOCX to ``POST /v1/screen`` as fast as answers come for
``--duration`` seconds, then prints requests/s, p50/p95 latency, status and verdict counts, and checks
that every 200 answer carried a verdict and an audit id and that the audit trail grew by exactly as many
screening records (and that its hash chain verifies). Bounded in time; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import docx
import httpx
from docx.enum.text import WD_BREAK

from secscreen.audit import SqliteAuditStore
from secscreen.service.tokens import Role, TokenStore

SENTENCE = "各地区各部门要认真贯彻落实有关工作部署，切实加强组织领导，确保各项任务按期完成。"
LINES_PER_PAGE = 26


def document(pages: int) -> bytes:
    """A ``pages``-page Chinese notice (page breaks between pages, a table on every fifth page)."""
    doc = docx.Document()
    for page in range(1, pages + 1):
        doc.add_paragraph(f"第{page}页　关于做好2024年度重点工作的通知")
        for line in range(1, LINES_PER_PAGE):
            doc.add_paragraph(f"（{line}）{SENTENCE}")
        if page % 5 == 0:
            table = doc.add_table(rows=3, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = "工作任务"
        if page < pages:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(home: Path, port: int, workers: int, queue: int, isolate: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SECSCREEN_HOME": str(home)}
    env.pop("SECSCREEN_AUDIT_DB", None)
    command = [sys.executable, "-c", "from secscreen.cli import main; main()", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--queue", str(queue),
               "--isolate" if isolate else "--no-isolate"]
    log = (home / "server.log").open("w")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_up(base: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with status {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit("server did not come up")


async def client(base: str, token: str, data: bytes, deadline: float, latencies: list[float],
                 statuses: Counter[int], verdicts: Counter[str], audit_ids: list[str], missing: list[int]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as http:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = await http.post("/v1/screen", files={"file": ("notice.docx", data)})
            latencies.append(time.perf_counter() - started)
            statuses[response.status_code] += 1
            if response.status_code != 200:
                continue
            body = response.json()
            if not body.get("verdict") or not body.get("audit_id"):
                missing.append(response.status_code)
                continue
            verdicts[body["verdict"]] += 1
            audit_ids.append(body["audit_id"])


def screenings(audit_db: Path) -> int:
    store = SqliteAuditStore(audit_db)
    try:
        return len(store.records(kind="screening"))
    finally:
        store.close()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else (values or [0.0])[0]


def run(args: argparse.Namespace) -> int:
    data = document(args.pages)
    with tempfile.TemporaryDirectory(prefix="secscreen-bench-") as tmp:
        home = Path(tmp)
        store = TokenStore(home / "tokens.sqlite3")
        token = store.create("压测CMS", Role.CMS)[1]
        store.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(home, port, args.workers, max(args.clients, 1), args.isolate)
        try:
            wait_up(base, process)
            before = screenings(home / "audit.sqlite3")
            latencies: list[float] = []
            statuses: Counter[int] = Counter()
            verdicts: Counter[str] = Counter()
            audit_ids: list[str] = []
            missing: list[int] = []

            async def main() -> None:
                deadline = time.monotonic() + args.duration
                await asyncio.gather(*(client(base, token, data, deadline, latencies, statuses, verdicts, audit_ids,
                                              missing) for _ in range(args.clients)))

            started = time.monotonic()
            asyncio.run(main())
            elapsed = time.monotonic() - started
            after = screenings(home / "audit.sqlite3")
            chain = SqliteAuditStore(home / "audit.sqlite3")
            report = chain.verify()
            chain.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    total = len(latencies)
    print(f"document: {args.pages}-page DOCX, {len(data)} bytes; {args.clients} clients; {args.workers} worker(s); "
          f"{'isolated' if args.isolate else 'not isolated'} extraction; "
          f"{elapsed:.1f} s")
    print(f"requests: {total}  ({total / elapsed:.1f} requests/s)")
    print(f"latency: p50 {percentile(latencies, 50) * 1000:.0f} ms, p95 {percentile(latencies, 95) * 1000:.0f} ms, "
          f"max {max(latencies, default=0) * 1000:.0f} ms")
    print(f"HTTP status: {dict(statuses)}; verdicts: {dict(verdicts)}")
    ok = statuses[200] == len(audit_ids) and not missing and after - before == len(audit_ids) == len(set(audit_ids))
    print(f"every 200 answer had a verdict and an audit id: {not missing and statuses[200] == len(audit_ids)}; "
          f"audit screening records {before} -> {after} (+{after - before} for {len(audit_ids)} answers); "
          f"chain verifies: {report.ok} ({report.checked} records)")
    return 0 if ok and report.ok and statuses[200] == total else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--pages", type=int, default=10, help="pages in the DOCX (default 10)")
    parser.add_argument("--no-isolate", dest="isolate", action="store_false",
                        help="serve with --no-isolate (no per-document child process)")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
