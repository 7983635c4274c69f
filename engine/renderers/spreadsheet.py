"""Rows for evaluators: one row per report, one row per finding, written as .xlsx, .csv or .jsonl.

A row carries the report's identity, its score and counts, and every table cell of the national
format under a Chinese header (`表三/一、本年新收政府信息公开申请数量/自然人`, from
`nationalformat.all_cells()`). A report that could not be read is a row with its error.

All three formats use the same headers, in the same order, and hold no timestamps, so the same
inputs give the same bytes: the .xlsx is re-packed without the zip's file times and without the
workbook's created/modified stamps. Every writer writes beside its target and renames, so an
output file is either the old one or the whole new one, never half of one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import zipfile
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .. import __version__, nationalformat as nf
from ..api import CATEGORIES, SEVERITIES, SEVERITY_NAMES
from ..checking import ENGINE_CATEGORY
from ..document import Report

FILE = "文件"
ERROR = "读取错误"
TOOL = "工具版本"
PROFILE = "评分方案"
META_COLUMNS: tuple[str, ...] = (
    FILE, "标题", "发布机关", "层级", "年度", "格式版本", "得分", "等级", "结论",
    *(f"{c}得分" for c in CATEGORIES),
    *(SEVERITY_NAMES[s] for s in SEVERITIES),
    *(f"{c}问题" for c in (*CATEGORIES, ENGINE_CATEGORY)),
    "未能评估", "未找到", ERROR, "SHA-256", TOOL, PROFILE,
)
FINDING_COLUMNS: tuple[str, ...] = (FILE, "编号", "规则", "严重程度", "类别", "说明", "位置", "行", "页", "JSON 位置",
                                    "建议", "指纹")
EXTENSIONS = (".xlsx", ".csv", ".jsonl")


def cell_header(spec: nf.CellSpec) -> str:
    return f"表{spec.table}/{spec.row}/{spec.column}"


@cache
def columns() -> tuple[str, ...]:
    return META_COLUMNS + tuple(cell_header(s) for s in nf.all_cells())


def profile_label(profile: dict[str, Any]) -> str:
    return " ".join(x for x in (profile.get("name"), profile.get("version")) if x)


def _level(body: str | None) -> str | None:
    """The body's level (省级/市级/县级/乡级) from the classifier of issuing bodies in the built-in rules;
    empty when the name does not say (a bare "XX市" may be a prefecture or a county-level city)."""
    if not body:
        return None
    try:
        from gongkai_rules.bodies import classify
    except ImportError:      # the engine without the built-in rules installed
        return None
    found = classify(body)
    return found.level if found is not None else None


def _cell_value(cell) -> Any:
    if cell is None:
        return None
    if cell.value is not None:
        return cell.value
    raw = (cell.raw or "").strip()
    return raw or None          # a placeholder such as "/" is shown as written, never as 0


def report_row(output: dict[str, Any], report: Report, file: str) -> dict[str, Any]:
    rep, score = output["report"], output["score"]
    by_cat = {c: 0 for c in (*CATEGORIES, ENGINE_CATEGORY)}
    for f in output["findings"]:
        by_cat[f["category"]] = by_cat.get(f["category"], 0) + 1
    cat_scores = {c["name"]: c["score"] for c in score["categories"]}
    row: dict[str, Any] = {
        FILE: file, "标题": rep.get("title"), "发布机关": rep.get("issuing_body"),
        "层级": _level(rep.get("issuing_body")), "年度": rep.get("report_year"),
        "格式版本": rep.get("template_version"), "得分": score["score"], "等级": score["grade"], "结论": score["verdict"],
        **{f"{c}得分": cat_scores.get(c) for c in CATEGORIES},
        **{SEVERITY_NAMES[s]: score["counts"].get(s, 0) for s in SEVERITIES},
        **{f"{c}问题": by_cat.get(c, 0) for c in (*CATEGORIES, ENGINE_CATEGORY)},
        "未能评估": len(score.get("not_assessed") or []), "未找到": "；".join(rep.get("missing") or []) or None,
        ERROR: None, "SHA-256": rep.get("sha256"), TOOL: f"gongkai {output['tool']['version']}",
        PROFILE: profile_label(score.get("profile") or {}),
    }
    for spec, cell in report.cells():
        row[cell_header(spec)] = _cell_value(cell)
    return row


def error_row(file: str, message: str, sha256: str | None, profile: str) -> dict[str, Any]:
    row = dict.fromkeys(columns())
    row.update({FILE: file, ERROR: message, "SHA-256": sha256, TOOL: f"gongkai {__version__}", PROFILE: profile})
    return row


def finding_rows(output: dict[str, Any], file: str) -> list[dict[str, Any]]:
    rows = []
    for f in output["findings"]:
        loc = f.get("location") or {}
        src = loc.get("source") or {}
        rows.append({FILE: file, "编号": f["code"], "规则": f.get("name"), "严重程度": SEVERITY_NAMES[f["severity"]],
                     "类别": f["category"], "说明": f["message"], "位置": loc.get("label"), "行": src.get("line"),
                     "页": src.get("page"), "JSON 位置": loc.get("pointer"), "建议": f.get("fix"),
                     "指纹": f["fingerprint"]})
    return rows


# -- writers -----------------------------------------------------------------------------------------

def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def _commit(tmp: Path, path: Path) -> None:
    os.replace(tmp, path)


def _width(text: str) -> float:
    # Excel's width unit is about one Latin digit; a Chinese character takes about two.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


class XlsxWriter:
    """A streaming workbook (openpyxl write-only mode): sheets 评分结果, 问题清单 and 说明.

    Rows are appended as they come, so memory does not grow with the number of reports."""

    def __init__(self, path: Path, meta: list[tuple[str, Any]] | None = None):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.path = path
        self._cell = WriteOnlyCell
        self._letter = get_column_letter
        self._head_font = Font(bold=True)
        self._head_fill = PatternFill("solid", fgColor="DDE6EF")
        self._head_align = Alignment(wrap_text=True, vertical="top")
        self.wb = Workbook(write_only=True)
        self.cols = columns()
        self.summary = self._sheet("评分结果", self.cols, "B2", widths={FILE: 36, "标题": 30, "发布机关": 22, ERROR: 40,
                                                                       "未找到": 24, "SHA-256": 18})
        self.findings = self._sheet("问题清单", FINDING_COLUMNS, "B2", widths={FILE: 36, "说明": 70, "位置": 36,
                                                                             "建议": 40, "JSON 位置": 30})
        self.info = self.wb.create_sheet("说明")
        self.info.column_dimensions["A"].width = 16
        self.info.column_dimensions["B"].width = 80
        if meta is not None:
            self.add_meta(meta)

    def add_meta(self, meta: list[tuple[str, Any]]) -> None:
        """The 说明 sheet's rows; may come after the other sheets' rows (write-only sheets are separate files)."""
        for k, v in meta:
            self.info.append([k, v])

    def _sheet(self, title: str, cols: tuple[str, ...], freeze: str, widths: dict[str, float]):
        ws = self.wb.create_sheet(title)
        for i, c in enumerate(cols, 1):
            # Cell columns have long headers: wrap them rather than making every column wide.
            ws.column_dimensions[self._letter(i)].width = widths.get(c, min(max(_width(c), 6) + 2, 14))
        ws.freeze_panes = freeze
        ws.auto_filter.ref = f"A1:{self._letter(len(cols))}1"
        head = []
        for c in cols:
            cell = self._cell(ws, value=c)
            cell.font, cell.fill, cell.alignment = self._head_font, self._head_fill, self._head_align
            head.append(cell)
        ws.append(head)
        return ws

    def add(self, row: dict[str, Any], findings: Iterable[dict[str, Any]]) -> None:
        self.summary.append([row.get(c) for c in self.cols])
        for f in findings:
            self.findings.append([f.get(c) for c in FINDING_COLUMNS])

    def discard(self) -> None:
        """Give up: finish the sheets' temporary files so that nothing is left open."""
        for ws in self.wb.worksheets:
            try:
                ws.close()
            except Exception:  # already closed, or broken by the error that brought us here
                pass

    def close(self) -> None:
        tmp = _part(self.path)
        try:
            self.wb.save(tmp)
            _repack(tmp)
            _commit(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)


