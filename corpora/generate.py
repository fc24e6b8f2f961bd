"""Write the generated corpus: ``python -m corpora.generate`` (from the repository root).

Each module in ``GENERATORS`` has ``generate(out_dir) -> list[manifest entry]``; the entries of all of
them, sorted by file, become ``corpora/generated/manifest.json`` (file -> expected verdict, part,
rules, issue codes), which ``tests/test_generated_corpus.py`` checks.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

GENERATORS = ("office_docs", "pdf_docs")
OUT = Path(__file__).resolve().parent / "generated"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    entries: list[dict[str, object]] = []
    for name in GENERATORS:
        module = importlib.import_module(f"corpora.generators.{name}")
        entries += module.generate(OUT)
    entries.sort(key=lambda entry: str(entry["file"]))
    text = "[\n" + ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in entries) + "\n]\n"
    (OUT / "manifest.json").write_text(text, encoding="utf-8")
    print(f"{len(entries)} documents in {OUT}")


if __name__ == "__main__":
    main()
