"""Tables 二, 三 and 四, read from the stream of tokens by their labels, not by position on a page.

A row label is followed by its values; table 四 has no row labels and its 15 values follow its
header. Labels that differ from the format (a typo, `规范性文件`, `合计`) are still read, and the
difference is recorded as a deviation for the rules to report. Blank cells count only where a
row would otherwise be short: flattened layouts pad merged cells with empty ones.
"""

from __future__ import annotations

import re
from functools import cache

from .. import nationalformat as nf
from ..normalize import key
from ..pointer import set_at
from .model import Extraction, Token, closest, label_key, parse_value

# Strings that only the superseded 2019 template (国办公开办函〔2019〕60号) has.
TEMPLATE_2019_MARKERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                         "其他对外管理服务事项", "第二十条第(九)项", "政府集中采购", "采购项目数量", "采购总金额")
MARKER_KEYS = tuple(key(m) for m in TEMPLATE_2019_MARKERS)

CAPTION = re.compile(r"^第二十条第\(([一二三四五六七八九十]+)\)项$")
# Words used for a format label that mean the same thing; read silently but noted.
SYNONYMS = {key("合计"): key("总计")}
# Labels of an older or local wording that name a format row.
ROW_ALIASES = {"二": {key("规范性文件"): key("行政规范性文件")}}
SUBTOTAL = key("小计")
_BRACKETS = re.compile(r"[()（）【】\[\]、]")

_HEADER_WORDS = {key(x) for x in ("信息内容", "申请人情况", "法人或其他组织", "行政复议", "行政诉讼", "未经复议直接起诉",
                                   "复议后起诉", "三、本年度办理结果")}
ALL_LABEL_KEYS = frozenset(
    {label_key(r.title) for t in nf.TABLE_NAMES.values() for r in nf.table_rows(t)}
    | {key(c.column) for c in nf.all_cells()} | _HEADER_WORDS | set(SYNONYMS)
    | {key(x) for x in ("自然人", "商业", "企业", "科研", "机构", "社会公益组织", "法律服务机构", "其他", "总计",
                         "不予公开", "无法提供", "不予处理", "其他处理", "予以公开", "部分公开")})


def is_2019(tokens: list[Token]) -> bool:
    # Keys hold no whitespace, so a newline-joined text cannot make a marker across two tokens.
    text = "\n".join(t.key for t in tokens)
    return any(m in text for m in MARKER_KEYS)


def region_end(tokens: list[Token], headings: dict[str, int], after: int, numbers: str) -> int:
    ends = [idx for num, idx in headings.items() if num in numbers and idx > after]
    return min(ends, default=len(tokens))


def is_junk(t: Token) -> bool:
    """Short text standing where a number should be (`若干`, `不详`): an invalid value, not a label."""
    return (not t.is_value and 0 < len(t.key) <= 6 and not _BRACKETS.search(t.key)
            and t.key not in ALL_LABEL_KEYS and not CAPTION.match(t.key))


def take_values(tokens: list[Token], i: int, n: int, end: int) -> tuple[list[Token | None], int]:
    """The n values from position i on, stopping at the next label.

    Blank cells count only when too few values follow (pipe layouts pad merged cells with empty
    ones that are not cells of the table). Short non-numeric text in a value's place is kept as an
    invalid value, so that the rules can say so instead of calling the cell missing.
    """
    run: list[Token] = []
    j = i
    filled_count = 0
    while j < end and filled_count < n and (tokens[j].is_value or is_junk(tokens[j])):
        run.append(tokens[j])
        filled_count += not tokens[j].is_blank
        j += 1
    filled = [t for t in run if not t.is_blank]
    if len(filled) >= n:
        return filled[:n], j
    values: list[Token | None] = list(run[:n])
    return values + [None] * (n - len(values)), j


def store(ex: Extraction, spec: nf.CellSpec, tok: Token | None) -> None:
    if tok is None:
        return
    set_at(ex.document, spec.pointer, {"value": parse_value(tok.text, spec.kind), "raw": tok.text})
    source = tok.loc.to_json()
    source["text"] = tok.text
    ex.source_map[spec.pointer] = source


