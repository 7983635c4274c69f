"""One self-contained HTML page for an agency checking its draft.

The page shows the score card, the findings grouped by category and severity, the report's three
tables redrawn from the national format with every cell a finding names highlighted (and its
expected value), the prose with the quoted sentences marked, and the documentation of every rule.

Everything is built as an element tree with lxml and serialised by it, so every string taken from
the report (prose, cell text, file names, messages quoting the report) is escaped by construction:
a report containing `<script>` shows the characters and runs nothing. The only raw text on the page
is our own CSS. There are no external fetches, and nothing needs JavaScript: the severity filters
are checkboxes read by CSS `:has()`.

The renderer only lays out the findings document; it never re-runs a check. The one sum it does is
to turn an arithmetic finding's evidence (the stated value minus the difference) into the value the
named cell should hold, when that cell is one of several terms on the stated side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from lxml import html as lxml_html
from lxml.html.builder import E as _maker

from .. import nationalformat as nf
from ..api import CATEGORIES, SEVERITIES, SEVERITY_NAMES
from ..checking import ENGINE_CATEGORY
from ..document import Report
from ..plugins import Catalogue, load
from .location import describe

_STATUS_NAMES = {"passed": "通过", "failed": "未通过", "not_assessed": "未能评估", "error": "运行出错"}
# The evidence a reader can use, in their words; other keys (a rule's own bookkeeping) stay in the
# JSON output, since an English key on the page would help nobody.
_EVIDENCE_NAMES = {"quote": "原文", "statement": "文中说法", "stated": "文中数字", "expected": "应为", "actual": "实为",
                   "difference": "相差", "found": "找到", "missing": "缺少", "exception": "异常"}
# Characters XML cannot hold (lxml refuses them); a PDF or a pasted page may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _s(value: Any) -> str:
    return _NOT_XML.sub("", value if isinstance(value, str) else str(value))


def h(tag: str, attrs: dict[str, Any] | None = None, *children: Any):
    """An element; strings become escaped text, None children are dropped, lists are flattened."""
    el = _maker(tag)
    for k, v in (attrs or {}).items():
        if v is not None and v is not False:
            el.set(k, _s(v))
    _append(el, children)
    return el


def _append(el, children: Iterable[Any]) -> None:
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, (list, tuple)):
            _append(el, child)
        elif isinstance(child, (str, int, float)):
            text = _s(child)
            if len(el):
                last = el[-1]
                last.tail = (last.tail or "") + text
            else:
                el.text = (el.text or "") + text
        else:
            el.append(child)


def num(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def cell_id(pointer: str) -> str:
    return "c" + pointer.replace("/", "-")


def text_id(pointer: str) -> str:
    return "t" + pointer.replace("/", "-")


# -- what the findings say about each place ---------------------------------------------------------

@dataclass
class Mark:
    """What the findings say about one cell."""

    severity: str
    role: str                                   # "primary": the finding's own place; "term": part of its sum
    findings: list[int] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _worse(a: str, b: str) -> str:
    return a if SEVERITIES.index(a) <= SEVERITIES.index(b) else b


def _expected_for(f: dict[str, Any], pointer: str) -> str | None:
    """The value the finding's evidence implies for its own cell, or None when it implies none."""
    ev = f.get("evidence") or {}
    if "expected" not in ev:
        return None
    actual_terms = ev.get("actual_terms") or []
    expected_terms = ev.get("expected_terms") or []
    if not actual_terms and not expected_terms:
        return num(ev["expected"]) if isinstance(ev["expected"], (int, float)) else None
    if len(actual_terms) == 1 and actual_terms[0].get("pointer") == pointer:
        return num(ev["expected"])
    diff = ev.get("difference")
    for terms, sign in ((actual_terms, -1), (expected_terms, 1)):
        for t in terms:
            if t.get("pointer") == pointer and isinstance(t.get("value"), (int, float)) and isinstance(diff, (int, float)):
                value = t["value"] + sign * diff
                return num(round(value, 6) if isinstance(value, float) else value)
    return None


def cell_marks(findings: list[dict[str, Any]]) -> dict[str, Mark]:
    cells = nf.cell_by_pointer()
    marks: dict[str, Mark] = {}
    for i, f in enumerate(findings, 1):
        loc = f.get("location") or {}
        primary = loc.get("pointer")
        pointers = loc.get("pointers") or ([primary] if primary else [])
        for p in pointers:
            if p not in cells:
                continue
            role = "primary" if p == primary else "term"
            m = marks.get(p)
            if m is None:
                m = marks[p] = Mark(f["severity"], role)
            else:
                m.severity = _worse(m.severity, f["severity"])
                if role == "primary":
                    m.role = "primary"
            if i not in m.findings:
                m.findings.append(i)
            if role == "primary":
                exp = _expected_for(f, p)
                if exp is not None and exp not in m.expected:
                    m.expected.append(exp)
                m.notes.append(f"{f['code']} {f['message']}")
            else:
                m.notes.append(f"{f['code']}（涉及此格）{f['message']}")
    return marks


@dataclass
class Span:
    start: int
    end: int
    kind: str              # a severity, or "note" for what a passing rule found
    ref: str               # the anchor it links to
    title: str


