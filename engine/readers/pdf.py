"""PDF reports (pdfplumber): ruled tables become cell grids, the text around them paragraphs.

What published PDFs do, and what this reader does about it:

- Tables are found from their ruling lines (`find_tables`). Word and WPS also paint white
  background rectangles behind every line of prose; their edges are not rulings and are ignored,
  otherwise the prose would come out as a one-column table.
- A table cut by a page break continues on the next page with the same columns, with or without
  its header repeated: it is read as one table, its rows numbered on, the repeated header dropped.
- Page numbers (`-2-`, `- 2 -`, `第 2 页`) and running headers/footers are dropped, so they never
  land between two parts of a table or in the middle of a paragraph.
- Text inside a cell is joined line by line without spaces, so labels wrapped in narrow columns
  (`商业`/`企业`) and vertically set labels (`三` `、` `本` …) come out whole.
- Prose wrapped over several lines is one paragraph; a paragraph starts at an indented line,
  after a line that stops short of the right margin, or at a heading such as `一、` or `（一）`.

Parsing runs in a child process with a time limit (`GONGKAI_PDF_TIMEOUT`, seconds, default 60),
because a hostile or broken PDF can keep pdfminer busy for ever.
"""

from __future__ import annotations

import bisect
import io
import logging
import math
import multiprocessing
import os
import re
import signal
import statistics
import threading
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.cmapdb import CMapDB
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfplumber.page import DerivedPage
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import UnreadableInput
from ..layout import Block, Layout, Location, SourceInfo
from ..normalize import clean

MAX_PAGES = 300
MEMORY_LIMIT = 2 * 1024**3     # bytes a parsing child may allocate beyond what it inherits
DEFAULT_TIMEOUT = 60.0
TIMEOUT_ENV = "GONGKAI_PDF_TIMEOUT"

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}

# Top and bottom bands of a page where running headers, footers and page numbers live.
HEADER_BAND = 0.10
FOOTER_BAND = 0.90
_PAGE_NUMBER = re.compile(
    r"^(?:[-‐‑‒–—―－~～·•]*\s*\d{1,4}\s*[-‐‑‒–—―－~～·•]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[Pp](?:age|\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$")
# Rows of one table piece share exact coordinates; the pieces of a table cut by a page break are
# drawn separately, so their column lines agree only to a couple of points.
ROW_TOLERANCE = 1.0
COLUMN_TOLERANCE = 2.5
# A gap this many characters wide inside a line separates columns of a table drawn without rules.
COLUMN_GAP = 1.5
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def read_pdf(data: bytes, source: SourceInfo) -> Layout:
    blocks, notes = _in_child(data)
    return Layout(source=source, blocks=blocks, notes=notes)


# -- the child process and its time limit -------------------------------------------------------

