"""The generated corpus (``python -m corpora.generate``): each marked part blocks and is named, twins pass,
broken inputs review with their own issue code, and the zip bomb costs little memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet

from .conftest import ROOT

GENERATED = ROOT / "corpora" / "generated"
MANIFEST = json.loads((GENERATED / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_generated_document_gets_its_expected_verdict(entry: dict, compiled: CompiledRuleSet) -> None:
    path = ROOT / "corpora" / entry["file"]
    result = analyse(path.read_bytes(), path.name, compiled)
    explain = [f.model_dump(mode="json") for f in result.findings] + [i.model_dump(mode="json") for i in result.issues]
    assert result.verdict.value == entry["expect"], explain
    found = [f for f in result.findings if not entry.get("rules") or f.rule_id in entry["rules"]]
    if entry.get("rules"):
        assert found, explain
    if "part" in entry:
        assert entry["part"] in {f.location.part.value for f in found}, explain
    if "page" in entry:
        assert entry["page"] in {f.location.page for f in found}, explain
    if "name" in entry:
        assert entry["name"] in {f.location.name for f in found}, explain
    if "path" in entry:
        assert entry["path"] in {f.location.path for f in found}, explain
    assert set(entry.get("issues", [])) <= {i.code for i in result.issues}, explain


def test_broken_inputs_each_have_a_distinct_issue_code() -> None:
    broken = [e for e in MANIFEST if e["expect"] == "review"]
    codes = {code for e in broken for code in e.get("issues", [])}
    assert {"encrypted", "unreadable", "empty", "image-content", "limit-exceeded", "unsupported-format"} <= codes


# peak resident memory of the probe itself: VmHWM starts afresh at exec (ru_maxrss would carry pytest's over)
BOMB_PROBE = """
import sys
from pathlib import Path
from secscreen.extract import extract
from secscreen.extract.base import Limits
data = open(sys.argv[1], "rb").read()
for limits in (Limits(isolate=False), Limits(isolate=False, max_ratio=1e9, max_inflated=10**12)):
    document = extract(data, "bomb.zip", limits)
    print(",".join(sorted(i.code for i in document.issues)))
status = open("/proc/self/status").read()
print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_zip_bomb_is_stopped_under_200_mb() -> None:
    bomb = GENERATED / "misc-zip-bomb.zip"
    assert bomb.stat().st_size < 1024 * 1024
    out = subprocess.run([sys.executable, "-c", BOMB_PROBE, str(bomb)], capture_output=True, text=True, check=True)
    default, relaxed, peak_mb = out.stdout.split()
    assert default == relaxed == "limit-exceeded"
    assert int(peak_mb) < 200


def test_office_corpus_is_reproducible(tmp_path: Path) -> None:
    """Regenerating gives the committed bytes: the samples are what the generator says they are."""
    from corpora.generators import office_docs

    entries = office_docs.generate(tmp_path)
    changed = [e["file"] for e in entries
               if (tmp_path / Path(str(e["file"])).name).read_bytes() != (ROOT / "corpora" / str(e["file"])).read_bytes()]
    assert changed == []
    assert {e["file"] for e in entries} <= {e["file"] for e in MANIFEST}
