"""`gongkai score` over many generated reports: reports per second and peak memory.

    .venv/bin/python benchmarks/bench_score.py                 # 250 and 1,000 reports, text and HTML, to CSV
    .venv/bin/python benchmarks/bench_score.py --sizes 1000 --formats text --jobs 2
    .venv/bin/python benchmarks/bench_score.py --outputs xlsx,csv # also write the Excel workbook

Reports are consistent documents from `gongkai.testing.reports()` (Hypothesis), written as text
with `gongkai.testing.report_text` and, when `gongkai.testing.html.to_html` exists, as agency web
pages. Hypothesis takes ~70 ms to draw one document, so a few hundred distinct documents are drawn
and each file varies one of them (its own issuing body and title): every file is distinct, the
figures repeat. The command itself runs as a subprocess, exactly as an evaluator runs it
(`gongkai score DIR -o results.csv -j N -q`, with `--outputs` choosing the files written); the time
includes writing them. Writing the Excel workbook (openpyxl, ~240 columns a row) is measured apart,
because it is a fixed cost of the output, not of scoring.

Memory: while it runs, the resident set size (RSS) of the command and of each worker process is
sampled from /proc every 20 ms; the table gives the largest sum over the whole process tree and
the largest single process. Flat memory shows as the same peaks for 250 and 1,000 reports.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_TEXT = 300.0      # reports per second for text on 2 cores (issue 6)
GONGKAI = Path(sys.executable).with_name("gongkai")


def draw_documents(n: int) -> list[dict]:
    from hypothesis import HealthCheck, Phase, given, settings

    from gongkai.testing import reports

    docs: list[dict] = []

    @settings(max_examples=n, database=None, derandomize=True, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(reports())
    def collect(doc):
        docs.append(doc)

    collect()
    return docs


def variant(doc: dict, i: int) -> dict:
    body = f"{doc['meta']['issuing_body']}第{i}分局"
    meta = {**doc["meta"], "issuing_body": body, "title": f"{body}{doc['meta']['report_year']}年政府信息公开工作年度报告"}
    return {**doc, "meta": meta}


def write_corpus(folder: Path, fmt: str, n: int, docs: list[dict]) -> None:
    from gongkai.testing import report_text

    folder.mkdir(parents=True)
    for i in range(n):
        doc = variant(docs[i % len(docs)], i)
        if fmt == "text":
            (folder / f"{i:05d}.txt").write_text(report_text(doc), encoding="utf-8")
        else:
            from gongkai.testing.html import to_html
            (folder / f"{i:05d}.html").write_bytes(to_html(doc, encoding="gbk" if i % 2 else "utf-8"))


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_score(folder: Path, jobs: int, out: Path, outputs: list[str]) -> dict:
    files = [a for ext in outputs for a in ("-o", str(out / f"results.{ext}"))]
    if "csv" not in outputs:
        files += ["-o", str(out / "results.csv")]   # the row count below reads it
    cmd = [str(GONGKAI), "score", str(folder), *files, "-j", str(jobs), "-q"]
    peaks = {"tree": 0, "single": 0, "processes": 0}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample():
        while not done.is_set():
            sizes = [_rss_kib(p) for p in _tree(proc.pid)]
            peaks["tree"] = max(peaks["tree"], sum(sizes))
            peaks["single"] = max(peaks["single"], max(sizes, default=0))
            peaks["processes"] = max(peaks["processes"], len(sizes))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    # The command's workers are reaped by it, so their CPU time is in its children's usage, and so in ours.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"gongkai score failed ({proc.returncode}): {err.decode()}")
    rows = sum(1 for _ in open(out / "results.csv", encoding="utf-8-sig")) - 1
    return {"seconds": elapsed, "cpu": cpu, "rows": rows, **peaks}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="250,1000", help="numbers of reports, comma-separated")
    ap.add_argument("--formats", default="text,html", help="text and/or html")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--distinct", type=int, default=200, help="distinct documents drawn by Hypothesis")
    ap.add_argument("--outputs", default="csv", help="output files to write: csv, jsonl and/or xlsx")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    if "html" in formats:
        try:
            from gongkai.testing.html import to_html  # noqa: F401
        except ImportError:
            print("gongkai.testing.html.to_html 不存在：跳过 HTML。")
            formats.remove("html")

    t = time.perf_counter()
    docs = draw_documents(min(args.distinct, max(sizes)))
    print(f"drew {len(docs)} documents in {time.perf_counter() - t:.1f} s; cores: {os.cpu_count()}, jobs: {args.jobs}; "
          f"outputs: {args.outputs}")
    print(f"load average before the run: {os.getloadavg()[0]:.2f} (other work on the machine slows the wall clock; "
          f"CPU seconds do not depend on it)")
    print(f"{'format':<6} {'reports':>7} {'seconds':>8} {'reports/s':>10} {'CPU s':>7} {'reports/CPU-s':>13} "
          f"{'peak RSS tree MiB':>18} {'peak RSS 1 proc MiB':>20} {'procs':>6}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        for fmt in formats:
            for n in sizes:
                folder = Path(tmp) / f"{fmt}-{n}"
                write_corpus(folder, fmt, n, docs)
                out = Path(tmp) / f"out-{fmt}-{n}"
                out.mkdir()
                r = run_score(folder, args.jobs, out, args.outputs.split(","))
                assert r["rows"] == n, r
                results[(fmt, n)] = r
                print(f"{fmt:<6} {n:>7} {r['seconds']:>8.2f} {n / r['seconds']:>10.1f} {r['cpu']:>7.1f} "
                      f"{n / r['cpu']:>13.1f} {r['tree'] / 1024:>18.1f} {r['single'] / 1024:>20.1f} {r['processes']:>6}")
    for fmt in formats:
        small, large = results[(fmt, min(sizes))], results[(fmt, max(sizes))]
        if len(sizes) > 1:
            print(f"{fmt}: peak RSS of the tree at {max(sizes)} vs {min(sizes)} reports: "
                  f"{large['tree'] / small['tree']:.2f}×")
    if "text" in formats:
        r = results[("text", max(sizes))]
        rate = max(sizes) / r["seconds"]
        ideal = max(sizes) / (r["cpu"] / min(args.jobs, os.cpu_count() or 1))
        print(f"text: {rate:.0f} reports/s with {args.jobs} jobs; {ideal:.0f} reports/s if the jobs had their cores "
              f"to themselves (target ≥ {TARGET_TEXT:.0f} on 2 cores): {'met' if rate >= TARGET_TEXT else 'NOT met'}")


if __name__ == "__main__":
    main()