def timeout_seconds() -> float:
    """The time limit for parsing one PDF, from GONGKAI_PDF_TIMEOUT (seconds) or the default."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise UnreadableInput(f"环境变量 {TIMEOUT_ENV} 的值“{raw}”不是秒数，请设为正数（例如 60）。") from None
    if not math.isfinite(value) or value <= 0:
        raise UnreadableInput(f"环境变量 {TIMEOUT_ENV} 的值“{raw}”无效，请设为正数（例如 60）。")
    return value


def _context() -> multiprocessing.context.BaseContext:
    # fork starts in a few milliseconds with pdfplumber already imported; spawn is the portable fallback.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _timeout_message(limit: float) -> str:
    return (f"解析 PDF 超过了 {limit:g} 秒的时间限制，已停止。文件可能已损坏或结构异常；"
            f"如确属正常的大文件，可调大环境变量 {TIMEOUT_ENV}（单位：秒）后重试。")


# Character maps (CMaps) of non-embedded CJK fonts (STSong-Light and the like, common in PDFs made
# by government systems) take pdfminer tens of milliseconds to load, and a child process loses what
# it loaded when it ends. The children report the maps they needed; the parent loads those before
# the next child is forked, so that in a batch each map is loaded once.
_CMAPS_USED: set[tuple[str, str]] = set()


def _warm_cmaps() -> None:
    loaded_cmaps = getattr(CMapDB, "_cmap_cache", {})
    loaded_umaps = getattr(CMapDB, "_umap_cache", {})
    for kind, name in sorted(_CMAPS_USED):
        try:
            if kind == "cmap" and name not in loaded_cmaps:
                CMapDB.get_cmap(name)
            elif kind == "umap" and name not in loaded_umaps:
                CMapDB.get_unicode_map(name)
        except CMapDB.CMapNotFound:
            pass


def _cmaps_loaded() -> set[tuple[str, str]]:
    return ({("cmap", n) for n in getattr(CMapDB, "_cmap_cache", {})}
            | {("umap", n) for n in getattr(CMapDB, "_umap_cache", {})})


def _in_child(data: bytes) -> tuple[list[Block], list[str]]:
    limit = timeout_seconds()
    if multiprocessing.current_process().daemon:
        # Workers of a multiprocessing.Pool are daemonic and may not start children of their own.
        return _unpack(_with_alarm(data, limit))
    _warm_cmaps()
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(data, sender), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(limit):
            raise UnreadableInput(_timeout_message(limit))
        try:
            result = receiver.recv()
        except (EOFError, OSError):
            raise UnreadableInput("解析 PDF 的进程意外退出（文件可能已损坏，或占用内存过多）。") from None
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    status, payload, cmaps = result
    _CMAPS_USED.update(cmaps)
    return _unpack((status, payload))


def _limit_memory() -> None:
    """Cap the child's address space, so that a compression bomb ends in MemoryError, not in swap."""
    try:
        import resource
        with open("/proc/self/statm") as fh:
            in_use = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = in_use + MEMORY_LIMIT
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):
        pass   # not Linux: the time limit still applies


def _child_main(data: bytes, sender: Any) -> None:
    _limit_memory()
    status, payload = _guarded_parse(data)
    sender.send((status, payload, _cmaps_loaded()))
    sender.close()


def _guarded_parse(data: bytes) -> tuple[str, Any]:
    """parse() with every failure turned into a message that can cross the process boundary."""
    try:
        return "ok", parse(data)
    except UnreadableInput as err:
        return "error", str(err)
    except RecursionError:
        return "error", "PDF 的对象嵌套过深，无法解析（文件可能已损坏或被恶意构造）。"
    except MemoryError:
        return "error", ("解析 PDF 所需的内存超过了上限（文件可能含有压缩炸弹，或已损坏）。"
                         "请确认文件来源，或改用报告的网页版、Word 版。")
    except Exception:
        # pdfminer raises all kinds of errors on damaged files, and a bug of ours lands here too:
        # the traceback goes along for GONGKAI_DEBUG.
        return "crash", traceback.format_exc()


def _unpack(result: tuple[str, Any]) -> tuple[list[Block], list[str]]:
    status, payload = result
    if status == "ok":
        return payload
    if status == "error":
        raise UnreadableInput(payload)
    if os.environ.get("GONGKAI_DEBUG"):
        raise RuntimeError(f"解析 PDF 时出错：\n{payload}")
    raise UnreadableInput("无法解析 PDF：文件已损坏或不完整（例如没有下载完整）。请重新获取原文件后再试"
                          "（设置环境变量 GONGKAI_DEBUG=1 可显示详细原因）。")


class _TimeUp(BaseException):
    """Raised by the timer signal; a BaseException so that pdfminer's `except Exception` lets it pass."""


def _with_alarm(data: bytes, limit: float) -> tuple[str, Any]:
    """parse() in this process under a timer signal, where no child process may be started."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return _guarded_parse(data)

    def expire(signum: int, frame: Any) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return _guarded_parse(data)
    except _TimeUp:
        return "error", _timeout_message(limit)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- opening ------------------------------------------------------------------------------------

class _CountingHandler(logging.Handler):
    """Counts pdfminer's complaints about damaged content instead of letting them reach the terminal."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def parse(data: bytes) -> tuple[list[Block], list[str]]:
    """Blocks and notes of a PDF, in this process (read_pdf runs it in a child with a time limit)."""
    logger = logging.getLogger("pdfminer")
    handler = _CountingHandler()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            blocks, notes = _parse(data)
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved
    if handler.count:
        notes.append(f"PDF 中有 {handler.count} 处内容已损坏或不合规范，读取时已跳过；如有数值缺失，请核对原文件。")
    return blocks, notes


