"""Layout -> report document (valid against annual-report.schema.json) + source map.

Tables are read from a stream of tokens (cells or short lines) by their labels, not by position on
the page, so the same code serves a flattened text table and a grid: a row label is followed by its
values; table 四 has no row labels and its 15 values follow its header. What cannot be found is left
out of the document and named in `missing`; nothing is ever filled in with 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import nationalformat as nf
from .layout import Block, Layout, Location
from .normalize import key

# Headings as the 2021 format gives them, and the variants seen in real reports.
HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    "一": ("一、总体情况",),
    "二": ("二、主动公开政府信息情况",),
    "三": ("三、收到和处理政府信息公开申请情况",),
    "四": ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
          "四、政府信息公开行政复议和行政诉讼情况"),
    "五": ("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"),
    "六": ("六、其他需要报告的事项",),
}
_HEADING_KEYS = {key(v).rstrip("。:：.") : num for num, vs in HEADING_VARIANTS.items() for v in vs}

# Strings that only the superseded 2019 template (国办公开办函〔2019〕60号) has.
TEMPLATE_2019_MARKERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                         "其他对外管理服务事项", "第二十条第(九)项", "政府集中采购", "采购项目数量", "采购总金额")
_MARKER_KEYS = tuple(key(m) for m in TEMPLATE_2019_MARKERS)

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
PLACEHOLDERS = frozenset({"", "/", "-", "--", "无", "空", "——", "\\", "×", "x", "X"})
_CAPTION = re.compile(r"^第二十条第\(([一二三四五六七八九十]+)\)项$")
_YEAR_TITLE = re.compile(r"(?P<body>[^《》\s]{2,60}?)(?P<year>(?:19|20)\d{2})年度?(?:政府信息公开|政务公开)")
_PERIOD = re.compile(r"统计期限.{0,12}?((?:19|20)\d{2})年\s*1\s*月\s*1\s*日")
_PUBDATE = re.compile(r"(?:发布|公开|成文)日期[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


@dataclass
class Token:
    index: int
    text: str
    key: str
    loc: Location
    kind: str

    @property
    def is_value(self) -> bool:
        if self.key in PLACEHOLDERS:
            return self.kind == "cell" or self.key != ""
        return bool(_NUMBER.match(self.key))

    @property
    def is_blank(self) -> bool:
        return self.key == ""


@dataclass
class Extraction:
    """The report document, where each value came from, and what could not be found."""

    document: dict[str, Any]
    source_map: dict[str, dict[str, Any]]
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def label_key(text: str) -> str:
    """Key for row labels: numbering punctuation (`1、` `1．` `1.`) unified."""
    k = key(text)
    return re.sub(r"^(\d+)[、.,]", r"\1.", k)


_ALL_LABEL_KEYS = frozenset(
    {label_key(r.title) for t in nf.TABLE_NAMES.values() for r in nf.table_rows(t)}
    | {key(c.column) for c in nf.all_cells()}
    | {key(x) for x in ("信息内容", "申请人情况", "自然人", "法人或其他组织", "商业", "企业", "科研", "机构", "社会公益组织",
                         "法律服务机构", "合计", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "其他", "总计")})


def parse_value(raw: str, kind: str) -> int | float | None:
    """The number a cell holds, or None for a placeholder or anything that is not a valid number."""
    text = key(raw).replace(",", "")
    if not _NUMBER.match(text):
        return None
    if kind == "count":
        return int(text) if re.fullmatch(r"[+]?\d+", text) else None
    number = float(text)
    if number < 0:
        return None
    return int(number) if number.is_integer() and "." not in text else number


def extract(layout: Layout) -> Extraction:
    tokens = [Token(i, b.text, key(b.text), b.loc, b.kind) for i, b in enumerate(layout.blocks)]
    ex = Extraction({"schema_version": "1", "meta": {}, "parts": {}, "tables": {}}, {}, notes=list(layout.notes))
    headings = _find_headings(tokens)
    consumed: set[int] = set()
    template = "2019" if any(m in t.key for t in tokens for m in _MARKER_KEYS) else "2021"
    if template == "2019":
        ex.notes.append("报告使用的是已废止的 2019 年试行格式（国办公开办函〔2019〕60号），其表格不按 2021 年格式读取。")
    else:
        end3 = _read_t3(tokens, ex, consumed, headings)
        _read_t2(tokens, ex, consumed, headings)
        _read_t4(tokens, ex, consumed, headings, end3)
        if ex.document["meta"].get("template_version") == "2019":
            template = "2019"
    title = _find_title(tokens, headings)
    if title is not None:
        consumed.add(title.index)
    _read_parts(layout.blocks, tokens, headings, consumed, ex)
    _read_meta(tokens, headings, ex, template, title)
    for tkey, name in nf.TABLE_NAMES.items():
        if tkey not in ex.document["tables"]:
            ex.missing.append(f"表{name}")
    for part in nf.parts():
        if part.key not in ex.document["parts"]:
            ex.missing.append(part.heading)
    return ex


# -- part headings and prose -------------------------------------------------------------------

def _find_headings(tokens: list[Token]) -> dict[str, int]:
    """Index of the first token of each part heading found, by part number (一 … 六)."""
    found: dict[str, int] = {}
    for t in tokens:
        num = _HEADING_KEYS.get(t.key.rstrip("。:：."))
        if num and num not in found:
            found[num] = t.index
    return found


def _read_parts(blocks: list[Block], tokens: list[Token], headings: dict[str, int], consumed: set[int],
                ex: Extraction) -> None:
    order = sorted(headings.items(), key=lambda kv: kv[1])
    starts = [idx for _, idx in order]
    by_number = {p.number: p for p in nf.parts()}
    first = starts[0] if starts else len(tokens)
    preamble = [t for t in tokens[:first] if t.kind == "paragraph" and t.index not in consumed]
    ex.document["preamble"] = "\n".join(t.text for t in preamble)
    ex.source_map["/preamble"] = _text_map(preamble)
    for position, (num, idx) in enumerate(order, start=1):
        nxt = starts[position] if position < len(starts) else len(tokens)
        body = [t for t in tokens[idx + 1:nxt] if t.kind == "paragraph" and t.index not in consumed]
        spec = by_number[num]
        ex.document["parts"][spec.key] = {"heading": tokens[idx].text, "text": "\n".join(t.text for t in body),
                                          "position": position}
        ex.source_map[spec.pointer] = {**tokens[idx].loc.to_json(), "text": tokens[idx].text}
        ex.source_map[f"{spec.pointer}/text"] = _text_map(body)


def _text_map(paras: list[Token]) -> dict[str, Any]:
    """Where each paragraph of a joined text starts, so a character offset maps back to a line."""
    offsets, pos = [], 0
    for t in paras:
        offsets.append({"offset": pos, **t.loc.to_json()})
        pos += len(t.text) + 1
    return {**(paras[0].loc.to_json() if paras else {}), "paragraphs": offsets}


def _find_title(tokens: list[Token], headings: dict[str, int]) -> Token | None:
    """A short line near the top that names the report."""
    first = min(headings.values(), default=len(tokens))
    head = [t for t in tokens[:first] if t.kind == "paragraph"][:4]
    return next((t for t in head if len(t.text) <= 80 and re.search(r"(年度报告|工作报告|年报)$", t.text.rstrip("》"))), None)


def _read_meta(tokens: list[Token], headings: dict[str, int], ex: Extraction, template: str,
               title: Token | None) -> None:
    meta = ex.document["meta"]
    first = min(headings.values(), default=len(tokens))
    head = [t for t in tokens[:first] if t.kind == "paragraph"]
    quoted = re.findall(r"《([^《》]{4,80}年度报告)》", ex.document.get("preamble", ""))
    if title:
        meta["title"] = title.text
        ex.source_map["/meta/title"] = {**title.loc.to_json(), "text": title.text}
    else:
        # Many reports carry no title line and name themselves in the opening sentence instead.
        meta["title"] = quoted[0] if quoted else None
        if quoted:
            ex.source_map["/meta/title"] = {**ex.source_map["/preamble"], "text": quoted[0]}
    body = year = None
    candidates = ([title.text] if title else []) + quoted
    for text in candidates:
        m = _YEAR_TITLE.search(text)
        if m:
            body, year = m["body"], int(m["year"])
            break
    if title and body is None:
        # A title that starts with the year names the body on a neighbouring line.
        m = re.match(r"((?:19|20)\d{2})年", title.text)
        year = int(m[1]) if m else year
        for t in head[:4]:
            if t is not title and re.search(r"(人民政府|办公室|办公厅|局|委员会|委|厅|街道办事处|管理委员会|中心)$", t.text):
                body = t.text
                break
    if year is None:
        m = _PERIOD.search(ex.document.get("preamble", "") + ex.document["parts"].get("overview", {}).get("text", ""))
        year = int(m[1]) if m else None
    meta["issuing_body"] = body
    meta["report_year"] = year
    alltext = "\n".join(t.text for t in tokens if t.kind == "paragraph")
    m = _PUBDATE.search(alltext)
    meta["publication_date"] = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None
    meta["template_version"] = template if ex.document["tables"] or template == "2019" else "unknown"


# -- tables ------------------------------------------------------------------------------------

def _region_end(tokens: list[Token], headings: dict[str, int], after: int, numbers: str) -> int:
    ends = [idx for num, idx in headings.items() if num in numbers and idx > after]
    return min(ends, default=len(tokens))


def _is_junk(t: Token) -> bool:
    """Short text standing where a number should be (`若干`, `不详`): an invalid value, not a label."""
    return (not t.is_value and 0 < len(t.key) <= 6 and not re.search(r"[()（）【】\[\]、]", t.key)
            and t.key not in _ALL_LABEL_KEYS and not _CAPTION.match(t.key))


def _take_values(tokens: list[Token], i: int, n: int, end: int) -> tuple[list[Token | None], int]:
    """The n value tokens that follow position i, stopping at the next label.

    Blank cells count only when too few values follow: pipe layouts pad merged cells with empty
    ones that are not cells of the table. Short non-numeric text in a value's place is kept as an
    invalid value, so that the rules can say so instead of calling the cell missing.
    """
    run: list[Token] = []
    j = i
    while j < end and (tokens[j].is_value or _is_junk(tokens[j])) and len([t for t in run if not t.is_blank]) < n:
        run.append(tokens[j])
        j += 1
    filled = [t for t in run if not t.is_blank]
    if len(filled) >= n:
        return filled[:n], j
    values: list[Token | None] = list(run[:n])
    values += [None] * (n - len(values))
    return values, j


def _store(ex: Extraction, spec: nf.CellSpec, tok: Token | None) -> None:
    if tok is None:
        return
    _set(ex.document, spec.pointer, {"value": parse_value(tok.text, spec.kind), "raw": tok.text})
    ex.source_map[spec.pointer] = {**tok.loc.to_json(), "text": tok.text}


def _set(doc: dict[str, Any], pointer: str, value: Any) -> None:
    parts = pointer.strip("/").split("/")
    node = doc
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def _row_keys(rows: tuple[nf.RowSpec, ...]) -> dict[str, nf.RowSpec]:
    """Accepted label keys per row: the label itself, and without a trailing note in parentheses."""
    out: dict[str, nf.RowSpec] = {}
    for r in rows:
        k = label_key(r.title)
        out[k] = r
        short = re.sub(r"\([^()]*\)$", "", k)
        if short and short != k:
            out[short] = r
    return out


def _match_row(buffer: list[Token], keys: dict[str, nf.RowSpec]) -> nf.RowSpec | None:
    """The row named by the label tokens just before a run of values (labels may be split)."""
    for width in range(1, min(4, len(buffer)) + 1):
        joined = label_key("".join(t.text for t in buffer[-width:]))
        if joined in keys:
            return keys[joined]
        for k, row in keys.items():
            # "（三）不予公开1.属于国家秘密" in one cell, or a group label before the item.
            if joined.endswith(k) and re.match(r"\d+\.", k):
                return row
    return None


def _read_t3(tokens: list[Token], ex: Extraction, consumed: set[int], headings: dict[str, int]) -> int:
    rows = nf.table_rows("三")
    keys = _row_keys(rows)
    start = headings.get("三")
    if start is None:
        first_row = next((t.index for t in tokens if label_key(t.text) in keys), None)
        if first_row is None:
            return headings.get("四", len(tokens))
        start = first_row - 1
    end = _region_end(tokens, headings, start, "四五六")
    done: set[str] = set()
    buffer: list[Token] = []
    i = start + 1
    last = start
    other_group = key("（六）其他处理")
    while i < end:
        t = tokens[i]
        if t.is_blank or not t.is_value:
            if not t.is_blank:
                buffer.append(t)
            after = tokens[i + 1] if i + 1 < end else None
            if t.is_blank or after is None or not _is_junk(after):
                i += 1
                continue
            i += 1   # a label followed by text where its first number should be
            row = _match_row(buffer, keys)
        else:
            row = _match_row(buffer, keys)
        if row is None and buffer and label_key(buffer[-1].text) == other_group:
            # （六）其他处理 followed straight by values: the 2019 template's single row.
            ex.document["meta"]["template_version"] = "2019"
            ex.notes.append("表三的“（六）其他处理”只有一行，没有 2021 年格式的 3 个细分项。")
        if row is None or row.pointer in done:
            i += 1
            continue
        values, j = _take_values(tokens, i, len(row.cells), end)
        for spec, tok in zip(row.cells, values):
            _store(ex, spec, tok)
        consumed.update(t.index for t in buffer)
        consumed.update(range(i, j))
        done.add(row.pointer)
        buffer = []
        last = j
        i = j
    if done:
        _mark_consumed_header(tokens, start, last, consumed)
    return last if done else start


def _mark_consumed_header(tokens: list[Token], start: int, end: int, consumed: set[int]) -> None:
    # Cells between the first row and the last value belong to the table, never to the prose.
    consumed.update(t.index for t in tokens[start + 1:end] if t.kind == "cell")


def _read_t2(tokens: list[Token], ex: Extraction, consumed: set[int], headings: dict[str, int]) -> None:
    rows = nf.table_rows("二")
    start = headings.get("二")
    caption_at = next((t.index for t in tokens if _CAPTION.match(t.key)), None)
    if start is None and caption_at is None:
        return
    start = start if start is not None else caption_at - 1
    end = _region_end(tokens, headings, start, "三四五六")
    blocks = {r.group: r for r in rows}
    block: str | None = None
    header: list[str] = []
    i = start + 1
    while i < end:
        t = tokens[i]
        m = _CAPTION.match(t.key)
        if m:
            block, header = f"第二十条第（{m[1]}）项", []
            consumed.add(i)
            i += 1
            continue
        candidates = [r for r in rows if label_key(r.title) == label_key(t.text) and (block is None or r.group == block)]
        if candidates:
            row = candidates[0]
            values, j = _take_values(tokens, i + 1, len(row.cells), end)
            order = _column_order(row, header)
            for spec, tok in zip(order, values):
                _store(ex, spec, tok)
            consumed.update(range(i, j))
            i = j
            continue
        if block in blocks and t.kind == "cell" and not t.is_value:
            if t.key != key("信息内容"):
                header.append(t.key)
            consumed.add(i)
        i += 1


def _column_order(row: nf.RowSpec, header: list[str]) -> list[nf.CellSpec]:
    """Columns in the order the block's header gives them, when it names exactly the format's columns."""
    by_key = {key(c.column): c for c in row.cells}
    named = [h for h in header if h in by_key]
    if len(named) == len(row.cells) and set(named) == set(by_key):
        return [by_key[h] for h in named]
    return list(row.cells)


def _read_t4(tokens: list[Token], ex: Extraction, consumed: set[int], headings: dict[str, int], after: int) -> None:
    start = headings.get("四", after)
    review = key("行政复议")
    anchor = next((t.index for t in tokens[start:] if t.key == review and t.kind == "cell"), None)
    if anchor is None:
        return
    end = _region_end(tokens, headings, anchor, "五六")
    first_value = next((t.index for t in tokens[anchor:end] if t.is_value and not t.is_blank), None)
    if first_value is None:
        return
    cells = [c for r in nf.table_rows("四") for c in r.cells]
    values, j = _take_values(tokens, first_value, len(cells), end)
    for spec, tok in zip(cells, values):
        _store(ex, spec, tok)
    consumed.update(range(anchor, j))
