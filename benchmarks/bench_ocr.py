"""Seconds per scanned page read by OCR, full page and header crop, and the peak memory it costs.

    .venv/bin/python benchmarks/bench_ocr.py [--repeat 3]

A page in the GB/T 9704 shape is drawn with Pillow and a CJK font (Debian: fonts-wqy-zenhei): a
机密★10年 stamp at the top left, a title and 22 lines of body text. Rows:
- ``engine load``: importing rapidocr and creating the engine (once per process);
- ``page @ N dpi``: ``ocr.ocr_image`` on the whole A4 page drawn at N dpi;
- ``header crop``: the top quarter of the 200-dpi page only;
- ``pdf page``: ``extract()`` of the page as an image-only PDF (render at ``ocr.DPI`` + OCR + segments);
- ``stamp @ N px``: what OCR read for the stamp drawn N pixels high at 150 dpi (★ is the glyph at risk).
Medians of ``--repeat`` runs, wall and CPU (all threads); the peak is the process's VmHWM (resident high-water mark) at the end.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from secscreen.extract import extract, ocr
from secscreen.extract.base import Limits

FONT = next(Path("/usr/share/fonts").rglob("wqy-zenhei.ttc"), None)
MARK = "机密★10年"
LINE = "各区县人民政府，市政府各部门：现将有关事项通知如下，请认真贯彻执行。"


def page(dpi: int, stamp_px: float = 0.0) -> Image.Image:
    if FONT is None:
        raise SystemExit("no CJK font: apt-get install fonts-wqy-zenhei")
    k = dpi / 72  # points -> pixels
    image = Image.new("L", (round(595 * k), round(842 * k)), 255)
    draw = ImageDraw.Draw(image)
    draw.text((80 * k, 60 * k), MARK, font=ImageFont.truetype(str(FONT), round(stamp_px or 16 * k)), fill=0)
    draw.text((150 * k, 140 * k), "关于加强安全生产工作的通知", font=ImageFont.truetype(str(FONT), round(22 * k)), fill=0)
    body = ImageFont.truetype(str(FONT), round(14 * k))
    for number in range(22):
        draw.text((80 * k, (200 + 26 * number) * k), LINE[: 28], font=body, fill=0)
    return image


def pdf_of(image: Image.Image) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    png = io.BytesIO()
    image.save(png, format="PNG")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, *A4)
    pdf.save()
    return out.getvalue()


def timed(repeat: int, run) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    """Median wall seconds and median CPU seconds (all threads: steadier on a loaded machine)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls):6.2f} s wall {statistics.median(cpus):6.2f} s cpu", result


def peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    ocr._engine()
    print(f"{'engine load':<22}{time.perf_counter() - started:6.2f} s wall   rss peak {peak_mb():6.0f} MB")
    for dpi in (150, 200, 300):
        image = page(dpi)
        seconds, lines = timed(args.repeat, lambda image=image: ocr.ocr_image(image))
        first = lines[0].text if lines else ""  # type: ignore[index, attr-defined]
        print(f"{f'page @ {dpi} dpi':<22}{seconds}   {len(lines):3d} lines, first {first!r}")  # type: ignore[arg-type]
    full = page(200)
    crop = full.crop((0, 0, full.width, full.height // 4))
    seconds, lines = timed(args.repeat, lambda: ocr.ocr_image(crop))
    print(f"{'header crop @ 200 dpi':<22}{seconds}   {[line.text for line in lines][:2]}")  # type: ignore[attr-defined]
    data = pdf_of(page(150))
    limits = Limits(isolate=False)
    seconds, document = timed(args.repeat, lambda: extract(data, "scan.pdf", limits))
    print(f"{'pdf page (extract)':<22}{seconds}   issues {[i.code for i in document.issues]}")  # type: ignore[attr-defined]
    for px in (14, 18, 24, 33):
        lines = ocr.ocr_image(page(150, stamp_px=px))
        print(f"{f'stamp @ {px} px':<22}{'':25}   read {lines[0].text if lines else ''!r}")
    print(f"{'peak memory':<22}{peak_mb():8.0f} MB (VmHWM, whole process)")


if __name__ == "__main__":
    main()
