"""Web pages (HTML) as agencies publish them: bytes -> Layout.

Three things make a published page harder than it looks:

- Encoding. Pages declare gb2312 or gbk and then contain characters only GB18030 has; libxml2 stops
  at the first such character without a word. So the bytes are decoded here (BOM, then the declared
  charset with gb2312/gbk widened to gb18030, then detection) and lxml only ever sees UTF-8.
- Page chrome. Navigation, breadcrumbs, metadata boxes, share links and footers surround the report.
  The report is taken from the smallest element that holds all its part headings and statistics
  tables; short paragraphs that are plainly chrome are dropped even inside it. The publication date
  and publisher of the metadata box are kept (as cells before the report, the way text copies of
  such pages carry them), and so is the title shown above the report or in the page head when the
  report itself has none.
- Merged cells. Rows and columns are expanded into a grid (spans capped as browsers cap them) so
  that each physical cell is emitted once at its top-left position.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from lxml import etree

from ..errors import UnreadableInput
from ..layout import Block, Layout, Location, SourceInfo
from ..normalize import clean, key
from .text import read_text

# -- decoding ----------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Names under which pages declare a Chinese national encoding; all are read as GB18030, their superset.
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn",
                       "csgb2312", "gb_2312", "gb_2312-80", "csgb231280", "csiso58gb231280", "iso-ir-58", "chinese"})
_BIG5_NAMES = frozenset({"big5", "big5-hkscs", "big5hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950"})
# Single-byte Western charsets: declared on Chinese pages only by mistake (server defaults).
_WESTERN = frozenset({"ascii", "latin_1", "iso8859-1", "cp1252", "iso8859-15"})
_PRESCAN = 8192
_MAX_REPLACED = 0.005   # share of undecodable characters still worth reading, with a note
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HTML_TAG = re.compile(r"<(?:html|body|head|table|tr|td|div|p|br|span|h[1-6]|font|center)\b", re.I)


def _codec(name: bytes) -> str | None:
    """The codec to read a declared charset with, or None when the declaration cannot be trusted."""
    label = name.decode("ascii", "replace").strip().lower()
    if label in _GB_NAMES or label.startswith("gb"):
        return "gb18030"
    if label in _BIG5_NAMES:
        return "big5hkscs"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    if codec in ("gb2312", "gbk", "gb18030"):
        return "gb18030"
    if codec in _WESTERN or codec.startswith("utf-16") or codec.startswith("utf-32"):
        # A byte page cannot be UTF-16 (the HTML standard reads such a declaration as UTF-8), and
        # a Western declaration on a Chinese report is a server default, not the page's encoding.
        return None
    return codec


def _declared(data: bytes) -> bytes | None:
    head = data[:_PRESCAN]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m[1] if m else None


def _utf8_text(data: bytes) -> str | None:
    """The page as UTF-8 when it is valid UTF-8 with enough non-ASCII bytes to be sure of it."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # GBK bytes form valid UTF-8 by chance only in a handful of characters, never in a report's worth.
    return text if len(data) - len(text) >= 16 else None


def decode_page(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Text of the page, the encoding used, and notes about how it was chosen."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), label.lower(), []
            except UnicodeDecodeError:
                raise UnreadableInput(f"{name} 以 {label} 的字节顺序标记开头，但内容不是有效的 {label} 文字。"
                                      "请用浏览器打开后另存为网页再试。") from None
    raw = _declared(data)
    codec = _codec(raw) if raw else None
    shown = raw.decode("ascii", "replace") if raw else ""
    if codec:
        if codec != "utf-8":
            text = _utf8_text(data)
            if text is not None:
                return text, "utf-8", [f"网页声明的编码是 {shown}，但内容实际是 UTF-8，已按 UTF-8 读取。"]
        try:
            return data.decode(codec), codec, []
        except (UnicodeDecodeError, LookupError):
            notes = [f"网页声明的编码是 {shown}，但内容不符合该编码。"]
    else:
        notes = [f"网页声明的编码 {shown} 不适用于中文报告，已忽略。"] if raw else []
    for codec, label in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if raw or re.search(r"[^\x00-\x7f]", text):
            notes.append(f"网页的文字编码是推测的：按 {label} 读取。")
        return text, codec, notes
    # Neither decodes cleanly: a few damaged bytes are worth reading around; garbage is not.
    best = min((data.decode(c, "replace") for c in ("utf-8", "gb18030")), key=lambda t: t.count("\ufffd"))
    bad = best.count("\ufffd")
    if bad > max(3, len(best) * _MAX_REPLACED):
        raise UnreadableInput(f"{name} 的文字编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）。"
                              "请用浏览器打开后另存为 UTF-8 编码的网页再试。")
    codec = "utf-8" if best == data.decode("utf-8", "replace") else "gb18030"
    notes.append(f"网页按 {codec.upper()} 读取，其中 {bad} 处字节已损坏，以“\ufffd”代替。")
    return best, codec, notes


# -- the walk over the page --------------------------------------------------------------------

_BLOCK = frozenset({"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
                    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
                    "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu",
                    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
                    "ul", "xmp"})
# Never rendered as text, or controls rather than content.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link", "base", "select",
                        "option", "optgroup", "datalist", "button", "input", "textarea", "iframe", "frame", "frameset",
                        "object", "embed", "applet", "svg", "math", "canvas", "audio", "video", "map", "img"})