def resolve_column(t: Token, columns: list[str], table: str, ex: Extraction, last: int) -> str | None:
    """The format's column a header token names (its key), noting synonyms and typos."""
    if t.key in columns:
        return t.key
    if SYNONYMS.get(t.key) in columns:
        ex.deviate(table, "synonym", nf_label(SYNONYMS[t.key]), t.text, t)
        return SYNONYMS[t.key]
    near = closest(t.key, columns)
    if near and not _cut_short(t, near, last):
        ex.deviate(table, "label", nf_label(near), t.text, t)
    return near


def _cut_short(t: Token, meant: str, last: int) -> bool:
    """A label that stops at the end of the input is truncated, not misspelt: nothing to report."""
    return t.index == last and meant.startswith(t.key)


_LABELS = {key(c.column): c.column for c in nf.all_cells()} | {label_key(r.title): r.title for t in "二三四"
                                                                 for r in nf.table_rows(t)}


def nf_label(k: str) -> str:
    return _LABELS.get(k, k)


# -- table 二 ------------------------------------------------------------------------------------

def read_t2(tokens: list[Token], ex: Extraction, consumed: set[int], headings: dict[str, int]) -> None:
    rows = nf.table_rows("二")
    start = headings.get("二")
    caption_at = next((t.index for t in tokens if CAPTION.match(t.key)), None)
    if start is None and caption_at is None:
        return
    start = start if start is not None else caption_at - 1
    end = region_end(tokens, headings, start, "三四五六")
    block: str | None = None
    header: list[str] = []
    i = start + 1
    while i < end:
        t = tokens[i]
        m = CAPTION.match(t.key)
        if m:
            block, header = f"第二十条第（{m[1]}）项", []
            consumed.add(i)
            i += 1
            continue
        row = _t2_row(t, rows, block, ex, len(tokens) - 1)
        if row is not None:
            ex.source_map.setdefault(row.pointer, {**t.loc.to_json(), "text": t.text})
            values, j = take_values(tokens, i + 1, len(row.cells), end)
            for spec, tok in zip(_column_order(row, header, ex), values):
                store(ex, spec, tok)
            consumed.update(range(i, j))
            i = j
            continue
        if block is not None and not t.is_value and len(t.key) <= 20:
            if t.key == key("信息内容"):
                consumed.add(i)
            else:
                columns = [key(c.column) for r in rows if r.group == block for c in r.cells]
                col = resolve_column(t, columns, "二", ex, len(tokens) - 1)
                if col:
                    header.append(col)
                    consumed.add(i)
        i += 1


def _t2_row(t: Token, rows: tuple[nf.RowSpec, ...], block: str | None, ex: Extraction,
            last: int) -> nf.RowSpec | None:
    if t.is_value or len(t.key) > 40:
        return None
    pool = [r for r in rows if block is None or r.group == block]
    k = label_key(t.text)
    for r in pool:
        if label_key(r.title) == k:
            return r
    alias = ROW_ALIASES["二"].get(k)
    near = alias or closest(k, [label_key(r.title) for r in pool])
    row = next((r for r in pool if label_key(r.title) == near), None)
    if row is not None and not _cut_short(t, near, last):
        ex.deviate("二", "label", row.title, t.text, t, row.pointer)
    return row


def _column_order(row: nf.RowSpec, header: list[str], ex: Extraction) -> list[nf.CellSpec]:
    """Columns in the order the block's header gives them, when it names exactly the format's columns."""
    by_key = {key(c.column): c for c in row.cells}
    named = [h for h in header if h in by_key]
    if len(named) == len(row.cells) and set(named) == set(by_key):
        order = [by_key[h] for h in named]
        if order != list(row.cells):
            ex.deviate("二", "column_order", "、".join(c.column for c in row.cells),
                       "、".join(c.column for c in order), None, row.pointer)
        return order
    return list(row.cells)


# -- table 三 ------------------------------------------------------------------------------------