def text_spans(output: dict[str, Any]) -> dict[str, list[Span]]:
    """Marked ranges per text pointer: the sentences findings quote, and what passing rules found."""
    spans: dict[str, list[Span]] = {}
    for i, f in enumerate(output["findings"], 1):
        loc = f.get("location") or {}
        if loc.get("span") and loc.get("pointer"):
            a, b = loc["span"]
            spans.setdefault(loc["pointer"], []).append(Span(a, b, f["severity"], f"f{i}", f"{f['code']} {f['message']}"))
    for r in output["rules"]:
        for n in r.get("notes") or []:
            loc = n.get("location") or {}
            if loc.get("span") and loc.get("pointer"):
                a, b = loc["span"]
                spans.setdefault(loc["pointer"], []).append(Span(a, b, "note", f"rule-{r['code']}", f"{r['code']} {n['note']}"))
    return spans


def place_findings(findings: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Findings by the part, table or text they point at without a cell or a span (e.g. a missing part)."""
    cells = nf.cell_by_pointer()
    out: dict[str, list[int]] = {}
    for i, f in enumerate(findings, 1):
        p = (f.get("location") or {}).get("pointer")
        if not p or p in cells:
            continue
        if (f.get("location") or {}).get("span"):
            continue
        m = re.match(r"^/(parts/[a-z_]+|tables/t[234]|preamble)", p)
        if m:
            out.setdefault("/" + m.group(1), []).append(i)
    return out


# -- page pieces -----------------------------------------------------------------------------------

def _sev_badge(severity: str):
    return h("span", {"class": f"badge sev-{severity}"}, SEVERITY_NAMES.get(severity, severity))


def _finding_refs(numbers: list[int]):
    return h("span", {"class": "refs"}, [h("a", {"href": f"#f{n}", "class": "ref"}, f"#{n}") for n in numbers])


def _header(output: dict[str, Any]):
    rep = output["report"]
    title = rep.get("title") or rep["file"]
    meta = [("文件", rep["file"])]
    if rep.get("issuing_body"):
        meta.append(("发布机关", rep["issuing_body"]))
    if rep.get("report_year"):
        meta.append(("年度", str(rep["report_year"])))
    if rep.get("template_version"):
        meta.append(("格式", {"2021": "2021 年格式", "2019": "2019 年试行格式"}.get(rep["template_version"], "未能判断")))
    return h("header", {"class": "top"},
             h("p", {"class": "kicker"}, "政府信息公开工作年度报告 · 合规检查"),
             h("h1", None, title),
             h("dl", {"class": "meta"}, [(h("dt", None, k), h("dd", None, v)) for k, v in meta]))


def _score_card(output: dict[str, Any]):
    score = output["score"]
    counts = score["counts"]
    verdict_class = {"通过": "ok", "需整改": "bad", "无法评定": "unknown"}.get(score["verdict"], "unknown")
    cats = []
    for c in score["categories"]:
        pct = max(0.0, min(100.0, float(c["score"])))
        cats.append(h("div", {"class": "cat"},
                      h("div", {"class": "cat-head"}, h("span", None, c["name"]),
                        h("span", {"class": "cat-score"}, f"{num(c['score'])}"),
                        h("span", {"class": "cat-weight"}, f"权重 {num(c['weight'])}")),
                      h("div", {"class": "bar", "role": "img", "aria-label": f"{c['name']} {num(c['score'])} 分"},
                        h("span", {"style": f"width:{pct:.1f}%"}))))
    profile = score.get("profile") or {}
    prof_text = " ".join(x for x in (profile.get("name"), profile.get("version")) if x)
    return h("section", {"class": "card", "id": "score", "aria-label": "评分"},
             h("div", {"class": "score-main"},
               h("div", {"class": "score-num", "data-score": num(score["score"])}, num(score["score"]),
                 h("small", None, f" / {num(score['max'])}")),
               h("div", {"class": "grade", "data-grade": score["grade"]}, score["grade"]),
               h("div", {"class": f"verdict {verdict_class}"}, score["verdict"])),
             h("div", {"class": "cats"}, cats),
             h("div", {"class": "counts"},
               [h("a", {"class": f"count sev-{s}", "href": "#findings"}, f"{SEVERITY_NAMES[s]} {counts.get(s, 0)}")
                for s in SEVERITIES],
               h("span", {"class": "count na"}, f"未能评估 {len(score.get('not_assessed') or [])}")),
             h("p", {"class": "profile"}, f"评分方案：{prof_text}" if prof_text else None,
               f"　检查工具：gongkai {output['tool']['version']}"))


def _missing_notes(output: dict[str, Any]):
    rep = output["report"]
    items = []
    if rep.get("missing"):
        items.append(h("li", None, h("strong", None, "未找到："), "；".join(rep["missing"])))
    for note in rep.get("notes") or []:
        items.append(h("li", None, h("strong", None, "说明："), note))
    na = output["score"].get("not_assessed") or []
    unjudged = None
    if na:
        # Often a long list of one reason (no prior-year report given): folded unless short.
        unjudged = h("details", {"class": "na", "open": "open" if len(na) <= 3 else None},
                     h("summary", None, f"未能评估的检查（{len(na)} 项）：所需内容未找到、无法识别，或需要上一年度的报告"),
                     h("ul", None, [h("li", None, h("a", {"href": f"#rule-{n['code']}"}, n["code"]),
                                      f" {n.get('name', '')}：{n['reason']}") for n in na]))
    if not items and unjudged is None:
        return None
    return h("section", {"class": "card notes"}, h("h2", None, "读取与评估说明"),
             h("ul", None, items) if items else None, unjudged)


def _evidence(f: dict[str, Any]):
    ev = f.get("evidence") or {}
    if not ev:
        return None
    if "expected" in ev and "actual" in ev and ("expected_terms" in ev or "actual_terms" in ev):
        def terms(ts: list[dict[str, Any]]):
            return h("ul", {"class": "terms"}, [
                h("li", None, h("a", {"href": f"#{cell_id(t['pointer'])}"} if t.get("pointer") in nf.cell_by_pointer() else {},
                                t.get("label") or t.get("pointer", "")),
                  "：", h("b", None, num(t.get("value"))),
                  f"（原文第 {t['source']['line']} 行）" if (t.get("source") or {}).get("line") else None)
                for t in ts])
        return h("div", {"class": "evidence arith"},
                 h("p", {"class": "eq"},
                   h("span", {"class": "exp"}, f"应为 {num(ev['expected'])}"),
                   h("span", {"class": "act"}, f"实为 {num(ev['actual'])}"),
                   h("span", {"class": "diff"}, f"相差 {num(ev.get('difference'))}")),
                 h("p", {"class": "relation"}, f"关系：{ev['relation']}") if ev.get("relation") else None,
                 h("details", None, h("summary", None, "参与计算的单元格"),
                   h("div", {"class": "sides"},
                     h("div", None, h("h5", None, "应等于（各项之和）"), terms(ev.get("expected_terms") or [])),
                     h("div", None, h("h5", None, "报告所填"), terms(ev.get("actual_terms") or [])))))
    rows = []
    for k, v in ev.items():
        if k not in _EVIDENCE_NAMES:
            continue
        if isinstance(v, dict):
            v = "；".join(f"{_EVIDENCE_NAMES.get(a, a)} {b}" for a, b in v.items() if not isinstance(b, (dict, list)))
        elif isinstance(v, list):
            v = "、".join(_s(x) for x in v if not isinstance(x, (dict, list)))
        if v in ("", None):
            continue
        rows.append((h("dt", None, _EVIDENCE_NAMES.get(k, k)), h("dd", None, num(v) if isinstance(v, (int, float)) else v)))
    return h("dl", {"class": "evidence"}, rows) if rows else None


def _place(pointer: str) -> tuple[str, str | None]:
    """A readable name for a part, a table or the preamble, and the page anchor showing it."""
    m = re.match(r"^/parts/([a-z_]+)", pointer)
    if m:
        spec = next((p for p in nf.parts() if p.key == m.group(1)), None)
        if spec:
            return f"第{spec.number}部分“{spec.heading}”", f"part-{spec.key}"
    m = re.match(r"^/tables/(t[234])", pointer)
    if m:
        return f"表{nf.TABLE_NAMES[m.group(1)]}", f"table-{m.group(1)}"
    if pointer.startswith("/preamble"):
        return "引言", "part-preamble"
    if pointer.startswith("/meta"):
        return "报告信息", None
    return pointer, None


def _finding_item(i: int, f: dict[str, Any], rule_codes: set[str], anchors: set[str]):
    loc = f.get("location") or {}
    where = describe(loc)
    links = []
    cells = nf.cell_by_pointer()
    pointer = loc.get("pointer") or ""
    if pointer in cells:
        links.append(h("a", {"href": f"#{cell_id(pointer)}", "class": "goto"}, "在表中查看"))
    elif f"{text_id(pointer)}-{i}" in anchors:
        links.append(h("a", {"href": f"#{text_id(pointer)}-{i}", "class": "goto"}, "在原文中查看"))
    elif pointer:
        name, anchor = _place(pointer)
        if where == pointer:          # nothing better than the JSON Pointer: name the place instead
            where = name
        if anchor:
            links.append(h("a", {"href": f"#{anchor}", "class": "goto"}, "查看"))
    rule = f.get("rule") or f["code"]
    code = (h("a", {"href": f"#rule-{rule}", "class": "code"}, f["code"]) if rule in rule_codes
            else h("span", {"class": "code"}, f["code"]))
    return h("li", {"class": f"finding sev-{f['severity']}", "id": f"f{i}", "data-code": f["code"],
                    "data-severity": f["severity"], "data-fingerprint": f["fingerprint"]},
             h("div", {"class": "f-head"}, h("span", {"class": "f-num"}, f"#{i}"), _sev_badge(f["severity"]), code,
               h("span", {"class": "f-name"}, f.get("name") or "")),
             h("p", {"class": "msg"}, f["message"]),
             h("p", {"class": "where"}, "位置：", where, " ", links) if where or links else None,
             _evidence(f),
             h("p", {"class": "fix"}, h("strong", None, "建议："), f["fix"]) if f.get("fix") else None)


def text_anchors(output: dict[str, Any], report: Report) -> set[str]:
    """The ids the prose will carry for findings quoting it (a span outside its text gets none)."""
    texts = {"/preamble": report.document.get("preamble") or ""}
    texts.update({f"{p.pointer}/text": report.part_text(p.key) or "" for p in nf.parts()})
    out = set()
    for i, f in enumerate(output["findings"], 1):
        loc = f.get("location") or {}
        span, pointer = loc.get("span"), loc.get("pointer")
        if span and pointer in texts and 0 <= span[0] < span[1] <= len(texts[pointer]):
            out.add(f"{text_id(pointer)}-{i}")
    return out


def _findings(output: dict[str, Any], anchors: set[str]):
    findings = output["findings"]
    rule_codes = {r["code"] for r in output["rules"]}
    numbered = list(enumerate(findings, 1))
    filters = h("div", {"class": "filters", "role": "group", "aria-label": "按严重程度筛选"}, "显示：",
                [h("label", {"class": f"flt sev-{s}"},
                   h("input", {"type": "checkbox", "id": f"show-{s}", "checked": "checked"}), SEVERITY_NAMES[s])
                 for s in SEVERITIES])
    groups = []
    for cat in (*CATEGORIES, ENGINE_CATEGORY):
        in_cat = [(i, f) for i, f in numbered if f["category"] == cat]
        if not in_cat:
            continue
        blocks = []
        for sev in SEVERITIES:
            items = [(i, f) for i, f in in_cat if f["severity"] == sev]
            if items:
                blocks.append(h("div", {"class": f"sev-group sev-{sev}"},
                                h("h4", None, f"{SEVERITY_NAMES[sev]}（{len(items)}）"),
                                h("ol", {"class": "findings"}, [_finding_item(i, f, rule_codes, anchors) for i, f in items])))
        groups.append(h("section", {"class": "cat-group", "data-category": cat},
                        h("h3", None, f"{cat}（{len(in_cat)} 项）"), blocks))
    body = groups if groups else [h("p", {"class": "clean"}, "没有发现问题。")]
    return h("section", {"class": "card", "id": "findings"}, h("h2", None, f"发现的问题（{len(findings)} 项）"),
             filters if findings else None, body)


def _cell_td(spec: nf.CellSpec, report: Report, marks: dict[str, Mark]):
    cell = report.cell(spec.pointer)
    attrs: dict[str, Any] = {"id": cell_id(spec.pointer), "data-pointer": spec.pointer, "class": "v"}
    content: list[Any] = []
    titles = []
    if cell is None:
        attrs["data-state"] = "missing"
        attrs["class"] += " missing"
        content.append(h("span", {"class": "val"}, "未找到"))
    elif cell.value is None and not (cell.raw or "").strip():
        attrs["data-state"] = "blank"
        attrs["class"] += " blank"
    elif cell.value is None:
        attrs["data-state"] = "invalid"
        attrs["class"] += " invalid"
        content.append(h("span", {"class": "val"}, cell.raw))
    else:
        attrs["data-state"] = "value"
        content.append(h("span", {"class": "val"}, num(cell.value)))
        if cell.raw is not None and cell.raw.strip() and cell.raw.strip() != num(cell.value):
            titles.append(f"原文：{cell.raw}")
    if cell is not None and cell.source and cell.source.get("line"):
        titles.append(f"原文第 {cell.source['line']} 行")
    mark = marks.get(spec.pointer)
    if mark:
        attrs["class"] += f" hl sev-{mark.severity} {mark.role}"
        attrs["data-severity"] = mark.severity
        attrs["data-role"] = mark.role
        attrs["data-findings"] = " ".join(f"f{n}" for n in mark.findings)
        if mark.expected:
            attrs["data-expected"] = " ".join(mark.expected)
            content.append(h("span", {"class": "exp"}, "应为 " + " 或 ".join(mark.expected)))
        content.append(_finding_refs(mark.findings))
        titles.extend(mark.notes)
    if titles:
        attrs["title"] = "\n".join(titles)
    attrs["data-label"] = f"{spec.row} × {spec.column}"
    return h("td", attrs, content)


def _table_frame(table: str, report: Report, places: dict[str, list[int]], grid):
    tkey = nf.table_key(table)
    title = nf.schema()["properties"]["tables"]["properties"][tkey]["title"]
    refs = places.get(f"/tables/{tkey}")
    head = h("h3", {"id": f"table-{tkey}"}, f"表{table}　{title}", _finding_refs(refs) if refs else None)
    if not report.has_table(table):
        return h("section", {"class": "table-block"}, head,
                 h("p", {"class": "absent" + (" hl sev-error" if refs else ""), "data-state": "missing"},
                   f"报告中未找到表{table}。"))
    return h("section", {"class": "table-block"}, head, h("div", {"class": "scroll"}, grid))


def _t2(report: Report, marks: dict[str, Mark]):
    blocks = []
    rows = nf.table_rows("二")
    for group in dict.fromkeys(r.group for r in rows):
        in_group = [r for r in rows if r.group == group]
        cols = [c.column for c in in_group[0].cells]
        blocks.append(h("table", {"class": "grid t2"},
                        h("thead", None, h("tr", None, h("th", {"class": "corner", "scope": "col"}, group),
                                           [h("th", {"scope": "col"}, c) for c in cols])),
                        h("tbody", None, [h("tr", None, h("th", {"scope": "row"}, r.title),
                                            [_cell_td(c, report, marks) for c in r.cells]) for r in in_group])))
    return h("div", {"class": "t2-blocks"}, blocks)


def _t3(report: Report, marks: dict[str, Mark]):
    rows = nf.table_rows("三")
    defs = nf.schema()["$defs"]["t3_row"]["properties"]
    groups = [defs[k].get("x-group") for k in defs]
    top = []
    i = 0
    while i < len(groups):
        g = groups[i]
        if g is None:
            top.append(h("th", {"rowspan": "2", "scope": "col"}, defs[list(defs)[i]]["title"]))
            i += 1
        else:
            n = 1
            while i + n < len(groups) and groups[i + n] == g:
                n += 1
            top.append(h("th", {"colspan": str(n), "scope": "colgroup"}, g))
            i += n
    sub = [h("th", {"scope": "col"}, defs[k]["title"]) for k in defs if defs[k].get("x-group")]
    thead = h("thead", None, h("tr", None, h("th", {"colspan": "3", "rowspan": "2", "class": "corner"}), top),
              h("tr", None, sub))
    results_title = nf.schema()["properties"]["tables"]["properties"]["t3"]["properties"]["results"]["title"]
    in_results = [r for r in rows if r.pointer.startswith("/tables/t3/results/")]
    body = []
    seen_groups: set[str] = set()
    for r in rows:
        tr = h("tr", {"data-row": r.pointer})
        if r in in_results and r is in_results[0]:
            tr.append(h("th", {"rowspan": str(len(in_results)), "scope": "rowgroup", "class": "vgroup"}, results_title))
        if r not in in_results:
            tr.append(h("th", {"colspan": "3", "scope": "row"}, r.title))
        elif r.group is None:
            tr.append(h("th", {"colspan": "2", "scope": "row"}, r.title))
        else:
            if r.group not in seen_groups:
                seen_groups.add(r.group)
                size = sum(1 for x in in_results if x.group == r.group)
                tr.append(h("th", {"rowspan": str(size), "scope": "rowgroup", "class": "sgroup"}, r.group))
            tr.append(h("th", {"scope": "row", "class": "leaf"}, r.title))
        for c in r.cells:
            tr.append(_cell_td(c, report, marks))
        body.append(tr)
    return h("table", {"class": "grid t3"}, thead, h("tbody", None, body))


def _t4(report: Report, marks: dict[str, Mark]):
    rows = nf.table_rows("四")
    cols = [c.column for c in rows[0].cells]
    body = []
    seen: set[str] = set()
    for r in rows:
        tr = h("tr", {"data-row": r.pointer})
        if r.group is None:
            tr.append(h("th", {"colspan": "2", "scope": "row"}, r.title))
        else:
            if r.group not in seen:
                seen.add(r.group)
                tr.append(h("th", {"rowspan": str(sum(1 for x in rows if x.group == r.group)), "scope": "rowgroup"}, r.group))
            tr.append(h("th", {"scope": "row"}, r.title))
        for c in r.cells:
            tr.append(_cell_td(c, report, marks))
        body.append(tr)
    return h("table", {"class": "grid t4"},
             h("thead", None, h("tr", None, h("th", {"colspan": "2", "class": "corner"}), [h("th", {"scope": "col"}, c) for c in cols])),
             h("tbody", None, body))


def _tables(report: Report, output: dict[str, Any]):
    marks = cell_marks(output["findings"])
    places = place_findings(output["findings"])
    legend = h("p", {"class": "legend"},
               h("span", {"class": "sw hl sev-error primary"}, "有错误的单元格"),
               h("span", {"class": "sw hl sev-warning primary"}, "有警告的单元格"),
               h("span", {"class": "sw hl sev-error term"}, "参与计算的单元格"),
               h("span", {"class": "sw missing"}, "未找到"),
               h("span", {"class": "sw blank"}, "留空"))
    return h("section", {"class": "card", "id": "tables"}, h("h2", None, "三张统计表"),
             h("p", {"class": "hint"}, "按国家格式重绘。问题所在单元格按严重程度着色，并给出按勾稽关系应填的值；"
                                        "虚线框为参与同一关系计算的其他单元格。表四按“行政复议 / 行政诉讼”分行排列。"),
             legend,
             _table_frame("二", report, places, _t2(report, marks)),
             _table_frame("三", report, places, _t3(report, marks)),
             _table_frame("四", report, places, _t4(report, marks)))


def _marked_text(text: str, pointer: str, spans: list[Span]):
    """The text as paragraphs, with each marked range wrapped; overlapping ranges split at their edges."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    out = []
    offset = 0
    for para in text.split("\n"):
        start, end = offset, offset + len(para)
        offset = end + 1
        cuts = sorted({start, end, *(x for s in spans for x in (s.start, s.end) if start < x < end)})
        p = h("p", None)
        for a, b in zip(cuts, cuts[1:]):
            # Each finding gets its own landing point where its quote starts, even when quotes overlap.
            for s in spans:
                if s.start == a and s.ref.startswith("f"):
                    p.append(h("span", {"class": "anchor", "id": f"{text_id(pointer)}-{s.ref[1:]}"}))
            cover = [s for s in spans if s.start <= a and b <= s.end]
            piece = text[a:b]
            if not cover:
                _append(p, [piece])
                continue
            sev = [s.kind for s in cover if s.kind != "note"]
            kind = min(sev, key=SEVERITIES.index) if sev else "note"
            first = cover[0] if not sev else next(s for s in cover if s.kind == kind)
            attrs = {"class": f"q sev-{kind}" if kind != "note" else "q note", "title": "\n".join(s.title for s in cover),
                     "data-severity": kind if kind != "note" else None, "href": f"#{first.ref}"}
            p.append(h("a", attrs, piece))
        if len(p) or p.text:
            out.append(p)
    return out


def _prose(report: Report, output: dict[str, Any]):
    spans = text_spans(output)
    places = place_findings(output["findings"])
    blocks = []
    preamble = report.document.get("preamble")
    if preamble:
        blocks.append(h("section", {"class": "part", "id": "part-preamble"},
                        h("div", {"class": "text"}, _marked_text(preamble, "/preamble", spans.get("/preamble", [])))))
    present = report.document.get("parts", {})
    # As the report has them; parts it lacks follow, in the format's order.
    order = {p.key: i for i, p in enumerate(nf.parts())}
    ordered = sorted(nf.parts(), key=lambda p: (present[p.key]["position"] if p.key in present else 99, order[p.key]))
    for spec in ordered:
        refs = places.get(spec.pointer) or []
        part = present.get(spec.key)
        if part is None:
            blocks.append(h("section", {"class": "part absent" + (" hl sev-error" if refs else ""), "id": f"part-{spec.key}",
                                        "data-state": "missing"},
                            h("h3", None, spec.heading, _finding_refs(refs) if refs else None),
                            h("p", {"class": "absent"}, "报告中未找到这一部分。")))
            continue
        pointer = f"{spec.pointer}/text"
        heading = part.get("heading") or spec.heading
        text = part.get("text") or ""
        blocks.append(h("section", {"class": "part" + (" flagged" if refs else ""), "id": f"part-{spec.key}"},
                        h("h3", None, heading, _finding_refs(refs) if refs else None),
                        h("div", {"class": "text"}, _marked_text(text, pointer, spans.get(pointer, [])))
                        if text.strip() else h("p", {"class": "hint"}, "（本部分除表格外没有文字）")))
    legend = h("p", {"class": "legend"}, h("span", {"class": "q sev-error"}, "问题所引的句子"),
               h("span", {"class": "q sev-warning"}, "警告所引的句子"), h("span", {"class": "q note"}, "检查时找到的内容"))
    return h("section", {"class": "card", "id": "prose"}, h("h2", None, "报告正文"), legend, blocks)


def _rules(output: dict[str, Any], catalogue: Catalogue):
    by_code = {r.code: r for r in catalogue.rules}
    items = []
    for r in output["rules"]:
        rule = by_code.get(r["code"])
        examples = []
        if rule is not None:
            examples = [h("li", {"class": f"ex {e.kind}"}, h("b", None, "反例：" if e.kind == "bad" else "正例："), e.description)
                        for e in rule.examples]
        doc = rule.doc if rule is not None else ""
        items.append(h("article", {"class": f"rule st-{r['status']}", "id": f"rule-{r['code']}"},
                       h("h3", None, h("span", {"class": "code"}, r["code"]), " ", r["name"],
                         h("span", {"class": f"status st-{r['status']}"}, _STATUS_NAMES.get(r["status"], r["status"]))),
                       h("p", {"class": "rule-meta"}, f"类别：{r['category']}　严重程度：{SEVERITY_NAMES.get(r['severity'], r['severity'])}",
                         f"　依据：{rule.basis}" if rule is not None and rule.basis else None),
                       h("div", {"class": "doc"}, [h("p", None, para) for para in doc.split("\n\n") if para.strip()])
                       if doc else None,
                       h("ul", {"class": "examples"}, examples) if examples else None))
    return h("section", {"class": "card", "id": "rules"}, h("h2", None, "检查规则说明"), items)


def render(output: dict[str, Any], report: Report, catalogue: Catalogue | None = None) -> str:
    """The page for one checked report: the findings document plus the report it describes."""
    catalogue = catalogue or load()
    rep = output["report"]
    title = f"检查结果：{rep.get('title') or rep['file']}"
    nav = h("nav", {"class": "toc", "aria-label": "目录"},
            [h("a", {"href": f"#{a}"}, t) for a, t in
             (("score", "评分"), ("findings", "问题"), ("tables", "统计表"), ("prose", "正文"), ("rules", "规则说明"))])
    page = h("html", {"lang": "zh-CN"},
             h("head", None,
               h("meta", {"charset": "utf-8"}),
               h("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
               h("meta", {"name": "generator", "content": f"gongkai {output['tool']['version']}"}),
               h("title", None, title),
               h("style", None, CSS),
               # Printing opens the collapsed lists of terms, so that paper shows every cell of a sum.
               h("script", None, PRINT_JS)),
             h("body", None,
               _header(output), nav,
               h("main", None, _score_card(output), _missing_notes(output), _findings(output, text_anchors(output, report)),
                 _tables(report, output), _prose(report, output), _rules(output, catalogue)),
               h("footer", None, f"由 gongkai {output['tool']['version']} 生成，依据国办公开办函〔2021〕30号格式。"
                                 f"文件 SHA-256：{rep['sha256']}")))
    return lxml_html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode", method="html") + "\n"


PRINT_JS = "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})})"

CSS = """
:root{--err:#b3261e;--err-bg:#fde8e6;--warn:#8a5a00;--warn-bg:#fff1d0;--info:#1f5fa8;--info-bg:#e5effa;
--ok:#1d6b3a;--ok-bg:#e3f3e8;--ink:#1d232a;--mute:#5d6670;--line:#d9dee3;--bg:#f4f6f8;--card:#fff}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);line-height:1.65;font-size:15px;
font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei",system-ui,sans-serif}
a{color:#1f5fa8}
header.top{background:#17324d;color:#fff;padding:20px max(16px,calc((100% - 1080px)/2)) 16px}
header.top h1{margin:.2em 0 .4em;font-size:1.45rem;line-height:1.35}
.kicker{margin:0;opacity:.75;font-size:.85rem;letter-spacing:.05em}
dl.meta{display:flex;flex-wrap:wrap;gap:4px 20px;margin:0;font-size:.9rem}
dl.meta dt{opacity:.7}dl.meta dt::after{content:"："}dl.meta dd{margin:0 0 0 -18px;word-break:break-all}
nav.toc{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);
padding:8px max(16px,calc((100% - 1080px)/2));display:flex;gap:18px;overflow-x:auto;white-space:nowrap}
nav.toc a{text-decoration:none;font-weight:600;color:#17324d}
main{max-width:1080px;margin:0 auto;padding:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:0 0 16px}
h2{font-size:1.2rem;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid #17324d}
h3{font-size:1.05rem;margin:16px 0 8px}
h4{font-size:.95rem;margin:12px 0 6px}
#score{display:grid;grid-template-columns:minmax(180px,auto) 1fr;gap:12px 28px;align-items:center}
.score-main{text-align:center}
.score-num{font-size:3.2rem;font-weight:700;line-height:1}
.score-num small{font-size:1rem;color:var(--mute);font-weight:400}
.grade{font-size:1.4rem;font-weight:700;margin-top:6px}
.verdict{display:inline-block;margin-top:6px;padding:2px 14px;border-radius:999px;font-weight:600}
.verdict.ok{background:var(--ok-bg);color:var(--ok)}.verdict.bad{background:var(--err-bg);color:var(--err)}
.verdict.unknown{background:#eceff1;color:var(--mute)}
.cat{margin:6px 0}.cat-head{display:flex;gap:10px;align-items:baseline}
.cat-score{font-weight:700;margin-left:auto}.cat-weight{color:var(--mute);font-size:.85rem;min-width:4.5em;text-align:right}
.bar{height:8px;background:#e8ecef;border-radius:4px;overflow:hidden}
.bar span{display:block;height:100%;background:#2e7d4f}
.counts{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:8px}
.count{padding:3px 12px;border-radius:999px;text-decoration:none;font-weight:600;font-size:.9rem}
.count.na{background:#eceff1;color:var(--mute)}
.profile{grid-column:1/-1;margin:0;color:var(--mute);font-size:.85rem}
.sev-error{--c:var(--err);--cb:var(--err-bg)}.sev-warning{--c:var(--warn);--cb:var(--warn-bg)}
.sev-info{--c:var(--info);--cb:var(--info-bg)}
.count.sev-error,.count.sev-warning,.count.sev-info,.badge{background:var(--cb);color:var(--c)}
.badge{display:inline-block;padding:0 8px;border-radius:4px;font-size:.8rem;font-weight:700;border:1px solid var(--c)}
.notes ul{margin:0;padding-left:1.2em}
details.na summary{cursor:pointer;color:var(--mute)}details.na ul{margin-top:6px;font-size:.9rem}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-bottom:8px;color:var(--mute);font-size:.9rem}
.flt{display:inline-flex;gap:4px;align-items:center;color:var(--c);font-weight:600}
body:has(#show-error:not(:checked)) li.finding.sev-error,body:has(#show-error:not(:checked)) .sev-group.sev-error,
body:has(#show-warning:not(:checked)) li.finding.sev-warning,body:has(#show-warning:not(:checked)) .sev-group.sev-warning,
body:has(#show-info:not(:checked)) li.finding.sev-info,body:has(#show-info:not(:checked)) .sev-group.sev-info{display:none}
.sev-group h4{color:var(--c)}
ol.findings{list-style:none;margin:0;padding:0}
li.finding{border-left:4px solid var(--c);background:#fbfcfd;border-radius:0 8px 8px 0;padding:10px 14px;margin:0 0 10px}
li.finding:target{outline:2px solid var(--c);background:var(--cb)}
.f-head{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.f-num{color:var(--mute);font-size:.85rem}.code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-weight:700}
.f-name{font-weight:600}
.msg{margin:6px 0}.where,.fix{margin:4px 0;font-size:.92rem}.where{color:var(--mute)}
.goto{margin-left:6px;font-size:.85rem}
.evidence{font-size:.9rem;margin:6px 0}
.eq{display:flex;flex-wrap:wrap;gap:8px;margin:4px 0}
.eq span{padding:1px 10px;border-radius:4px;font-weight:700}
.eq .exp{background:var(--ok-bg);color:var(--ok)}.eq .act{background:var(--err-bg);color:var(--err)}
.eq .diff{background:#eceff1}
.relation{margin:2px 0;color:var(--mute)}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}.sides h5{margin:6px 0 2px}
ul.terms{margin:0;padding-left:1.2em}
dl.evidence{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px}dl.evidence dd{margin:0}
dl.evidence dt{color:var(--mute)}
.clean{color:var(--ok);font-weight:600}
.hint{color:var(--mute);font-size:.88rem;margin:4px 0 8px}
.legend{display:flex;flex-wrap:wrap;gap:8px;font-size:.82rem;margin:6px 0 10px}
.legend .sw{padding:1px 8px;border-radius:4px;border:1px solid var(--line)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table.grid{border-collapse:collapse;margin:0 0 10px;font-size:.88rem;background:#fff}
table.grid th,table.grid td{border:1px solid #b9c2cb;padding:4px 6px;vertical-align:middle}
table.grid thead th{background:#eef2f6;font-weight:600;text-align:center}
table.grid tbody th{background:#f7f9fb;font-weight:400;text-align:left}
table.grid th.corner{background:#eef2f6;text-align:left;font-weight:700}
.t2-blocks{display:flex;flex-wrap:wrap;gap:12px}
.t3 tbody th{min-width:5.5em}.t3 th.leaf{min-width:12em}.t3 th.vgroup,.t3 th.sgroup{text-align:center;width:3.2em}
td.v{text-align:right;min-width:3.6em;font-variant-numeric:tabular-nums;white-space:nowrap;position:relative}
td.v .val{font-weight:600}
td.missing{background:repeating-linear-gradient(45deg,#f1f3f5,#f1f3f5 4px,#e4e8ec 4px,#e4e8ec 8px);color:var(--mute);text-align:center}
td.missing .val{font-weight:400;font-size:.8rem}
td.invalid .val{color:var(--err);font-style:italic}
.legend .missing{background:repeating-linear-gradient(45deg,#f1f3f5,#f1f3f5 4px,#e4e8ec 4px,#e4e8ec 8px)}
.hl.primary{background:var(--cb);box-shadow:inset 0 0 0 2px var(--c)}
.hl.term{box-shadow:inset 0 0 0 1px var(--c);outline:1px dashed var(--c);outline-offset:-4px}
td.hl .exp{display:block;font-size:.75rem;color:var(--ok);font-weight:700;white-space:nowrap}
td.hl .refs{display:block;font-size:.7rem;line-height:1.2}
td:target{outline:3px solid #17324d;outline-offset:-3px}
.refs a{margin-left:3px;text-decoration:none;color:var(--c,#1f5fa8)}
h3 .refs{font-size:.8rem;margin-left:8px}
.absent{color:var(--mute)}
p.absent.hl,section.part.hl{background:var(--cb);box-shadow:inset 4px 0 0 var(--c);padding:6px 12px;margin:0 0 10px;
border-radius:0 6px 6px 0}
section.part.absent h3{margin:4px 0}section.part.absent p{margin:2px 0}
.part .text p{margin:0 0 .6em;text-indent:2em}
a.q{color:inherit;text-decoration:none;border-radius:2px}
.q.sev-error,.q.sev-warning,.q.sev-info{background:var(--cb);box-shadow:0 2px 0 var(--c)}
.q.note{background:var(--ok-bg);box-shadow:0 1px 0 var(--ok)}
.legend .q{padding:1px 8px}
.anchor:target+a.q{outline:2px solid #17324d}
article.rule{border-top:1px solid var(--line);padding:6px 0}
article.rule:target{background:#f3f7fb}
article.rule h3{margin:8px 0 4px;display:flex;flex-wrap:wrap;gap:6px;align-items:baseline}
.status{font-size:.78rem;padding:0 8px;border-radius:999px;margin-left:auto}
.status.st-passed{background:var(--ok-bg);color:var(--ok)}.status.st-failed{background:var(--err-bg);color:var(--err)}
.status.st-not_assessed,.status.st-error{background:#eceff1;color:var(--mute)}
.rule-meta{margin:0;color:var(--mute);font-size:.85rem}
.doc p{margin:.3em 0}
ul.examples{margin:.2em 0;padding-left:1.2em;font-size:.9rem}
li.ex.bad b{color:var(--err)}li.ex.good b{color:var(--ok)}
footer{max-width:1080px;margin:0 auto;padding:8px 16px 32px;color:var(--mute);font-size:.8rem;word-break:break-all}
@media (max-width:640px){
body{font-size:14px}
table.grid{font-size:.8rem}
.t3 th.leaf{min-width:8em}.t3 tbody th{min-width:4em}
#score{grid-template-columns:1fr}
.sides{grid-template-columns:1fr}
.card{padding:12px}
main{padding:8px}
}
@media print{
body{background:#fff;font-size:11pt}
nav.toc,.filters,.goto{display:none}
header.top{background:#fff;color:#000;border-bottom:2px solid #000}
.card{border:none;padding:0;margin:0 0 12pt;break-inside:auto}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
li.finding,tr,article.rule{break-inside:avoid}
.scroll{overflow:visible}
a{color:inherit;text-decoration:none}
}
"""
