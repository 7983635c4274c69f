"""What a worker process does with one check: read, check, grade and render, all in memory.

A job is a plain dict (it crosses a pipe between processes):

    report   {"name": str, "data": bytes}                 an uploaded file or pasted text
             {"name": str, "data": bytes, "json": True}   a report document posted as the JSON body
    prior    {"name": str, "data": bytes} or None         the previous year's report
    profile  {"name": str, "data": bytes} or None         a scoring profile (YAML)
    render   what to render besides the findings document: "html" (the annotated report), "csv"
             (the spreadsheet row), "page" (the result page of the form: the report with its downloads)

The reply is {"output": findings document, "html": page or None, "csv": row or None, "csp": the
Content-Security-Policy for the page}. Input the engine cannot check raises a GongkaiError, whose
Chinese message the server passes on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import yaml

from ..errors import ProfileError, UnreadableInput
from ..extraction import Extraction
from ..grading import Profile, parse_profile
from ..layout import SourceInfo
from ..pipeline import Checked, check_bytes, check_extraction, from_document
from ..plugins import Catalogue, load
from ..readers import ReadResult
from ..renderers import json as json_renderer
from . import pages

_catalogue: Catalogue | None = None
_plugins: tuple[str, ...] = ()


def catalogue() -> Catalogue:
    global _catalogue
    if _catalogue is None:
        _catalogue = load(select=_plugins)
    return _catalogue


def warm_up(plugins: tuple[str, ...] | list[str] = ()) -> None:
    """Load the rules (the plugins chosen with `gongkai -p NAME serve`) and the renderers once per
    worker, before the first request waits for them."""
    global _plugins, _catalogue
    _plugins, _catalogue = tuple(plugins), None
    catalogue()
    from ..renderers import html, spreadsheet  # noqa: F401


def profile_from(upload: dict[str, Any] | None) -> Profile | None:
    if upload is None:
        return None
    name = upload["name"]
    data: bytes = upload["data"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError(f"评分方案 {name} 不是 UTF-8 编码的文本。请另存为 UTF-8 后再试。") from None
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ProfileError(f"评分方案 {name} 不是有效的 YAML：{err}") from None
    except RecursionError:
        raise ProfileError(f"评分方案 {name} 嵌套过深，不是有效的评分方案。") from None
    return parse_profile(parsed, name)


class NotJSON(UnreadableInput):
    """The JSON body does not parse: a malformed request (400) rather than an unreadable report."""


def _from_json_body(report: dict[str, Any]) -> tuple[ReadResult, Extraction]:
    """A report document posted as the body: already parsed JSON, so no sniffing of its bytes."""
    data: bytes = report["data"]
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        raise NotJSON("请求体不是有效的 JSON。请发送符合 schemas/annual-report.schema.json 的年报文档，"
                      "或以 multipart/form-data 上传报告文件。") from None
    source = SourceInfo(report["name"], "json", hashlib.sha256(data).hexdigest(), len(data), "utf-8")
    return ReadResult(source, document=document), from_document(document, report["name"])


def check_job(job: dict[str, Any]) -> dict[str, Any]:
    cat = catalogue()
    profile = profile_from(job.get("profile"))
    report = job["report"]
    if report.get("json"):
        read, ex = _from_json_body(report)
        checked = check_extraction(read, ex, profile, cat)
    else:
        prior = job.get("prior")
        checked = check_bytes(report["data"], report["name"], profile, cat,
                              prior=(prior["data"], prior["name"]) if prior else None)
    wanted = job.get("render") or ()
    reply: dict[str, Any] = {"output": checked.output, "html": None, "csv": None, "csp": None}
    # Rendering happens here, in the worker, so that the server's event loop only moves bytes.
    if "html" in wanted or "page" in wanted:
        from ..renderers import html
        reply["html"] = html.render(checked.output, checked.report, cat)
    if "csv" in wanted or "page" in wanted:
        reply["csv"] = row_csv(checked, report["name"])
    if "page" in wanted:
        reply["html"] = pages.result_page(reply["html"], json_renderer.render(checked.output), reply["csv"],
                                          report["name"])
    if reply["html"] is not None:
        reply["csp"] = pages.csp_for_report(reply["html"])
    return reply


def row_csv(checked: Checked, file: str) -> str:
    """The spreadsheet row of this check (the same columns as `gongkai score -o x.csv`), with its header.

    It starts with a byte order mark, as the .csv files of `gongkai score` do, so that Excel opens
    the Chinese headers as UTF-8."""
    from ..renderers import spreadsheet

    row = spreadsheet.report_row(checked.output, checked.report, file)
    cols = spreadsheet.columns()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(cols)
    writer.writerow(["" if row.get(c) is None else row.get(c) for c in cols])
    return "\ufeff" + buf.getvalue()