_PREFORMATTED = frozenset({"pre", "xmp", "listing", "plaintext"})
_PRE_SOURCE = SourceInfo("", "text", "", 0)
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
# id/class words of chrome boxes, alone or inside a word (`topnav`, `navBar`, `site-footer`, `bdsharebuttonbox`).
_CHROME_WORD = re.compile(r"^(?:\w*nav(?:bar|igation)?|nav\w*|\w*menu|menu\w*|\w*crumbs?|bread\w*|dqwz|\w*share\w*|"
                          r"\w*footer|footer\w*|foot|copyright|sidebar)$")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASS = frozenset({"hidden", "hide", "d-none"})
_TOKENS = re.compile(r"[\s_-]+")
_CONTAINERS = frozenset({"div", "section", "article", "main", "td", "th", "body", "blockquote", "center", "form", "dd",
                         "li"})
_CONTENT_HINT = re.compile(r"zoom|content|article|trs_editor|custom_unionstyle|xxgk|view|detail|main|text|wzy|nr",
                           re.I)

# Line breaks in the source between Chinese characters are not spaces (CSS Text 3 segment breaks):
# Word's HTML export wraps long lines anywhere in a paragraph.
_WIDE = ("\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
         "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff")
_SEGMENT_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t\r\n\f]*[\r\n][ \t\r\n\f]*|[ \t\r\n\f]*[\r\n][ \t\r\n\f]*(?=[{_WIDE}])")

# Spans beyond these are nonsense (the HTML standard caps colspan at 1000); the area bounds the work
# a hostile table can cause.
_MAX_COLSPAN = 1000
_MAX_SPAN_AREA = 200_000
# A report has a few hundred cells and paragraphs; a page with this many is not one, and reading on
# would only fill memory.
_MAX_RECORDS = 200_000
_SPAN = re.compile(r"\s*(\d{1,9})")


def _fold(text: str) -> str:
    """`clean` after joining lines broken beside Chinese characters. Short texts (values, labels)
    repeat within and across pages and are cached; ASCII needs only its spaces folded."""
    return _fold_short(text) if len(text) <= 64 else _fold_text(text)


def _fold_text(text: str) -> str:
    if text.isascii():
        return " ".join(text.split())
    if "\n" in text or "\r" in text:
        text = _SEGMENT_BREAK.sub("", text)
    return clean(text)


_fold_short = lru_cache(maxsize=4096)(_fold_text)


def _hidden(el: Any) -> bool:
    if not el.attrib:
        return False
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    cls = el.get("class")
    return bool(cls) and not _HIDDEN_CLASS.isdisjoint(cls.lower().split())


def _is_chrome(el: Any) -> bool:
    if el.tag in _CHROME_TAGS:
        return True
    for attr in ("id", "class"):
        value = el.get(attr)
        if value and any(_CHROME_WORD.match(word) for word in _TOKENS.split(value.lower())):
            return True
    return False


def _skip(el: Any) -> bool:
    return not isinstance(el.tag, str) or el.tag in _INVISIBLE or _hidden(el)


@dataclass
class _Rec:
    kind: str                  # "paragraph" or "cell"
    text: str
    line: int | None
    owner: Any                 # the block element of a paragraph, the table of a cell
    chrome: bool
    row: int = 0               # row and column in the table's grid; 0 for a cell of preformatted text
    col: int = 0


