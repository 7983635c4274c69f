"""Reports per second for each input format: bytes read and extracted, on one core.

    .venv/bin/python benchmarks/bench_readers.py           # every format
    .venv/bin/python benchmarks/bench_readers.py docx      # only the named formats

Each format is a function of its own that returns the bytes of the reports it reads; the same
loop (`gongkai.readers.read_bytes` + `gongkai.extraction.extract`) times them all.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

from gongkai.extraction import extract
from gongkai.readers import read_bytes

ROOT = Path(__file__).resolve().parent.parent
SEED_EXPECTED = ROOT / "seeds" / "000_5c46bab77c95ce4d.expected.json"

# format -> (inputs builder, target in reports per second on one core, from issue 3)
CASES: dict[str, tuple[Callable[[], list[tuple[str, bytes]]], float]] = {}


def case(name: str, target: float):
    def register(fn: Callable[[], list[tuple[str, bytes]]]):
        CASES[name] = (fn, target)
        return fn
    return register


def seed_document() -> dict:
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


@case("text", target=200)
def text_inputs() -> list[tuple[str, bytes]]:
    """The seed as published (UTF-8 and GBK), and 20 generated reports in the seed's text layout."""
    import warnings

    from hypothesis.errors import NonInteractiveExampleWarning

    from gongkai.testing import report_text, reports
    seed = (ROOT / "seeds" / "000_5c46bab77c95ce4d.txt").read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        docs = [reports().example() for _ in range(20)]
    return [("seed.txt", seed.encode("utf-8")), ("seed-gbk.txt", seed.encode("gbk")),
            *((f"generated-{i}.txt", report_text(d).encode("utf-8")) for i, d in enumerate(docs))]


@case("docx", target=20)
def docx_inputs() -> list[tuple[str, bytes]]:
    from gongkai.testing.docx import to_docx
    doc = seed_document()
    return [("seed.docx", to_docx(doc)), ("seed-gridbefore.docx", to_docx(doc, grid_before=True))]


@case("html", target=100)
def html_inputs() -> list[tuple[str, bytes]]:
    """The seed (a real report, long prose) as an agency site page, in UTF-8 and in GBK declared gb2312."""
    from gongkai.testing.html import to_html
    doc = seed_document()
    return [("seed.html", to_html(doc)), ("seed-gbk.html", to_html(doc, encoding="gbk"))]


@case("html-generated", target=100)
def html_generated_inputs() -> list[tuple[str, bytes]]:
    """20 Hypothesis-generated reports as site pages (short prose, varied figures), half of them GBK."""
    import warnings

    from hypothesis.errors import NonInteractiveExampleWarning

    from gongkai.testing import reports
    from gongkai.testing.html import to_html
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        docs = [reports().example() for _ in range(20)]
    return [(f"generated-{i}.html", to_html(d, encoding="gbk" if i % 2 else "utf-8")) for i, d in enumerate(docs)]


@case("pdf", target=5)
def pdf_inputs() -> list[tuple[str, bytes]]:
    """The seed laid out as a published PDF (6 pages, table 三 across a page break)."""
    from gongkai.testing.pdf import to_pdf
    return [("seed.pdf", to_pdf(seed_document()))]


@case("pdf-real", target=5)
def pdf_real_inputs() -> list[tuple[str, bytes]]:
    """The real published PDF of the corpus (WPS export, 5 pages, fonts embedded)."""
    shared = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
    path = shared / "corpus" / "real-pdf-01.pdf"
    return [(path.name, path.read_bytes())]


def rate(inputs: list[tuple[str, bytes]], seconds: float = 5.0) -> float:
    """Reports read and extracted per second, measured over at least `seconds`."""
    for name, data in inputs:   # warm-up: imports, caches
        extract(read_bytes(data, name).layout)
    done = 0
    start = time.perf_counter()
    while True:
        for name, data in inputs:
            extract(read_bytes(data, name).layout)
            done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main(names: list[str]) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})   # one core, as the targets are stated
    for name in names or list(CASES):
        build, target = CASES[name]
        got = rate(build())
        verdict = "达标" if got >= target else "未达标"
        print(f"{name:6} {got:8.1f} 份/秒   目标 ≥ {target:g} 份/秒   {verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])