def _parse(data: bytes) -> tuple[list[Block], list[str]]:
    notes: list[str] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data), raise_unicode_errors=False)
    except PdfminerException as err:
        raise UnreadableInput(_open_error(err.args[0] if err.args else err)) from None
    with pdf:
        if pdf.doc.encryption is not None:
            notes.append("该 PDF 设置了权限加密（无需密码即可打开），已照常读取其中的文字。")
        count = _page_count(pdf)
        if count > MAX_PAGES:
            raise UnreadableInput(f"PDF 共有 {count} 页，超过 {MAX_PAGES} 页的上限，不像是一份年度报告。"
                                  "请只提交年度报告本身。")
        pages: list[_Page] = []
        damaged: list[int] = []
        for page in pdf.pages:
            try:
                pages.append(_read_page(page))
            except PdfminerException as err:
                if err.args and isinstance(err.args[0], (MemoryError, RecursionError)):
                    raise err.args[0] from None
                # One damaged page content stream need not lose the whole report.
                pages.append(_Page(page.page_number, float(page.height), [], False, False))
                damaged.append(page.page_number)
    if not pages:
        raise UnreadableInput("PDF 中没有任何页面（文件可能已损坏或不完整）。")
    if len(damaged) == len(pages):
        raise UnreadableInput("PDF 的每一页都已损坏，无法读取。请重新获取原文件后再试。")
    if damaged:
        notes.append(f"第 {'、'.join(map(str, damaged))} 页的内容已损坏，无法读取，已跳过。")
    if not any(p.has_text for p in pages):
        if any(p.has_images for p in pages):
            raise UnreadableInput("该 PDF 没有文字层（是扫描件或图片），无法读取其中的文字。"
                                  "请先用 OCR（文字识别）软件处理后再检查，或改用报告的网页版、Word 版。")
        raise UnreadableInput("该 PDF 中没有任何可读取的文字。")
    blank = [str(p.number) for p in pages if not p.has_text and p.has_images]
    if blank:
        notes.append(f"第 {'、'.join(blank)} 页没有文字层（可能是扫描页），这些页的内容未能读取，需要 OCR。")
    return _assemble(pages, notes), notes


def _open_error(cause: Any) -> str:
    if isinstance(cause, PDFPasswordIncorrect):
        return "该 PDF 已加密，需要密码才能打开，无法读取。请提交未加密的版本。"
    if isinstance(cause, PDFEncryptionError):
        return "该 PDF 已加密，且加密方式无法识别，无法读取。请提交未加密的版本。"
    return "无法打开 PDF：文件已损坏或不完整（例如没有下载完整）。请重新获取原文件后再试。"


def _page_count(pdf: Any) -> int:
    # /Count of the page tree answers without walking a possibly huge tree.
    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        if isinstance(count, int):
            return count
    except Exception:  # a damaged catalogue: count the pages themselves
        pass
    return len(pdf.pages)


# -- one page -----------------------------------------------------------------------------------

@dataclass
class _Line:
    page: int
    number: int          # 1-based among the text lines outside tables on its page
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    tabular: bool = False  # columns separated by wide gaps: a row of a table drawn without rules


@dataclass
class _Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str


@dataclass
class _Part:
    """The piece of a ruled table that stands on one page."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    cells: list[_Cell]
    tops: list[float] = field(default_factory=list)   # distinct row tops, in order
    skip_rows: int = 0                                 # repeated header rows to leave out
    table: int = 0                                     # 1-based number of the logical table
    row_offset: int = 0


@dataclass
class _Page:
    number: int
    height: float
    items: list[_Line | _Part]
    has_text: bool
    has_images: bool


def _is_ruling(obj: dict[str, Any]) -> bool:
    """Everything but filled, unstroked rectangles wider and taller than a rule (backgrounds, shading)."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return not obj.get("fill") or min(obj["width"], obj["height"]) <= 2.0


