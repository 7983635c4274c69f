"""A report document written as a Word file the way agencies publish them, for round-trip tests.

Title, preamble, the six part headings with their prose, and the three tables with the national
format's merged cells (国办公开办函〔2021〕30号; see `gongkai.testing._table_lines` for the order of
labels): table 二's block captions merged across the row; table 三's three header rows with the note
merged 3×3, `申请人情况` across 7 columns, `法人或其他组织` across 5, `自然人` and `总计` merged
vertically, `三、本年度办理结果` merged over its 22 rows and each group label over its items; table
四's three header rows. Some header labels are wrapped over two paragraphs inside their cell
(`商业` / `企业`), as Word users do to narrow a column.

Labels the document records as departing from the format (`deviations` of kind `label` or
`synonym`, e.g. the seed's `合计` for `总计` in table 四) are written as the report wrote them; other
kinds of deviation (changed column order, extra rows or columns) are not laid out.

With `grid_before=True` some rows leave grid columns out with `w:gridBefore`/`w:gridAfter`, as
tables exported from WPS do: table 二's one-value rows end after their value cell (`gridAfter`),
and table 四 sits one grid column in (`gridBefore` on every row).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .. import nationalformat as nf

# Header captions of the format that are not labels of any row or column of the schema.
CONTENT_HEADER = "信息内容"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"


@dataclass
class Cell:
    text: str | list[str]          # a list is one paragraph per item
    span: int = 1                  # w:gridSpan
    vmerge: str | None = None      # "restart", "continue" or None


@dataclass
class Row:
    cells: list[Cell]
    before: int = 0                # w:gridBefore
    after: int = 0                 # w:gridAfter


def to_docx(doc: dict[str, Any], grid_before: bool = False) -> bytes:
    document = docx.Document()
    meta = doc.get("meta", {})
    if meta.get("title"):
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run(meta["title"]).bold = True
        document.add_paragraph()   # the blank line under a title, which the reader must skip
    for line in _lines(doc.get("preamble")):
        document.add_paragraph(line)
    tables = {"proactive": "二", "applications": "三", "review_litigation": "四"}
    for key, part in sorted(doc.get("parts", {}).items(), key=lambda kv: kv[1]["position"]):
        document.add_paragraph().add_run(part["heading"]).bold = True
        for line in _lines(part.get("text")):
            document.add_paragraph(line)
        table = tables.get(key)
        if table and nf.table_key(table) in doc.get("tables", {}):
            columns, rows = _TABLES[table](doc, grid_before)
            _rename(rows, _renamed(doc, table))
            _add_table(document, columns, rows)
    # Page chrome the reader must not take for report text.
    document.sections[0].footer.paragraphs[0].text = "- 1 -"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _renamed(doc: dict[str, Any], table: str) -> dict[str, str]:
    """The format's labels of `table` that the report wrote otherwise: {format's label: report's label}."""
    return {d["expected"]: d["found"] for d in doc.get("deviations", [])
            if d.get("table") == table and d.get("kind") in ("label", "synonym")}


def _rename(rows: list[Row], renamed: dict[str, str]) -> None:
    for row in rows:
        for cell in row.cells:
            if isinstance(cell.text, str) and cell.text in renamed:
                cell.text = renamed[cell.text]
            elif isinstance(cell.text, list) and "".join(cell.text) in renamed:
                cell.text = [renamed["".join(cell.text)]]


def _lines(text: str | None) -> list[str]:
    return text.split("\n") if text else []


def _value(doc: dict[str, Any], spec: nf.CellSpec) -> str:
    node: Any = doc
    for p in spec.pointer.strip("/").split("/"):
        node = node.get(p) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return ""
    if node.get("raw") is not None:
        return node["raw"]
    return "" if node.get("value") is None else str(node["value"])


def _wrapped(label: str) -> list[str]:
    """A four-character label on two lines, as in narrow columns (`商业` / `企业`)."""
    return [label[:2], label[2:]] if len(label) == 4 else [label]


def _t2(doc: dict[str, Any], grid_before: bool) -> tuple[int, list[Row]]:
    width = max(len(r.cells) for r in nf.table_rows("二")) + 1
    rows: list[Row] = []
    group = None
    for row in nf.table_rows("二"):
        values = [_value(doc, c) for c in row.cells]
        short = width - 1 - len(row.cells)     # grid columns a one-value block leaves over
        if row.group != group:
            group = row.group
            rows.append(Row([Cell(group, span=width)]))
            header = [Cell(CONTENT_HEADER)] + [Cell(c.column) for c in row.cells]
            rows.append(_fit(header, short, grid_before))
        rows.append(_fit([Cell(row.title)] + [Cell(v) for v in values], short, grid_before))
    return width, rows


