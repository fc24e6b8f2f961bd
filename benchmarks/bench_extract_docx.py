"""Pages per second reading a 50-page Chinese DOCX: our raw zip+lxml reader beside python-docx.

    .venv/bin/python benchmarks/bench_extract_docx.py [--repeat N]

The document is generated (about 26 paragraphs of ~45 characters per page, a table every fifth
page, a header and a footer). "secscreen docx" is ``extract()`` in process, reading every part;
"secscreen docx, isolated" adds the killable child process the pipeline uses; "python-docx" opens
the package with python-docx and reads body paragraphs, tables, headers and footers only (it has
no API for text boxes, notes, tracked deletions or hidden runs).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpora.generators.ooxml_build import docx, p

from secscreen.extract import extract
from secscreen.extract.base import Limits
from secscreen.extract.isolate import run_isolated

PAGES = 50
LINES_PER_PAGE = 26
SENTENCE = "各地区各部门要认真贯彻落实有关工作部署，切实加强组织领导，确保各项任务按期完成。"


def fifty_pages() -> bytes:
    body = []
    for page in range(1, PAGES + 1):
        body.append(p(f"第{page}页　关于做好2024年度重点工作的通知"))
        body += [p(f"（{line}）{SENTENCE}") for line in range(1, LINES_PER_PAGE)]
        if page % 5 == 0:
            cells = "".join(f"<w:tc>{p(f'第{page}页表格{c}')}</w:tc>" for c in range(4))
            body.append(f"<w:tbl>{'<w:tr>' + cells + '</w:tr>' * 1}</w:tbl>")
        body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    return docx("".join(body), header="市人民政府办公室", footer="第 1 页")


def with_python_docx(data: bytes) -> int:
    import docx as python_docx  # imported here: the isolated child re-imports this script's top level

    document = python_docx.Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        texts += [paragraph.text for paragraph in section.header.paragraphs + section.footer.paragraphs]
    return sum(len(t) for t in texts)


def with_secscreen(data: bytes) -> int:
    return sum(len(s.text) for s in extract(data, "bench.docx", Limits(isolate=False)).segments)


def with_secscreen_isolated(data: bytes) -> int:
    return sum(len(s.text) for s in run_isolated(data, "bench.docx", Limits()).segments)


def measure(label: str, read: Callable[[bytes], int], data: bytes, repeat: int) -> None:
    read(data)  # warm up (imports, fork server)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        characters = read(data)
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    print(f"{label:28s} {PAGES / median:8.1f} pages/s  (median {median * 1000:7.1f} ms, best {best * 1000:7.1f} ms,"
          f" {characters} characters)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    repeat = parser.parse_args().repeat
    data = fifty_pages()
    print(f"{PAGES}-page Chinese DOCX, {len(data)} bytes, {repeat} runs each")
    measure("secscreen docx (zip+lxml)", with_secscreen, data, repeat)
    measure("secscreen docx, isolated", with_secscreen_isolated, data, repeat)
    measure("python-docx", with_python_docx, data, repeat)


if __name__ == "__main__":
    main()