def _read_page(page: Any) -> _Page:
    chars, rulings, has_images = _page_objects(page)
    chars = _dedupe(chars)
    tables = [t for t in _RulingsPage(page, rulings).find_tables(TABLE_SETTINGS) if len(t.cells) >= 2]
    locators = [_CellLocator(t.cells) for t in tables]
    in_cells: list[list[list[dict[str, Any]]]] = [[[] for _ in t.cells] for t in tables]
    outside: list[dict[str, Any]] = []
    for c in chars:
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        for t, loc in enumerate(locators):
            idx = loc.find(x, y)
            if idx is not None:
                in_cells[t][idx].append(c)
                break
        else:
            outside.append(c)
    items: list[_Line | _Part] = []
    for t, table in enumerate(tables):
        cells = [_Cell(x0, top, x1, bottom, _cell_text(in_cells[t][i]))
                 for i, (x0, top, x1, bottom) in enumerate(table.cells)]
        x0, top, x1, bottom = table.bbox
        part = _Part(page.page_number, x0, top, x1, bottom, cells)
        part.tops = _distinct([c.top for c in cells], ROW_TOLERANCE)
        items.append(part)
    lines = []
    for number, group in enumerate(_group_lines(outside), start=1):
        text = _join_line(group)
        if not text.strip():
            continue
        lines.append(_Line(page.page_number, number, text, min(c["x0"] for c in group), max(c["x1"] for c in group),
                           min(c["top"] for c in group), max(c["bottom"] for c in group),
                           statistics.median(c["size"] for c in group), _has_column_gap(group)))
    items.extend(lines)
    items.sort(key=lambda it: it.top)
    return _Page(page.page_number, float(page.height), items, any(c["text"].strip() for c in chars), has_images)


def _page_objects(page: Any) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]], bool]:
    """Characters as small dicts, ruling lines as pdfplumber objects, and whether the page has images.

    pdfplumber's `page.objects` turns every character into a dict of some twenty resolved
    attributes, which costs a third of the time of reading a page. Characters only need their
    text and box here, so they are taken from the pdfminer layout directly, with the same
    coordinate conversion as pdfplumber's (top measured from the top of the page, MediaBox offset
    added); only the few lines, rectangles and curves go through pdfplumber.
    """
    height = float(page.height)
    mb_x0, mb_top = page.mediabox[:2]
    chars: list[dict[str, Any]] = []
    rulings: dict[str, list[dict[str, Any]]] = {}
    has_images = False
    stack = list(reversed(page.layout._objs))
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if text:
                chars.append({"text": text, "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0, "size": obj.size,
                              "top": height - obj.y1 + mb_top, "bottom": height - obj.y0 + mb_top})
        elif isinstance(obj, LTCurve):        # LTLine and LTRect are curves too
            item = page.process_object(obj)
            if _is_ruling(item):
                rulings.setdefault(item["object_type"], []).append(item)
        elif isinstance(obj, LTImage):
            has_images = True
        elif isinstance(obj, LTContainer):    # figures (form XObjects) hold objects of their own
            stack.extend(reversed(obj._objs))
    return chars, rulings, has_images


class _RulingsPage(DerivedPage):
    """A view of a page that holds only its ruling lines, for pdfplumber's table finder."""

    def __init__(self, parent: Any, rulings: dict[str, list[dict[str, Any]]]):
        super().__init__(parent)
        self._objects = rulings