def _line(el: Any, text: str) -> int | None:
    if el.sourceline is None:
        return None
    stripped = text.lstrip()
    return el.sourceline + text[: len(text) - len(stripped)].count("\n")


class _Walker:
    """Reading order of a page: paragraphs from block elements and <br>, cells from data tables."""

    def __init__(self) -> None:
        self.recs: list[_Rec] = []
        self.notes: list[str] = []
        self._pieces: list[str] = []
        self._line: int | None = None
        self._owners: list[Any] = []
        self._chrome = 0
        self._span_area = 0

    def _add(self, text: str | None, el: Any) -> None:
        if not text:
            return
        self._pieces.append(text)
        if self._line is None and not text.isspace():
            self._line = _line(el, text)

    def _room(self, more: int) -> None:
        if len(self.recs) + more > _MAX_RECORDS:
            raise UnreadableInput(f"网页中的段落和表格单元格超过 {_MAX_RECORDS // 10000} 万个，不像一份年度报告，已停止读取。")

    def _flush(self) -> None:
        if self._pieces:
            text = _fold("".join(self._pieces))
            if text:
                self._room(1)
                self.recs.append(_Rec("paragraph", text, self._line, self._owners[-1], self._chrome > 0))
        self._pieces = []
        self._line = None

    def walk(self, root: Any) -> None:
        self._owners.append(root)
        walker = etree.iterwalk(root, events=("start", "end"))
        done = None   # an element whose subtree was skipped or read as a table: only its tail is left
        for event, el in walker:
            if event == "start":
                if el is not root and _skip(el):
                    walker.skip_subtree()
                    done = el
                    continue
                tag = el.tag
                if tag in _PREFORMATTED:
                    self._flush()
                    self._preformatted(el)
                    walker.skip_subtree()
                    done = el
                    continue
                if tag == "table" and not _is_layout_table(el):
                    self._flush()
                    self._table(el)
                    walker.skip_subtree()
                    done = el
                    continue
                if _is_chrome(el):
                    self._chrome += 1
                if tag in _BLOCK:
                    self._flush()
                    self._owners.append(el)
                    self._add(el.text, el)
                elif tag == "br":
                    self._flush()
                else:
                    self._add(el.text, el)
                continue
            if el is done:
                done = None
            else:
                if el.tag in _BLOCK:
                    self._flush()
                    self._owners.pop()
                if _is_chrome(el):
                    self._chrome -= 1
            if el is not root:
                self._add(el.tail, el)
        self._flush()

    def _preformatted(self, el: Any) -> None:
        """Text pasted into <pre> keeps its lines, and a report copied as text keeps its text layout:
        it is read by the text reader, with lines counted from the element's."""
        text = "".join(el.itertext())
        if el.text and el.text.startswith("\n"):
            text = text[1:]    # HTML drops the newline right after <pre>
        first = (el.sourceline or 1) + (1 if el.text and el.text.startswith("\n") else 0)
        chrome = self._chrome > 0
        blocks = read_text(text, _PRE_SOURCE).blocks
        self._room(len(blocks))
        for b in blocks:
            self.recs.append(_Rec(b.kind, b.text, first + (b.loc.line or 1) - 1, el, chrome))

    # -- tables --

    def _table(self, table: Any) -> None:
        chrome = self._chrome > 0 or _is_chrome(table)
        caption = next((c for c in table if c.tag == "caption"), None)
        if caption is not None:
            text = _cell_text(caption)
            if text:
                self.recs.append(_Rec("paragraph", text, caption.sourceline, table, chrome))
        grid = self._grid(table)
        self._room(len(grid))
        for row, col, cell in grid:
            self.recs.append(_Rec("cell", _cell_text(cell), cell.sourceline, table, chrome, row, col))

    def _grid(self, table: Any) -> list[tuple[int, int, Any]]:
        """(row, column, cell) of each physical cell, 1-based, in the grid with spans expanded."""
        rows = _rows(table)
        occupied: dict[int, set[int]] = {}
        out: list[tuple[int, int, Any]] = []
        clamped = False
        for r, tr in enumerate(rows):
            taken = occupied.pop(r, set())
            if _hidden(tr) or tr.get("height") == "0" and not "".join(tr.itertext()).strip():
                continue    # not shown; Word's zero-height row only fixes column widths
            col = 1
            for cell in tr:
                if cell.tag not in ("td", "th") or _hidden(cell):
                    continue
                while col in taken:
                    col += 1
                out.append((r + 1, col, cell))
                if not cell.attrib:
                    col += 1
                    continue
                colspan = min(_span(cell.get("colspan")), _MAX_COLSPAN)
                rowspan = _span(cell.get("rowspan"), zero_means=len(rows) - r)
                rowspan = min(rowspan, len(rows) - r)   # a span never reaches past the table's last row
                if rowspan > 1:
                    area = (rowspan - 1) * colspan
                    if self._span_area + area > _MAX_SPAN_AREA:
                        clamped = True
                        rowspan = 1
                    else:
                        self._span_area += area
                        cols = range(col, col + colspan)
                        for below in range(r + 1, r + rowspan):
                            occupied.setdefault(below, set()).update(cols)
                col += colspan
        if clamped:
            self.notes.append("网页中有合并范围异常大的表格单元格，超出部分已按未合并处理。")
        return out