_STAMP = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _repack(path: Path) -> None:
    """Drop every time stamp from the workbook (zip entry times, created/modified), for reproducibility.
    Entries are streamed from one zip to the other, so a large sheet is never held in memory."""
    packed = path.with_name(path.name + ".zip")
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as dst:
            for entry in src.infolist():
                info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                if entry.filename == "docProps/core.xml":
                    dst.writestr(info, _STAMP.sub(b"", src.read(entry)))
                    continue
                with src.open(entry) as fin, dst.open(info, "w") as fout:
                    shutil.copyfileobj(fin, fout, 1 << 20)
        os.replace(packed, path)
    finally:
        packed.unlink(missing_ok=True)


def write_all(paths: list[Path], items: Iterator[tuple[dict[str, Any], list[dict[str, Any]]]],
              meta: list[tuple[str, Any]] | Callable[[], list[tuple[str, Any]]],
              stdout: io.TextIOBase | None = None) -> None:
    """Stream (row, findings) pairs into every requested output at once (by extension), or JSONL on stdout.

    `meta` (the workbook's 说明 sheet) may be a callable, asked once every row has been written: what
    it says (how many reports failed, say) may only be known by then, and reading the rows twice to
    learn it first would double the parent's work at the end of a batch."""
    xlsx = [XlsxWriter(p) for p in paths if p.suffix.lower() == ".xlsx"]
    cols = columns()
    opened = []
    try:
        for p in paths:
            suffix = p.suffix.lower()
            if suffix == ".csv":
                fh = open(_part(p), "w", encoding="utf-8-sig", newline="")
                opened.append((p, fh, csv.writer(fh), "csv"))
                opened[-1][2].writerow(cols)
            elif suffix == ".jsonl":
                fh = open(_part(p), "w", encoding="utf-8", newline="\n")
                opened.append((p, fh, None, "jsonl"))
        for row, findings in items:
            for x in xlsx:
                x.add(row, findings)
            for _, fh, w, kind in opened:
                if kind == "csv":
                    w.writerow(["" if row.get(c) is None else row.get(c) for c in cols])
                else:
                    fh.write(json.dumps({c: row.get(c) for c in cols}, ensure_ascii=False) + "\n")
            if stdout is not None:
                stdout.write(json.dumps({c: row.get(c) for c in cols}, ensure_ascii=False) + "\n")
        if xlsx:
            info = meta() if callable(meta) else meta
            for x in xlsx:
                x.add_meta(info)
        for p, fh, _, _ in opened:
            fh.close()
            _commit(_part(p), p)
        for x in xlsx:
            x.close()
    except BaseException:
        for x in xlsx:
            x.discard()
        raise
    finally:
        for p, fh, _, _ in opened:
            fh.close()
            _part(p).unlink(missing_ok=True)