def _dedupe(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop characters printed twice at (almost) the same place, the way WPS and Word fake bold type.

    pdfplumber's dedupe_chars does the same but clusters every page in Python, which costs as much
    as parsing it; here one C-level sort brings twins (same text, tops within a point) together.
    """
    twins: set[int] = set()
    window: list[dict[str, Any]] = []       # kept characters of this text with tops within a point
    text = None
    for c in sorted(chars, key=lambda c: (c["text"], c["top"], c["x0"])):
        if c["text"] != text:
            window, text = [], c["text"]
        elif window and c["top"] - window[0]["top"] > 1:
            window = [o for o in window if c["top"] - o["top"] <= 1]
        if any(abs(o["x0"] - c["x0"]) <= 1 for o in window):
            twins.add(id(c))
        else:
            window.append(c)
    return [c for c in chars if id(c) not in twins] if twins else chars


class _CellLocator:
    """Finds the cell under a point by bisecting the table's grid lines instead of testing every cell."""

    def __init__(self, cells: list[tuple[float, float, float, float]]):
        self.xs = sorted({v for c in cells for v in (c[0], c[2])})
        self.ys = sorted({v for c in cells for v in (c[1], c[3])})
        self.slots: dict[tuple[int, int], int] = {}
        for i, (x0, top, x1, bottom) in enumerate(cells):
            for cx in range(self.xs.index(x0), self.xs.index(x1)):
                for cy in range(self.ys.index(top), self.ys.index(bottom)):
                    self.slots.setdefault((cx, cy), i)

    def find(self, x: float, y: float) -> int | None:
        cx = bisect.bisect_right(self.xs, x) - 1
        cy = bisect.bisect_right(self.ys, y) - 1
        return self.slots.get((cx, cy))


def _distinct(values: list[float], tolerance: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _group_lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped into lines by their vertical middle, each line in left-to-right order."""
    lines: list[list[dict[str, Any]]] = []
    middle = 0.0
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        if lines and mid - middle <= 0.4 * max(c["size"], 1.0):
            lines[-1].append(c)
        else:
            lines.append([c])
            middle = mid
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _join_line(chars: list[dict[str, Any]]) -> str:
    """A line's characters as text. A gap between two Latin letters or digits is a word space; a gap
    between Chinese characters is only justification, unless it is wide enough to separate columns."""
    out: list[str] = []
    prev: dict[str, Any] | None = None
    for c in chars:
        gap = c["x0"] - prev["x1"] if prev is not None else 0.0
        if gap > COLUMN_GAP * c["size"] or (
                gap > 0.5 * c["size"] and _ASCII_WORD.match(prev["text"]) and _ASCII_WORD.match(c["text"])):
            out.append(" ")
        out.append(c["text"])
        prev = c
    return "".join(out)


def _has_column_gap(chars: list[dict[str, Any]]) -> bool:
    solid = [c for c in chars if c["text"].strip()]
    return any(b["x0"] - a["x1"] > COLUMN_GAP * b["size"] for a, b in zip(solid, solid[1:]))


def _cell_text(chars: list[dict[str, Any]]) -> str:
    # Lines inside a cell are one label or one number wrapped by a narrow column: joined without spaces.
    return clean("".join(_join_line(line) for line in _group_lines(chars)))


# -- the whole document -------------------------------------------------------------------------

def _assemble(pages: list[_Page], notes: list[str]) -> list[Block]:
    dropped = _drop_page_furniture(pages)
    if dropped:
        notes.append(f"已略去页码和页眉页脚共 {dropped} 行。")
    parts = _number_tables(pages, notes)
    lines = [it for p in pages for it in p.items if isinstance(it, _Line)]
    left, right = _margins(lines)
    blocks: list[Block] = []
    paragraph: list[_Line] = []

    def flush() -> None:
        if paragraph:
            text = clean("".join(line.text for line in paragraph))
            if text:
                blocks.append(Block("paragraph", text, Location(page=paragraph[0].page, line=paragraph[0].number)))
            paragraph.clear()

    for page in pages:
        for item in page.items:
            if isinstance(item, _Part):
                flush()
                blocks.extend(_cell_blocks(item, parts[item.table]))
                continue
            if paragraph and _starts_paragraph(item, paragraph[-1], left, right):
                flush()
            paragraph.append(item)
    flush()
    return blocks


def _drop_page_furniture(pages: list[_Page]) -> int:
    """Remove page numbers and running headers/footers; returns how many lines went."""
    def band(line: _Line, page: _Page) -> bool:
        return line.bottom < page.height * HEADER_BAND or line.top > page.height * FOOTER_BAND

    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))

    seen: dict[str, set[int]] = {}
    for page in pages:
        for it in page.items:
            if isinstance(it, _Line) and band(it, page):
                seen.setdefault(shape(it.text), set()).add(page.number)
    repeated = {s for s, on in seen.items() if len(on) >= 2 and len(on) * 2 >= len(pages)}
    dropped = 0
    for page in pages:
        kept: list[_Line | _Part] = []
        for it in page.items:
            if isinstance(it, _Line) and band(it, page) and (
                    _PAGE_NUMBER.match(re.sub(r"\s+", " ", it.text.strip())) or shape(it.text) in repeated):
                dropped += 1
                continue
            kept.append(it)
        page.items = kept
    return dropped


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """Left and right edges of the text column: most lines of prose run from one to the other."""
    if not lines:
        return 0.0, 0.0
    x0s = sorted(line.x0 for line in lines)
    x1s = sorted(line.x1 for line in lines)
    return x0s[len(x0s) // 10], x1s[(len(x1s) * 9) // 10]


def _starts_paragraph(line: _Line, prev: _Line, left: float, right: float) -> bool:
    size = max(line.size, 1.0)
    if line.tabular or prev.tabular:                     # rows of a table without rules stay apart
        return True
    if line.x0 > left + 0.8 * size:                      # indented first line (or a centred title)
        return True
    if prev.x1 < right - 1.5 * max(prev.size, 1.0):      # the previous line stopped short
        return True
    if abs(line.size - prev.size) > 0.15 * max(line.size, prev.size):   # a change of type size
        return True
    return bool(_HEADING.match(line.text.lstrip()))


# -- tables across pages ------------------------------------------------------------------------

@dataclass
class _Table:
    number: int
    parts: list[_Part]
    columns: list[float] = field(default_factory=list)


def _number_tables(pages: list[_Page], notes: list[str]) -> dict[int, _Table]:
    """Join table pieces continued across a page break and number every table, row and column."""
    tables: dict[int, _Table] = {}
    last: _Part | None = None          # the table piece that ended the previous page, if any
    for page in pages:
        first = page.items[0] if page.items else None
        for it in page.items:
            if not isinstance(it, _Part):
                continue
            if it is first and last is not None and _continues(it, tables[last.table]):
                table = tables[last.table]
                it.table = table.number
                it.skip_rows = _repeated_header(it, table.parts[0])
                table.parts.append(it)
            else:
                it.table = len(tables) + 1
                tables[it.table] = _Table(it.table, [it])
        tail = page.items[-1] if page.items else None
        last = tail if isinstance(tail, _Part) else None
    for table in tables.values():
        offset = 0
        for part in table.parts:
            part.row_offset = offset - part.skip_rows
            offset += len(part.tops) - part.skip_rows
        table.columns = _distinct([c.x0 for part in table.parts for c in part.cells], COLUMN_TOLERANCE)
        if len(table.parts) > 1:
            span = "—".join(str(p) for p in (table.parts[0].page, table.parts[-1].page))
            notes.append(f"表格 {table.number} 跨页（第 {span} 页），已合并为一张表读取。")
    return tables


def _continues(part: _Part, table: _Table) -> bool:
    """Same outer edges and (mostly) the same column lines as the table it would continue."""
    prev = table.parts[-1]
    if abs(part.x0 - prev.x0) > 4 or abs(part.x1 - prev.x1) > 4:
        return False
    known = _distinct([c.x0 for p in table.parts for c in p.cells], COLUMN_TOLERANCE)
    mine = _distinct([c.x0 for c in part.cells], COLUMN_TOLERANCE)
    hits = sum(1 for x in mine if any(abs(x - k) <= COLUMN_TOLERANCE for k in known))
    return hits * 2 >= len(mine)


def _rows(part: _Part) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in part.tops]
    for c in sorted(part.cells, key=lambda c: (c.top, c.x0)):
        rows[_index(part.tops, c.top, ROW_TOLERANCE)].append(c.text)
    return rows


def _repeated_header(part: _Part, first: _Part) -> int:
    """How many leading rows of a continued piece repeat the table's header."""
    mine, head = _rows(part), _rows(first)
    n = 0
    while (n < min(len(mine), len(head)) - 1 and mine[n] == head[n]
           and any(t and not re.fullmatch(r"[\d.,\s]*", t) for t in mine[n])):
        n += 1
    return n


def _index(edges: list[float], value: float, tolerance: float) -> int:
    i = bisect.bisect_left(edges, value - tolerance)
    return min(i, len(edges) - 1)


def _cell_blocks(part: _Part, table: _Table) -> list[Block]:
    out: list[tuple[int, int, str]] = []
    for c in part.cells:
        row = _index(part.tops, c.top, ROW_TOLERANCE)
        if row < part.skip_rows:
            continue
        out.append((part.row_offset + row + 1, _index(table.columns, c.x0, COLUMN_TOLERANCE) + 1, c.text))
    out.sort()
    return [Block("cell", text, Location(page=part.page, table=part.table, row=r, col=k)) for r, k, text in out]
