"""A report document laid out as a PDF the way agencies publish it, for testing the PDF reader.

    from gongkai.testing.pdf import to_pdf
    data = to_pdf(doc)          # bytes of an A4 PDF

The layout follows real published reports: a centred title, the preamble, the six part headings
with their prose (first lines indented by two characters, lines wrapped wherever the width runs
out, as Chinese text is), and the three tables of the national format with their merged cells and
ruling lines. Table 三 is set in 五号 type with generous padding, so it never fits on one page and
always crosses a page break; merged cells split by the break leave an empty cell on the next page,
as Word and WPS do. Every page carries a page number footer such as `- 2 -`.

Text is set in reportlab's built-in CJK font STSong-Light (Adobe-GB1), so no font file is needed.
Requires reportlab (a test dependency of gongkai).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from .. import nationalformat as nf
from ..pointer import get_at

FONT = "STSong-Light"
BODY_SIZE = 12
HEADING_SIZE = 13
TITLE_SIZE = 18
CELL_SIZE = 10.5
MARGIN = 72

# Header texts of the national format that the schema does not carry as titles of its own.
APPLICANTS = "申请人情况"
CONTENT = "信息内容"


@cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, _font(), size)


class _Line(Flowable):
    """One line of prose, drawn as one string so that the PDF holds exactly its characters."""

    def __init__(self, text: str, size: float, indent: float = 0.0, centred: bool = False, leading: float | None = None):
        super().__init__()
        self.text, self.size, self.indent, self.centred = text, size, indent, centred
        self.leading = leading or size * 1.75

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._aw = aw
        return aw, self.leading

    def draw(self) -> None:
        self.canv.setFont(_font(), self.size)
        baseline = (self.leading - self.size) / 2 + self.size * 0.12
        if self.centred:
            self.canv.drawCentredString(self._aw / 2, baseline, self.text)
        else:
            self.canv.drawString(self.indent, baseline, self.text)


def _prose(text: str, size: float, width: float) -> list[_Line]:
    """A paragraph broken into lines character by character, the first line indented by two characters."""
    indent = 2 * size
    lines: list[_Line] = []
    current, room = "", width - indent
    for ch in text:
        w = _width(ch, size)
        if current and w > room:
            lines.append(_Line(current, size, indent if not lines else 0.0))
            current, room = "", width
        current += ch
        room -= w
    if current or not lines:
        lines.append(_Line(current, size, indent if not lines else 0.0))
    return lines


def _title(text: str, width: float) -> _Line:
    size = min(TITLE_SIZE, width / max(_width(text, 1), 1) * 0.98)
    return _Line(text, size, centred=True, leading=max(size * 2.2, 30))


# -- tables -------------------------------------------------------------------------------------

@dataclass
class _Grid:
    """A table as cell texts plus merges, before it is cut into page-sized reportlab tables."""

    widths: list[float]
    rows: list[list[str | None]] = field(default_factory=list)     # None: covered by a merge
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)   # (col0, row0, col1, row1)
    header: int = 0                     # leading rows that form the header
    left: set[tuple[int, int]] = field(default_factory=set)         # (col, row) set flush left
    shaded: set[int] = field(default_factory=set)                   # caption rows with a tinted background

    def add(self, cells: list[str | None]) -> int:
        self.rows.append(list(cells) + [None] * (len(self.widths) - len(cells)))
        return len(self.rows) - 1

    def span(self, c0: int, r0: int, c1: int, r1: int) -> None:
        if (c0, r0) != (c1, r1):
            self.spans.append((c0, r0, c1, r1))

    def table(self, start: int, end: int, repeat_header: bool) -> Table:
        """Rows start..end as one reportlab table; a merge cut at `start` leaves an empty cell."""
        picked = list(range(self.header)) if repeat_header and start >= self.header else []
        picked += list(range(start, end))
        index = {r: i for i, r in enumerate(picked)}
        data: list[list[Any]] = [[None] * len(self.widths) for _ in picked]
        for r in picked:
            for c, text in enumerate(self.rows[r]):
                if text is not None:
                    data[index[r]][c] = self._cell(text, c, r)
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        for c0, r0, c1, r1 in self.spans:
            rows = [r for r in picked if r0 <= r <= r1 and (r >= self.header or r0 < self.header)]
            if not rows:
                continue
            top = rows[0]
            if top != r0 and data[index[top]][c0] is None:
                data[index[top]][c0] = self._cell("", c0, top)     # the rest of a merge cut by the page break
            commands.append(("SPAN", (c0, index[top]), (c1, index[rows[-1]])))
        for r in self.shaded:
            if r in index:
                commands.append(("BACKGROUND", (0, index[r]), (-1, index[r]), colors.HexColor("#C6D9F1")))
        for r in picked:
            for c, text in enumerate(self.rows[r]):
                if text is None and data[index[r]][c] is None:
                    data[index[r]][c] = ""
        return Table(data, colWidths=self.widths, style=TableStyle(commands))

    def _cell(self, text: str, col: int, row: int) -> Paragraph:
        style = _cell_style(TA_LEFT if (col, row) in self.left else TA_CENTER)
        # Paragraph folds "\n" into a space; vertical text needs explicit line breaks.
        return Paragraph("<br/>".join(escape(part) for part in text.split("\n")), style)


@cache
def _cell_style(alignment: int) -> ParagraphStyle:
    return ParagraphStyle(f"cell{alignment}", fontName=_font(), fontSize=CELL_SIZE, leading=CELL_SIZE * 1.3,
                          alignment=alignment, wordWrap="CJK")


class _GridFlowable(Flowable):
    """Rows start..end of a grid; splits between rows at a page break, cutting merged cells as Word does."""

    def __init__(self, grid: _Grid, start: int = 0, end: int | None = None, repeat_header: bool = False):
        super().__init__()
        self.grid, self.start, self.end, self.repeat_header = grid, start, len(grid.rows) if end is None else end, repeat_header
        self._table = grid.table(self.start, self.end, repeat_header)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self._table.wrap(aw, ah)

    def draw(self) -> None:
        self._table.drawOn(self.canv, 0, 0)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self._table.wrap(aw, ah)
        # Table exposes no public per-row heights; _rowHeights is what wrap() computed, up to the
        # first row that no longer fits (reportlab leaves the rest None on long tables).
        heights = self._table._rowHeights
        lead = len(heights) - (self.end - self.start)        # repeated header rows at the top
        if None in heights[:lead]:
            return []
        used = sum(heights[:lead])
        cut = self.start
        for h in heights[lead:]:
            if h is None or used + h > ah:
                break
            used += h
            cut += 1
        # Never leave the header alone at the foot of a page, nor an empty piece.
        if cut <= max(self.start, self.grid.header) or cut >= self.end:
            return []
        return [_GridFlowable(self.grid, self.start, cut, self.repeat_header),
                _GridFlowable(self.grid, cut, self.end, self.repeat_header)]


def _raw(doc: dict[str, Any], spec: nf.CellSpec) -> str:
    cell = get_at(doc, spec.pointer)
    if cell is None:
        return ""
    if cell.get("raw") is not None:
        return cell["raw"]
    return "" if cell.get("value") is None else str(cell["value"])


def _t2(doc: dict[str, Any], width: float) -> _Grid:
    label = width * 0.34
    grid = _Grid([label] + [(width - label) / 3] * 3)
    group = None
    for row in nf.table_rows("二"):
        if row.group != group:
            group = row.group
            r = grid.add([group])
            grid.span(0, r, 3, r)
            grid.shaded.add(r)
            r = grid.add([CONTENT] + [c.column for c in row.cells])
            if len(row.cells) == 1:
                grid.span(1, r, 3, r)
        r = grid.add([row.title] + [_raw(doc, c) for c in row.cells])
        grid.left.add((0, r))
        if len(row.cells) == 1:
            grid.span(1, r, 3, r)
    return grid


def _t3(doc: dict[str, Any], width: float, narrow_labels: bool = False) -> _Grid:
    table = nf.schema()["properties"]["tables"]["properties"]["t3"]
    results_title = table["properties"]["results"]["title"]
    row_def = nf.schema()["$defs"]["t3_row"]["properties"]
    organisations = next(v["x-group"] for v in row_def.values() if v.get("x-group"))
    note = "（" + table["description"].split("。", 1)[1].rstrip("。") + "）"
    rows = nf.table_rows("三")
    columns = [c.column for c in rows[0].cells]
    if narrow_labels:
        # Label columns a few characters wide: every label breaks every 3 or 4 characters.
        label_widths = [26.0, 50.0, 50.0]
    else:
        label_widths = [26.0, (width - 7 * 30.0 - 26) * 0.4, (width - 7 * 30.0 - 26) * 0.6]
    value_w = (width - sum(label_widths)) / 7
    grid = _Grid(label_widths + [value_w] * 7)
    grid.add([note, None, None, APPLICANTS])
    grid.span(0, 0, 2, 2)
    grid.span(3, 0, 9, 0)
    grid.add([None, None, None, columns[0], organisations, None, None, None, None, columns[-1]])
    grid.span(4, 1, 8, 1)
    grid.span(3, 1, 3, 2)
    grid.span(9, 1, 9, 2)
    grid.add([None, None, None, None, *columns[1:-1], None])
    grid.header = 3
    results = [r for r in rows if "/results/" in r.pointer]
    vertical = "\n".join(results_title)          # set one character per line, as published
    group_rows: dict[str, list[int]] = {}
    first_result = None
    for row in rows:
        values = [_raw(doc, c) for c in row.cells]
        if row not in results:
            r = grid.add([row.title, None, None, *values])
            grid.span(0, r, 2, r)
            grid.left.add((0, r))
            continue
        side = vertical if first_result is None else None
        if row.group is None:
            r = grid.add([side, row.title, None, *values])
            grid.span(1, r, 2, r)
            grid.left.add((1, r))
        else:
            new_group = row.group not in group_rows
            r = grid.add([side, row.group if new_group else None, row.title, *values])
            group_rows.setdefault(row.group, []).append(r)
            grid.left.update({(1, r), (2, r)})
        first_result = r if first_result is None else first_result
    if first_result is not None:
        grid.span(0, first_result, 0, first_result + len(results) - 1)
    for members in group_rows.values():
        grid.span(1, members[0], 1, members[-1])
    return grid


def _t4(doc: dict[str, Any], width: float) -> _Grid:
    rows = nf.table_rows("四")
    grid = _Grid([width / 15] * 15)
    review, direct, after = rows
    grid.add([review.title] + [None] * 4 + [direct.group])
    grid.span(0, 0, 4, 0)
    grid.span(5, 0, 14, 0)
    grid.add([c.column for c in review.cells] + [direct.title] + [None] * 4 + [after.title])
    for c in range(5):
        grid.span(c, 1, c, 2)
    grid.span(5, 1, 9, 1)
    grid.span(10, 1, 14, 1)
    grid.add([None] * 5 + [c.column for c in direct.cells] + [c.column for c in after.cells])
    grid.header = 3
    grid.add([_raw(doc, c) for r in rows for c in r.cells])
    return grid


def _renamed(doc: dict[str, Any], table: str) -> dict[str, str]:
    """The format's labels of `table` that the report wrote otherwise (`deviations` of kind label or
    synonym, e.g. the seed's `合计` for `总计`): {format's label: report's label}."""
    return {d["expected"]: d["found"] for d in doc.get("deviations", [])
            if d.get("table") == table and d.get("kind") in ("label", "synonym")}


