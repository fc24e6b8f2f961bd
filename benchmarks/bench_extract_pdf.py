"""Pages per second for PDF text extraction: the chosen extractor beside the alternatives measured.

    .venv/bin/python benchmarks/bench_extract_pdf.py [--pages 50] [--repeat 5]

Two 50-page documents in the GB/T 9704 layout (22 lines of 28 characters, 16 pt) are generated
with reportlab in a temporary directory:
- ``cid``: Chinese in the non-embedded CID font STSong-Light (what reportlab can write without font
  files); secscreen reads such pages through pdfminer because pdfium drops glyphs it cannot measure;
- ``ttf``: the same layout in an embedded TrueType font (DejaVu Sans, Latin text with ★), the shape
  of office-suite exports with embedded font subsets; secscreen reads these through pdfium.
Medians of interleaved runs; compare ratios, not absolute figures (the machine is noisy).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.high_level import extract_text as pdfminer_text
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from secscreen.extract import extract

LINES = 22
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CHINESE = "根据《中华人民共和国政府信息公开条例》规定，现将本机关2024年度政府信息公开工作情况报告如下。"
LATIN = "Pursuant to the regulations on open government information, this annual report ★ sets out the work."


def make_pdf(path: Path, pages: int, font: str, line: str, per_line: int) -> None:
    """GB/T 9704 page: 22 lines of 28 characters in 16 pt (三号), a title on top; ~640 characters a page."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    text = (line * 4)[: per_line * LINES]
    for page in range(pages):
        canvas.setFont(font, 22)
        canvas.drawString(79, 770, f"{'机密★10年' if page == 0 and font != 'DejaVu' else 'Report'} {page + 1}")
        canvas.setFont(font, 16)
        for row in range(LINES):
            canvas.drawString(79, 730 - row * 28.9, text[row * per_line : (row + 1) * per_line])
        canvas.showPage()
    canvas.save()


def pypdfium2_text(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        page.get_textpage().get_text_range()
    count = len(pdf)
    pdf.close()
    return count


def pdfplumber_text(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pdfminer_only(data: bytes) -> int:
    pdfminer_text(io.BytesIO(data))
    return 0


def secscreen_pdf(data: bytes) -> int:
    document = extract(data, "bench.pdf")
    assert not document.issues, document.issues
    return document.page_count or 0


CANDIDATES: dict[str, Callable[[bytes], int]] = {
    "secscreen PdfExtractor (full: positions, hidden, metadata)": secscreen_pdf,
    "pypdfium2 get_text_range (plain text)": pypdfium2_text,
    "pdfplumber extract_text": pdfplumber_text,
    "pdfminer.six extract_text": pdfminer_only,
}


def measure(data: bytes, repeat: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in CANDIDATES}
    for _ in range(repeat):
        for name, run in CANDIDATES.items():
            started = time.perf_counter()
            run(data)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    documents = {"cid": ("STSong-Light", CHINESE, 28)}
    if DEJAVU.exists():
        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
        documents["ttf"] = ("DejaVu", LATIN, 56)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for key, (font, line, per_line) in documents.items():
            path = Path(tmp) / f"bench-{key}.pdf"
            make_pdf(path, args.pages, font, line, per_line)
            results[key] = measure(path.read_bytes(), args.repeat)
    header = "| extractor | " + " | ".join(f"{key} pages/s" for key in results) + " |"
    print(f"{args.pages} pages, median of {args.repeat} interleaved runs")
    print(header)
    print("|" + "---|" * (len(results) + 1))
    for name in CANDIDATES:
        cells = " | ".join(f"{args.pages / results[key][name]:,.0f}" for key in results)
        print(f"| {name} | {cells} |")


if __name__ == "__main__":
    main()