# Cached by the table's name: hashing the tuple of its row specs (and their cells) on every call
# would cost more than the lookup saves.
@cache
def _row_keys(table: str) -> dict[str, nf.RowSpec]:
    """Accepted label keys per row: the label itself, and without a trailing note in parentheses."""
    out: dict[str, nf.RowSpec] = {}
    for r in nf.table_rows(table):
        k = label_key(r.title)
        out[k] = r
        short = re.sub(r"\([^()]*\)$", "", k)
        if short and short != k:
            out[short] = r
    return out


@cache
def _numbered_items(table: str) -> tuple[tuple[str, nf.RowSpec], ...]:
    """The numbered leaf rows (`1.属于国家秘密` …), whose label may follow its group's in one cell."""
    return tuple((k, r) for k, r in _row_keys(table).items() if re.match(r"\d+\.", k))


@cache
def _cells_by_column(table: str) -> dict[str, dict[str, nf.CellSpec]]:
    """Row pointer -> column label -> cell."""
    return {r.pointer: {c.column: c for c in r.cells} for r in nf.table_rows(table)}


_GROUPS = {label_key(g): g for g in {r.group for r in nf.table_rows("三") if r.group}}


def _match_row(buffer: list[Token], keys: dict[str, nf.RowSpec], done: set[str],
               ex: Extraction) -> nf.RowSpec | None:
    """The row named by the label tokens just before a run of values (labels may be split)."""
    for width in range(1, min(4, len(buffer)) + 1):
        joined = label_key("".join(t.text for t in buffer[-width:]))
        if joined in keys:
            return keys[joined]
        for k, row in _numbered_items("三"):
            # "（三）不予公开1.属于国家秘密" in one cell, or a group label before the item.
            if joined.endswith(k):
                return row
    last = buffer[-1] if buffer else None
    if last is None:
        return None
    near = closest(label_key(last.text), [k for k, r in keys.items() if r.pointer not in done])
    if near:
        ex.deviate("三", "label", keys[near].title, last.text, last, keys[near].pointer)
        return keys[near]
    return None


def read_t3(tokens: list[Token], ex: Extraction, consumed: set[int], headings: dict[str, int]) -> int:
    keys = _row_keys("三")
    by_column = _cells_by_column("三")
    start = headings.get("三")
    if start is None:
        first_row = next((t.index for t in tokens if label_key(t.text) in keys), None)
        if first_row is None:
            return headings.get("四", len(tokens))
        start = first_row - 1
    end = region_end(tokens, headings, start, "四五六")
    done: set[str] = set()
    group_values: dict[str, Token] = {}
    buffer: list[Token] = []
    i = start + 1
    last = start
    order, width = _t3_columns(tokens, start, end, keys, ex)
    while i < end:
        t = tokens[i]
        if t.is_blank or not t.is_value:
            if not t.is_blank:
                buffer.append(t)
            after = tokens[i + 1] if i + 1 < end else None
            row = None
            if not t.is_blank and after is not None and is_junk(after):
                # A row label followed by text where its first number should be (`若干`).
                row = _match_row(buffer, keys, done, ex)
            if row is None:
                i += 1
                continue
            i += 1
        else:
            row = _match_row(buffer, keys, done, ex) if buffer else None
        if row is None or row.pointer in done:
            if buffer and label_key(buffer[-1].text) in _GROUPS and buffer[-1].index not in group_values:
                group_values[buffer[-1].index] = buffer[-1]
            i += 1
            continue
        first = buffer[-1].index + 1
        values, j = take_values(tokens, first, width, end)
        ex.source_map.setdefault(row.pointer, {**buffer[-1].loc.to_json(), "text": buffer[-1].text})
        cells = by_column[row.pointer]
        for column, tok in zip(order, values):
            if column is not None:
                store(ex, cells[column], tok)
        # Labels and header cells belong to the table; a sentence above the table stays prose.
        consumed.update(t.index for t in buffer if t.kind == "cell" or (len(t.text) <= 40 and "。" not in t.text))
        consumed.update(range(first, j))
        done.add(row.pointer)
        buffer = []
        last = j
        i = j
    _group_rows(group_values, done, ex)
    if done:
        consumed.update(t.index for t in tokens[start + 1:last] if t.kind == "cell")
    return last if done else start