def _span(value: str | None, zero_means: int = 1) -> int:
    m = _SPAN.match(value) if value else None
    if not m:
        return 1
    n = int(m[1])
    return zero_means if n == 0 else n


def _rows(table: Any) -> list[Any]:
    rows: list[Any] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def _is_layout_table(table: Any) -> bool:
    """A table that arranges the page rather than holding data: one cell, or wrapping a real table."""
    cells = [c for tr in _rows(table) for c in tr if c.tag in ("td", "th")]
    if len(cells) <= 1:
        return True
    for inner in table.iterdescendants("table"):
        rows = _rows(inner)
        if len(rows) >= 2 and any(sum(1 for c in tr if c.tag in ("td", "th")) >= 2 for tr in rows):
            return True
    return False


def _cell_text(cell: Any) -> str:
    """Text of a cell; pieces split by <br>, <p> or a nested table are joined as the eye reads them."""
    if len(cell) == 0:
        return _fold(cell.text or "")
    pieces: list[str] = []
    walker = etree.iterwalk(cell, events=("start", "end"))
    skipped = None
    for event, el in walker:
        if event == "start":
            if el is not cell and _skip(el):
                walker.skip_subtree()
                skipped = el
                continue
            if el.tag in _BLOCK or el.tag == "br":
                pieces.append("\n")
            if el.text:
                pieces.append(el.text)
            continue
        if el is skipped:
            skipped = None
        elif el.tag in _BLOCK:
            pieces.append("\n")
        if el is not cell and el.tail:
            pieces.append(el.tail)
    return _fold("".join(pieces))


# -- what belongs to the report ----------------------------------------------------------------

# Short paragraphs starting like a part heading (一、 … 六、) locate the report on the page.
_HEADING_LIKE = re.compile(r"^[一二三四五六][、.,．]")
_REPORT_TABLE = tuple(key(s) for s in ("第二十条", "申请人情况", "行政复议", "本年新收", "予以公开", "本年制发"))
_META_LABEL = re.compile(r"(索引号|发布机构|发文机关|发布日期|成文日期|发布时间|发文日期|文号|发文字号|主题分类|组配分类|公开方式|"
                         r"公开范围|公开时限|生成日期|有效性|信息来源|主题词|体裁分类|服务对象|来源|浏览次数|点击数|访问次数|"
                         r"阅读次数|字号)\s*[:：]")
_CHROME_TEXT = (
    re.compile(r"^(当前位置|您的位置|你的位置|您现在的位置|你现在的位置|所在位置|当前所在位置)\s*[:：]"),
    re.compile(r"版权所有|网站标识码|ICP备|ICP证|公网安备|Copyright|©", re.I),
    re.compile(r"^(主办单位|承办单位|主办|承办|技术支持|运维单位|运行维护)\s*[:：]"),
    re.compile(r"^(?:[\s【】\[\]|｜:：]*(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|分享到|分享|收藏本页|收藏|返回顶部|返回|保存本页|"
               r"扫一扫在手机打开当前页|扫一扫|在手机打开|微信|微博|QQ空间|字号|字体|大|中|小|默认|【|】))+[\s【】\[\]|｜]*$"),
)
_TITLE = re.compile(r"(?:19|20)\d{2}年.{0,60}(?:年度报告|工作报告|年报)》?$")
_TITLE_AT_TOP = re.compile(r"(年度报告|工作报告|年报)》?$")
_DATE = re.compile(r"(发布日期|发布时间|公开日期|成文日期|发文日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})"
                   r"\s*[-月/.]\s*(\d{1,2})")