def _fit(cells: list[Cell], short: int, grid_before: bool) -> Row:
    """A row with fewer cells than the grid: its last cell widened, or the rest left out (gridAfter)."""
    if not short:
        return Row(cells)
    if grid_before:
        return Row(cells, after=short)
    cells[-1].span += short
    return Row(cells)


def _t3_column_groups() -> list[str | None]:
    props = nf.schema()["$defs"]["t3_row"]["properties"]
    return [props[c.pointer.rsplit("/", 1)[1]].get("x-group") for c in nf.table_rows("三")[0].cells]


def _t3(doc: dict[str, Any], grid_before: bool) -> tuple[int, list[Row]]:
    rows3 = nf.table_rows("三")
    columns = [c.column for c in rows3[0].cells]
    groups = _t3_column_groups()
    width = 3 + len(columns)
    # Header: the note 3×3; 申请人情况 over every data column; ungrouped columns two rows high.
    top = Row([Cell(T3_NOTE, span=3, vmerge="restart"), Cell(T3_APPLICANTS, span=len(columns))])
    middle: list[Cell] = [Cell("", span=3, vmerge="continue")]
    bottom: list[Cell] = [Cell("", span=3, vmerge="continue")]
    i = 0
    while i < len(columns):
        if groups[i] is None:
            middle.append(Cell(columns[i], vmerge="restart"))
            bottom.append(Cell("", vmerge="continue"))
            i += 1
            continue
        n = 1
        while i + n < len(columns) and groups[i + n] == groups[i]:
            n += 1
        middle.append(Cell(groups[i], span=n))
        bottom.extend(Cell(_wrapped(c)) for c in columns[i:i + n])
        i += n
    rows: list[Row] = [top, Row(middle), Row(bottom)]

    t3 = nf.schema()["properties"]["tables"]["properties"][nf.table_key("三")]["properties"]
    outer_key, outer = next((k, v) for k, v in t3.items() if v.get("x-omit-from-label"))
    outer_prefix = f"/tables/{nf.table_key('三')}/{outer_key}/"
    outer_open = False
    group = None
    for row in rows3:
        values = [Cell(_value(doc, c)) for c in row.cells]
        if not row.pointer.startswith(outer_prefix):
            rows.append(Row([Cell(row.title, span=3)] + values))
            continue
        # 三、本年度办理结果, one character per line, as it stands in its tall narrow cell.
        first = Cell(list(outer["title"]), vmerge="restart") if not outer_open else Cell("", vmerge="continue")
        outer_open = True
        if row.group is None:
            rows.append(Row([first, Cell(row.title, span=2)] + values))
            group = None
            continue
        if row.group != group:
            group = row.group
            label = Cell([row.group[:-2], row.group[-2:]], vmerge="restart")   # `（三）不予` / `公开`
        else:
            label = Cell("", vmerge="continue")
        rows.append(Row([first, label, Cell(row.title)] + values))
    return width, rows


def _t4(doc: dict[str, Any], grid_before: bool) -> tuple[int, list[Row]]:
    rows4 = nf.table_rows("四")
    columns = [c.column for c in rows4[0].cells]
    n = len(columns)
    before = 1 if grid_before else 0
    top: list[Cell] = []
    middle: list[Cell] = []
    bottom: list[Cell] = []
    litigation = [r for r in rows4 if r.group is not None]
    for row in rows4:
        if row.group is None:
            top.append(Cell(row.title, span=n))
            middle.extend(Cell(_wrapped(c), vmerge="restart") for c in columns)
            bottom.extend(Cell("", vmerge="continue") for _ in columns)
        else:
            if row is litigation[0]:
                top.append(Cell(row.group, span=n * len(litigation)))
            middle.append(Cell(row.title, span=n))
            bottom.extend(Cell(c) for c in columns)
    values = [Cell(_value(doc, c)) for r in rows4 for c in r.cells]
    width = before + n * len(rows4)
    return width, [Row(top, before), Row(middle, before), Row(bottom, before), Row(values, before)]


_TABLES = {"二": _t2, "三": _t3, "四": _t4}


def _add_table(document: Any, columns: int, rows: list[Row]) -> None:
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    tbl = table._tbl
    for spec in rows:
        tr = OxmlElement("w:tr")
        if spec.before or spec.after:
            trpr = OxmlElement("w:trPr")
            for tag, count in (("w:gridBefore", spec.before), ("w:gridAfter", spec.after)):
                if count:
                    el = OxmlElement(tag)
                    el.set(qn("w:val"), str(count))
                    trpr.append(el)
            tr.append(trpr)
        for cell in spec.cells:
            tc = OxmlElement("w:tc")
            if cell.span > 1:
                tc.grid_span = cell.span
            if cell.vmerge:
                tc.vMerge = cell.vmerge
            for text in (cell.text if isinstance(cell.text, list) else [cell.text]):
                p = tc.add_p()
                if text:
                    p.add_r().text = text
            tr.append(tc)
        tbl.append(tr)