def _group_rows(group_values: dict[int, Token], done: set[str], ex: Extraction) -> None:
    """A group label followed by numbers is a subtotal row — or, for （六）, the 2019 template's single row."""
    for tok in group_values.values():
        group = _GROUPS[label_key(tok.text)]
        members = [r for r in nf.table_rows("三") if r.group == group]
        if group.startswith("（六）") and not any(r.pointer in done for r in members):
            ex.deviate("三", "outdated_row", "（六）其他处理：1.逾期不补正 / 2.逾期未缴费 / 3.其他 三个细项",
                       tok.text, tok)
            ex.notes.append("表三的“（六）其他处理”只有一行（2019 年试行格式的写法），没有 2021 年格式的 3 个细项，这一组未读取。")
        else:
            ex.deviate("三", "extra_row", f"{group}（格式中没有小计行）", tok.text, tok)


def _t3_columns(tokens: list[Token], start: int, end: int, keys: dict[str, nf.RowSpec],
                ex: Extraction) -> tuple[list[str | None], int]:
    """The columns in the order the values come, and how many values a row has.

    The header is read up to the first row label. Grid readers give each header cell its column,
    so a changed column order is followed; an added 小计 column is skipped. Flattened text keeps
    no columns: the format's order is assumed there.
    """
    columns = [c.column for c in nf.table_rows("三")[0].cells]
    col_keys = {key(c): c for c in columns}
    found: dict[str, Token] = {}
    subtotal: Token | None = None
    pending: list[Token] = []
    for t in tokens[start + 1:end]:
        if label_key(t.text) in keys:
            break
        if t.is_value:
            continue
        if t.key == SUBTOTAL:
            subtotal = t
            continue
        # Labels broken over two cells or lines: 商业 / 企业.
        joined = key("".join(p.text for p in pending[-1:]) + t.text)
        if pending and joined in col_keys and joined not in found:
            found[joined] = pending[-1]
            pending = []
            continue
        if t.key in col_keys and t.key not in found:
            found[t.key] = t
            pending = []
        else:
            pending = [t]
    order: list[str | None] = list(columns)
    if len(found) == len(columns) and all(t.loc.col is not None for t in found.values()):
        grid = sorted(found.items(), key=lambda kv: kv[1].loc.col)
        order = [col_keys[k] for k, _ in grid]
        if subtotal is not None and subtotal.loc.col is not None:
            at = sum(1 for _, t in grid if t.loc.col < subtotal.loc.col)
            order.insert(at, None)
        if [c for c in order if c] != columns:
            ex.deviate("三", "column_order", "、".join(columns), "、".join(c for c in order if c), None)
    elif subtotal is not None:
        order.insert(len(columns) - 1, None)
    if subtotal is not None:
        ex.deviate("三", "extra_column", "（格式中没有小计列）", subtotal.text, subtotal)
    return order, len(order)


# -- table 四 ------------------------------------------------------------------------------------

def read_t4(tokens: list[Token], ex: Extraction, consumed: set[int], headings: dict[str, int], after: int) -> None:
    start = headings.get("四", after)
    review = key("行政复议")
    # The table's first header cell; as a bare line it is a cell too (one-cell-per-line layouts).
    anchor = next((t.index for t in tokens[start:] if t.key == review), None)
    if anchor is None:
        return
    end = region_end(tokens, headings, anchor, "五六")
    first_value = next((t.index for t in tokens[anchor:end] if t.is_value and not t.is_blank), None)
    if first_value is None:
        return
    columns = [key(c.column) for c in nf.table_rows("四")[0].cells]
    for t in tokens[anchor:first_value]:
        if not t.is_value and t.key not in columns and t.key not in _HEADER_WORDS:
            resolve_column(t, columns, "四", ex, len(tokens) - 1)
    cells = [c for r in nf.table_rows("四") for c in r.cells]
    values, j = take_values(tokens, first_value, len(cells), end)
    for spec, tok in zip(cells, values):
        store(ex, spec, tok)
    consumed.update(range(anchor, j))