_DATE_RANK = {"发布日期": 0, "发布时间": 0, "公开日期": 1, "成文日期": 2, "发文日期": 2}
_DATE_LABEL = {"发布时间": "发布日期", "发文日期": "成文日期"}
# A publisher's name is followed by a space or the end of its cell, never by a colon (the next label).
_PUBLISHER = re.compile(r"发布机构\s*[:：]?\s*([^\s|:：]{2,30})(?=\s|$)")
_META_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _chrome_text(text: str) -> bool:
    if len(text) > 300:
        return False
    if len(text) <= 60 and _META_LABEL.match(text):
        return True
    if len(set(m[1] for m in _META_LABEL.finditer(text))) >= 2:
        return True
    return any(p.search(text) for p in _CHROME_TEXT)


def _report_tables(recs: list[_Rec]) -> set[Any]:
    found: set[Any] = set()
    for r in recs:
        if r.kind == "cell" and r.owner not in found:
            k = key(r.text)
            if any(m in k for m in _REPORT_TABLE):
                found.add(r.owner)
    return found


def _metadata_tables(recs: list[_Rec], report: set[Any]) -> set[Any]:
    """Tables of 索引号 / 发布机构 / 发布日期 … around the report: chrome, not data."""
    labels: dict[Any, set[str]] = {}
    for r in recs:
        if r.kind == "cell" and r.row and r.owner not in report:
            labels.setdefault(r.owner, set()).update(m[1] for m in _META_LABEL.finditer(r.text))
    return {t for t, found in labels.items() if len(found) >= 2}


def _container(recs: list[_Rec], report_tables: set[Any], body: Any) -> Any:
    """The smallest block holding every part heading and statistics table found; else a content
    element named as such; else the body."""
    markers = [r.owner for r in recs if not r.chrome and r.kind == "paragraph" and len(r.text) <= 40
               and _HEADING_LIKE.match(key(r.text))]
    markers += [t for t in report_tables if not _chrome_owner(recs, t)]
    if markers:
        paths = [list(m.iterancestors())[::-1] + [m] for m in markers]
        common = None
        for level in zip(*paths):
            if any(e is not level[0] for e in level):
                break
            common = level[0]
        node = common if common is not None else body
        while node is not body and node.tag not in _CONTAINERS:
            parent = node.getparent()
            if parent is None:
                break
            node = parent
        return node
    hinted = {el: 0 for el in body.iter("div", "section", "article", "td", "main")
              if _CONTENT_HINT.search((el.get("id") or "") + " " + (el.get("class") or ""))}
    if hinted:
        for r in recs:
            if r.chrome:
                continue
            for el in r.owner.iterancestors() if r.kind == "cell" else [r.owner, *r.owner.iterancestors()]:
                if el in hinted:
                    hinted[el] += len(r.text)
        best = max(hinted.values())
        if best:
            # Of the hinted elements holding the most text, the innermost (document order puts it last).
            return [el for el, size in hinted.items() if size == best][-1]
    return body


def _chrome_owner(recs: list[_Rec], table: Any) -> bool:
    return any(r.chrome for r in recs if r.owner is table)


def _metadata(recs: list[_Rec], root: Any) -> list[_Rec]:
    """The publication date and publisher of the page's metadata box, as cells before the report.

    Text copies of these pages carry the box as a row of cells (`发布日期 | 2023-01-30 |`), and the
    extractor reads the date and publisher from the cells before the first heading; as cells they
    stay out of the preamble, so the report reads the same with or without its page around it.
    """
    texts, starts, pos = [], [], 0
    for r in recs:
        texts.append(r.text)
        starts.append(pos)
        pos += len(r.text) + 1
    joined = "\n".join(texts)
    found: list[_Rec] = []
    best = None
    for m in _DATE.finditer(joined):
        if not (1 <= int(m[3]) <= 12 and 1 <= int(m[4]) <= 31):
            continue
        rank = _DATE_RANK[m[1]]
        if best is None or rank < best[0]:
            best = (rank, m)
    if best is not None:
        m = best[1]
        line = recs[bisect.bisect_right(starts, m.start()) - 1].line
        found.append(_Rec("cell", f"{_DATE_LABEL.get(m[1], m[1])}：{m[2]}-{int(m[3]):02d}-{int(m[4]):02d}", line,
                          None, False))
    else:
        for meta in root.iter("meta"):
            if (meta.get("name") or "").lower() in ("pubdate", "publishdate", "firstpublishedtime", "articlepublishdate"):
                m = _META_DATE.search(meta.get("content") or "")
                if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
                    found.append(_Rec("cell", f"发布日期：{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", meta.sourceline,
                                      None, False))
                    break
    m = _PUBLISHER.search(joined)
    if m:
        line = recs[bisect.bisect_right(starts, m.start()) - 1].line
        found.append(_Rec("cell", f"发布机构：{m[1]}", line, None, False))
    return found