def _rename(grid: _Grid, renamed: dict[str, str]) -> None:
    for row in grid.rows:
        for c, text in enumerate(row):
            if text is None:
                continue
            flat = text.replace("\n", "")
            if flat in renamed:
                row[c] = "\n".join(renamed[flat]) if "\n" in text else renamed[flat]


# -- the document -------------------------------------------------------------------------------

TABLE_OF_PART = {"proactive": "二", "applications": "三", "review_litigation": "四"}
FOOTERS = {"dash": "- {n} -", "tight": "-{n}-", "page": "第 {n} 页"}


def to_pdf(doc: dict[str, Any], *, repeat_header: bool = False, footer: str = "dash",
           running_header: str | None = None, narrow_labels: bool = False) -> bytes:
    """The document as the bytes of an A4 PDF.

    repeat_header: repeat the table header at the top of a continued table (some agencies do).
    narrow_labels: set table 三's row labels in narrow columns, so that they wrap every few
        characters (the table then runs over three pages).
    footer: page number style, "dash" (`- 2 -`), "tight" (`-2-`) or "page" (`第 2 页`).
    running_header: a line repeated at the top of every page after the first.
    """
    font = _font()
    buf = io.BytesIO()
    page_w, page_h = A4
    width = page_w - 2 * MARGIN

    def decorate(canvas: Any, template: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 10.5)
        canvas.drawCentredString(page_w / 2, 40, FOOTERS[footer].format(n=canvas.getPageNumber()))
        if running_header and canvas.getPageNumber() > 1:
            canvas.drawCentredString(page_w / 2, page_h - 45, running_header)
        canvas.restoreState()

    story: list[Flowable] = []
    meta = doc.get("meta", {})
    if meta.get("title"):
        story.append(_title(meta["title"], width))
    for para in (doc.get("preamble") or "").split("\n"):
        if para:
            story += _prose(para, BODY_SIZE, width)
    builders = {"二": _t2, "四": _t4}
    parts = sorted(((p["position"], k, p) for k, p in doc.get("parts", {}).items()), key=lambda t: t[0])
    for _, key, part in parts:
        story += _prose(part["heading"], HEADING_SIZE, width)
        for para in (part.get("text") or "").split("\n"):
            if para:
                story += _prose(para, BODY_SIZE, width)
        table = TABLE_OF_PART.get(key)
        if table and nf.table_key(table) in doc.get("tables", {}):
            grid = _t3(doc, width, narrow_labels) if table == "三" else builders[table](doc, width)
            _rename(grid, _renamed(doc, table))
            story.append(_GridFlowable(grid, repeat_header=repeat_header))
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                      title=meta.get("title") or "", author="gongkai.testing").build(
        story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()
