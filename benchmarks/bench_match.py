"""Matcher throughput (MB/s of UTF-8 input) next to bare pyahocorasick ``iter()`` over the same keywords.

Usage: ``.venv/bin/python benchmarks/bench_match.py [--mb 4] [--runs 5] [--profile]``

Two texts: the public-law corpus (clean text that must pass; ``../shared/corpora/public-laws``) and
the same text with a candidate hit every ~40 characters (dense). Each law file is one segment, as a
TXT document would be. Rows, medians of ``--runs`` interleaved runs:

- bare AC: pyahocorasick ``iter()`` over the raw text with the rule set's compact keys (the yardstick)
- match stage: ``normalize()`` + ``Matcher.match()`` (automaton, skipped-character bound, jieba
  boundary checks, anchored patterns, validators)
- match only: ``Matcher.match()`` on text normalized beforehand
- no normalization: ``Matcher.match()`` on the raw text presented as its own folded and compact view
- rules stage: ``rules.evaluate()`` on the document (normalize + match + conditions + allow-lists), and
  the same with normalization replaced by the identity
- screening: ``pipeline.analyse()`` on each law file's bytes as a TXT document (extraction with
  charset detection, rules stage, verdict; no audit record), with and without normalization

Targets: match stage (automaton + boundary checks + patterns) ≥ 0.5 × bare AC throughput on clean
text (issue 2; printed with and without normalization); screening with normalization ≤ 2× screening
without it on clean text (issue 5; the match and rules stage ratios are printed too).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from secscreen.match.automaton import bare_counter
from secscreen.models import Document, Origin, Segment
from secscreen.normalize import Normalized, OffsetMap, normalize
from secscreen.pipeline import analyse
from secscreen.rules import compile_ruleset, evaluate, load_ruleset
from secscreen.rules.compiled import CompiledRuleSet

LAWS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "public-laws"
#: inserted into the dense text: real marks, boundary traps, keywords and anchors
DENSE_TERMS = [
    "机密★10年", "秘密", "危机密切", "手机密码", "内部资料", "涉密", "保密", "内部", "工作秘密", "此件不公开",
    "密级：公开", "绝密", "国家秘密", "商业秘密", "身份证号", "机 密", "機密★５年", "13800138000", "110105194912310021",
]


def clean_texts(megabytes: float) -> list[str]:
    budget = int(megabytes * 1_000_000)
    texts: list[str] = []
    for path in sorted(LAWS.glob("law-*.txt")):
        if budget <= 0:
            break
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        budget -= len(text.encode())
    if not texts:
        sys.exit(f"no corpus at {LAWS}")
    return texts


def dense_texts(texts: list[str], every: int = 40, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for text in texts:
        pieces = [text[i : i + every] for i in range(0, len(text), every)]
        out.append("".join(piece + rng.choice(DENSE_TERMS) for piece in pieces))
    return out


def raw_view(text: str) -> Normalized:
    """The text as its own folded and compact view: matching without normalization."""
    identity = OffsetMap(source_length=len(text))
    return Normalized(text, text, identity, text, identity, [])


def documents(texts: list[str]) -> list[Document]:
    return [Document(media_type="text/plain", segments=[Segment(text=t, origin=Origin(line=1))]) for t in texts]


def measures(texts: list[str], compiled: CompiledRuleSet) -> dict[str, Callable[[], object]]:
    matcher = compiled.matcher
    bare = bare_counter(matcher.automaton.keys())
    normalized = [normalize(t) for t in texts]
    raw = [raw_view(t) for t in texts]
    docs = documents(texts)

    files = [t.encode() for t in texts]

    def rules_without_normalization() -> object:
        with mock.patch("secscreen.rules.engine.normalize", raw_view):
            return [evaluate(d, compiled) for d in docs]

    def screening_without_normalization() -> object:
        with mock.patch("secscreen.rules.engine.normalize", raw_view):
            return [analyse(data, "law.txt", compiled) for data in files]

    return {
        "bare AC iter()": lambda: [bare(t) for t in texts],
        "match stage (normalize + match)": lambda: [matcher.match(normalize(t)) for t in texts],
        "match only (pre-normalized)": lambda: [matcher.match(n) for n in normalized],
        "match, no normalization": lambda: [matcher.match(r) for r in raw],
        "normalize only": lambda: [normalize(t) for t in texts],
        "rules stage (evaluate)": lambda: [evaluate(d, compiled) for d in docs],
        "rules stage, no normalization": rules_without_normalization,
        "screening (analyse, TXT bytes)": lambda: [analyse(data, "law.txt", compiled) for data in files],
        "screening, no normalization": screening_without_normalization,
    }


def timed(runs: int, named: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in named}
    for _ in range(runs):  # interleaved, so drift on a noisy machine hits every row alike
        for name, function in named.items():
            started = time.perf_counter()
            function()
            samples[name].append(time.perf_counter() - started)
    return samples


def report(label: str, megabytes: float, samples: dict[str, list[float]]) -> None:
    seconds = {name: statistics.median(values) for name, values in samples.items()}
    bare = seconds["bare AC iter()"]
    print(f"\n{label}: {megabytes:.2f} MB of UTF-8 (median of {len(samples['bare AC iter()'])} runs; min in brackets)")
    print(f"| {'measure':34} | {'seconds':>16} | {'MB/s':>8} | {'vs bare AC':>10} |")
    print(f"|{'-' * 36}|{'-' * 18}|{'-' * 10}|{'-' * 12}|")
    for name, value in seconds.items():
        both = f"{value:.3f} ({min(samples[name]):.3f})"
        print(f"| {name:34} | {both:>16} | {megabytes / value:8.2f} | {bare / value:10.2f} |")
    best = {name: min(values) for name, values in samples.items()}

    def ratio(numerator: str, denominator: str) -> str:
        """Median-based ratio, then the ratio of the best runs (steadier on a loaded machine)."""
        return f"{seconds[numerator] / seconds[denominator]:.2f} (best runs {best[numerator] / best[denominator]:.2f})"

    print(f"(a) match stage (automaton + boundary checks + patterns) / bare AC throughput: "
          f"{ratio('bare AC iter()', 'match only (pre-normalized)')}, target ≥ 0.5")
    print(f"    the same with normalization included: {ratio('bare AC iter()', 'match stage (normalize + match)')}")
    print(f"(b) screening time with / without normalization: "
          f"{ratio('screening (analyse, TXT bytes)', 'screening, no normalization')}, target ≤ 2")
    print(f"    rules stage: {ratio('rules stage (evaluate)', 'rules stage, no normalization')}")
    print(f"    match stage: {ratio('match stage (normalize + match)', 'match, no normalization')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="MB of law text to use (default 4)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure; the median is printed")
    parser.add_argument("--profile", action="store_true", help="cProfile the match stage on clean text instead")
    args = parser.parse_args()
    compiled = compile_ruleset(load_ruleset())
    clean = clean_texts(args.mb)
    compiled.matcher.match(normalize("机密★10年 危机密切"))  # load jieba before timing
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [evaluate(d, compiled) for d in documents(clean)])
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return
    for label, texts in (("clean law text", clean), ("dense hits (one every ~40 chars)", dense_texts(clean))):
        megabytes = sum(len(t.encode()) for t in texts) / 1_000_000
        report(label, megabytes, timed(args.runs, measures(texts, compiled)))


if __name__ == "__main__":
    main()