def _page_title(root: Any) -> _Rec | None:
    el = root.find(".//title")
    if el is None or not el.text:
        return None
    for piece in re.split(r"[_|｜]|\s[-–—]+\s|--|——", el.text):
        text = _fold(piece)
        if _TITLE.search(text):
            return _Rec("paragraph", text, el.sourceline, None, False)
    return None


def _title(recs: list[_Rec], content: list[_Rec], first_inside: int, root: Any) -> tuple[_Rec | None, str | None]:
    """A title to put before the content when the content has none, and a note saying where it came from."""
    top = []
    for r in content:
        if r.kind == "paragraph":
            if _HEADING_LIKE.match(key(r.text)):
                break
            top.append(r)
    if any(len(r.text) <= 80 and _TITLE_AT_TOP.search(r.text) for r in top[:4]):
        return None, None
    for r in reversed(recs[:first_inside]):
        if r.kind == "paragraph" and not r.chrome and len(r.text) <= 80 and _TITLE.search(r.text) \
                and not _chrome_text(r.text):
            return r, None
    title = _page_title(root)
    if title is not None:
        return title, "正文中没有报告标题，已采用网页标题。"
    return None, None


# -- entry point -------------------------------------------------------------------------------

def read_html(data: bytes, source: SourceInfo) -> Layout:
    text, encoding, notes = decode_page(data, source.name)
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100) or not _HTML_TAG.search(text[:65536]):
        raise UnreadableInput(f"{source.name} 看起来不是网页（HTML）：找不到网页的正文结构。"
                              "请确认文件完整，或另存为网页、Word 或纯文本后再试。")
    text = _CONTROL.sub("", text)
    # The page's own declaration would make libxml2 re-decode; it is handed UTF-8 and told so. This
    # is lxml's HTML parser without lxml.html's Python element classes, which would cost a third of
    # the reading time; huge_tree stays off, so nesting deeper than libxml2's limit is cut off.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=False,
                              no_network=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        raise UnreadableInput(f"{source.name} 是空白或损坏的网页，没有可读的内容。")
    body = root.find("body")
    if body is None:
        body = root
    walker = _Walker()
    walker.walk(body)
    notes += walker.notes
    recs = walker.recs
    report_tables = _report_tables(recs)
    container = _container(recs, report_tables, body)
    inside = set(container.iter())
    chrome_tables = _metadata_tables(recs, report_tables)
    first_inside = next((i for i, r in enumerate(recs) if r.owner in inside), len(recs))
    content = [r for r in recs
               if r.owner in inside and not r.chrome and r.owner not in chrome_tables
               and not (r.kind == "paragraph" and _chrome_text(r.text))]
    if not content:
        raise UnreadableInput(f"{source.name} 中没有可读的正文文字（可能是需要脚本加载的页面、框架页或空白页）。"
                              "请在浏览器中打开报告正文后另存为网页再试。")
    lead = _metadata(recs, root)
    title, note = _title(recs, content, first_inside, root)
    if title is not None:
        lead.append(title)
        if note:
            notes.append(note)
    numbers: dict[Any, int] = {}
    blocks = []
    for r in lead + content:
        if r.kind == "cell" and r.row:
            k = numbers.setdefault(r.owner, len(numbers) + 1)
            blocks.append(Block("cell", r.text, Location(line=r.line, table=k, row=r.row, col=r.col)))
        else:
            blocks.append(Block(r.kind, r.text, Location(line=r.line)))
    return Layout(source=replace(source, encoding=encoding), blocks=blocks, notes=notes)
