"""PDF reports (PDFium for the page content, pdfplumber's table finder for the grids): ruled tables
become cell grids, the text around them paragraphs.

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
and with a memory cap, because a hostile or broken PDF can keep a parser busy for ever or make it
allocate without end (PDFium ends the process when an allocation fails).
"""

from __future__ import annotations

import bisect
import ctypes
import faulthandler
import math
import multiprocessing
import os
import pickle
import re
import select
import signal
import statistics
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, NoReturn

import pypdfium2 as pdfium
import pypdfium2.raw as fpdf
from pdfplumber.container import Container
from pdfplumber.table import TableFinder, TableSettings

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


def _timeout_message(limit: float) -> str:
    return (f"解析 PDF 超过了 {limit:g} 秒的时间限制，已停止。文件可能已损坏或结构异常；"
            f"如确属正常的大文件，可调大环境变量 {TIMEOUT_ENV}（单位：秒）后重试。")


_CHILD_DIED = ("解析 PDF 的进程意外终止：所需的内存超过了上限（文件可能含有压缩炸弹），或文件已损坏。"
               "请确认文件来源，或改用报告的网页版、Word 版。")


def _in_child(data: bytes) -> tuple[list[Block], list[str]]:
    limit = timeout_seconds()
    if hasattr(os, "fork"):
        return _unpack(_in_fork(data, limit))
    if multiprocessing.current_process().daemon:
        # No fork, and a daemonic pool worker may not start a process: no limit can be enforced.
        return _unpack(_guarded_parse(data))
    return _unpack(_in_spawned(data, limit))


def _in_fork(data: bytes, limit: float) -> tuple[str, Any]:
    """parse() in a forked child with a memory cap, killed when the time limit passes.

    os.fork, not multiprocessing: the workers of a multiprocessing.Pool are daemonic processes,
    which multiprocessing does not let start children, and a pool of workers is where a hostile
    file must cost one result, not a worker. PDFium is C++ code that no signal interrupts, so the
    limit is a kill.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        _forked_child(data, read_end, write_end, limit)
    os.close(write_end)
    chunks: list[bytes] = []
    try:
        deadline = time.monotonic() + limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_end], [], [], remaining)[0]:
                return "error", _timeout_message(limit)
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass    # already reaped: the host process ignores SIGCHLD
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:          # nothing, or half a result: the child died on the way
        return "error", _CHILD_DIED


def _forked_child(data: bytes, read_end: int, write_end: int, limit: float) -> NoReturn:
    try:
        os.close(read_end)
        # The parent's handlers are not this process's business, and a crash is reported by the
        # parent in Chinese: the dump Python would add is noise.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        faulthandler.disable()
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(limit) + 5)      # ends the child should the parent be gone
        _limit_memory()
        view = memoryview(pickle.dumps(_guarded_parse(data), protocol=pickle.HIGHEST_PROTOCOL))
        while view:
            view = view[os.write(write_end, view):]
    finally:
        os._exit(0)


def _in_spawned(data: bytes, limit: float) -> tuple[str, Any]:
    """parse() in a spawned process, where there is no fork (Windows)."""
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(data, sender), daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(limit):
            return "error", _timeout_message(limit)
        try:
            return receiver.recv()
        except (EOFError, OSError):
            return "error", _CHILD_DIED
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join()


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
    faulthandler.disable()
    _limit_memory()
    status, payload = _guarded_parse(data)
    sender.send((status, payload))
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
        # A damaged file can still trip the Python side, and a bug of ours lands here too:
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


# -- opening ------------------------------------------------------------------------------------

def parse(data: bytes) -> tuple[list[Block], list[str]]:
    """Blocks and notes of a PDF, in this process (read_pdf runs it in a child with a time limit).

    PDFium (pypdfium2) interprets the pages: it is the engine of Chromium's PDF viewer, written in
    C++ and fuzzed continuously. pdfminer's pure-Python content parser took about 90% of the time
    of reading a PDF; with PDFium the real corpus PDF reads three times faster. pdfplumber's table
    finder then works on the ruling lines.
    """
    notes: list[str] = []
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        raise UnreadableInput(_open_error(err.err_code)) from None
    try:
        if fpdf.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            notes.append("该 PDF 设置了权限加密（无需密码即可打开），已照常读取其中的文字。")
        count = len(pdf)
        if count > MAX_PAGES:
            raise UnreadableInput(f"PDF 共有 {count} 页，超过 {MAX_PAGES} 页的上限，不像是一份年度报告。"
                                  "请只提交年度报告本身。")
        pages: list[_Page] = []
        damaged: list[int] = []
        for index in range(count):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                # One damaged page need not lose the whole report.
                pages.append(_Page(index + 1, 0.0, [], False, False))
                damaged.append(index + 1)
                continue
            try:
                pages.append(_read_page(page, index + 1))
            finally:
                page.close()
    finally:
        pdf.close()
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
    garbled = sum(p.garbled for p in pages)
    if garbled:
        notes.append(f"PDF 中有 {garbled} 个字符所用的字体缺少文字编码映射，读出的可能是乱码；"
                     "如有数值或文字缺失、错乱，请改用报告的网页版、Word 版，或核对原文件。")
    blank = [str(p.number) for p in pages if not p.has_text and p.has_images]
    if blank:
        notes.append(f"第 {'、'.join(blank)} 页没有文字层（可能是扫描页），这些页的内容未能读取，需要 OCR。")
    return _assemble(pages, notes), notes


def _open_error(code: int | None) -> str:
    if code == fpdf.FPDF_ERR_PASSWORD:
        return "该 PDF 已加密，需要密码才能打开，无法读取。请提交未加密的版本。"
    if code == fpdf.FPDF_ERR_SECURITY:
        return "该 PDF 已加密，且加密方式无法识别，无法读取。请提交未加密的版本。"
    return "无法打开 PDF：文件已损坏或不完整（例如没有下载完整）。请重新获取原文件后再试。"


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
    garbled: int = 0       # characters whose font has no Unicode mapping for them


def _is_ruling(obj: dict[str, Any]) -> bool:
    """Everything but filled, unstroked rectangles wider and taller than a rule (backgrounds, shading)."""
    if obj["object_type"] != "rect" or obj["stroke"]:
        return True
    return not obj["fill"] or min(obj["width"], obj["height"]) <= 2.0


def _read_page(page: Any, number: int) -> _Page:
    view = _View(page)
    chars, garbled = _page_chars(page, view)
    chars = _dedupe(chars)
    rulings, has_images = _page_rulings(page, view)
    finder = TableFinder(_Rulings(rulings, view), TableSettings.resolve(TABLE_SETTINGS))
    tables = [t for t in finder.tables if len(t.cells) >= 2]
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
        part = _Part(number, x0, top, x1, bottom, cells)
        part.tops = _distinct([c.top for c in cells], ROW_TOLERANCE)
        items.append(part)
    lines = []
    for line_number, group in enumerate(_group_lines(outside), start=1):
        text = _join_line(group)
        if not text.strip():
            continue
        lines.append(_Line(number, line_number, text, min(c["x0"] for c in group), max(c["x1"] for c in group),
                           min(c["top"] for c in group), max(c["bottom"] for c in group),
                           statistics.median(c["size"] for c in group), _has_column_gap(group)))
    items.extend(lines)
    items.sort(key=lambda it: it.top)
    return _Page(number, view.height, items, any(c["text"].strip() for c in chars), has_images, garbled)


class _View:
    """Maps PDF user space to the page as displayed: origin at the top left, /Rotate applied."""

    def __init__(self, page: Any):
        self.left, self.bottom, self.right, self.top = page.get_bbox()
        self.rotation = page.get_rotation() % 360
        width, height = self.right - self.left, self.top - self.bottom
        self.width, self.height = (height, width) if self.rotation in (90, 270) else (width, height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(x, top) of a point on the displayed page."""
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of a rectangle on the displayed page."""
        xa, ta = self.point(left, bottom)
        xb, tb = self.point(right, top)
        return min(xa, xb), min(ta, tb), max(xa, xb), max(ta, tb)


_WHITESPACE = frozenset(" \t\r\n\u00a0\u3000")


def _page_chars(page: Any, view: _View) -> tuple[list[dict[str, Any]], int]:
    """Every character printed on the page with its box and type size, as the text page gives them,
    and how many of them have no Unicode mapping in their font (they come out as garbage).

    The box is the character's em square, as pdfminer gives it, so that the characters of one
    line share a middle whatever their shape: it runs from the advance of the character across,
    and from the font's descent one type size up. PDFium's "loose" box gives the advance and the
    descent for upright horizontal text; for vertical writing its box is not scaled, and the em
    square stands on the character's origin instead; text set at an angle (the content of a page
    turned by /Rotate, say) has no loose box, and its em square is laid out along its baseline.
    Spaces and line breaks PDFium infers itself are left out: the reader decides
    where words and lines break, from the positions.
    """
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = fpdf.FPDFText_CountChars(handle)
        if count <= 0:
            return [], 0
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        fpdf.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        text = buffer.raw[: count * 2].decode("utf-16-le", errors="replace")
        if len(text) != count:      # characters beyond the BMP: ask for them one by one
            text = "".join(chr(fpdf.FPDFText_GetUnicode(handle, i)) for i in range(count))
        rect, matrix = fpdf.FS_RECTF(), fpdf.FS_MATRIX()
        rect_p, matrix_p = ctypes.byref(rect), ctypes.byref(matrix)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        ox_p, oy_p = ctypes.byref(ox), ctypes.byref(oy)
        get_loose, get_origin, is_generated = fpdf.FPDFText_GetLooseCharBox, fpdf.FPDFText_GetCharOrigin, fpdf.FPDFText_IsGenerated
        get_size, get_matrix = fpdf.FPDFText_GetFontSize, fpdf.FPDFText_GetMatrix
        unmapped = fpdf.FPDFText_HasUnicodeMapError
        chars: list[dict[str, Any]] = []
        garbled = 0
        for i, ch in enumerate(text):
            if ch in _WHITESPACE and is_generated(handle, i):
                continue
            if not (get_loose(handle, i, rect_p) and get_matrix(handle, i, matrix_p) and get_origin(handle, i, ox_p, oy_p)):
                continue
            size = get_size(handle, i) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            upright = matrix.b == 0 and matrix.c == 0 and matrix.a > 0 and matrix.d > 0
            advance = rect.right - rect.left
            if upright and 0 <= advance <= 2 * size and rect.bottom - 0.01 <= oy.value <= rect.bottom + size:
                left, right, bottom = rect.left, rect.right, rect.bottom
            elif upright:
                left, right, bottom = ox.value, ox.value + size, oy.value
            else:
                turned = _turned_em_square(handle, i, matrix, size, ox.value, oy.value, view)
                if turned is not None:
                    chars.append({"text": ch, **turned})
                continue
            x0, t, x1, b = view.box(left, bottom, right, bottom + size)
            chars.append({"text": ch, "x0": x0, "x1": x1, "top": t, "bottom": b, "size": size})
            if unmapped(handle, i) == 1 and not ch.isspace():
                garbled += 1
        return chars, garbled
    finally:
        textpage.close()


def _turned_em_square(handle: Any, index: int, matrix: Any, size: float, ox: float, oy: float,
                      view: _View) -> dict[str, float] | None:
    """The displayed box of a character whose baseline is not horizontal in PDF space: its em
    square, from the font's descent one type size up across the baseline, and along the baseline
    from the origin to the end of the glyph's ink (PDFium tells no advance for such text)."""
    along, up = math.hypot(matrix.a, matrix.b), math.hypot(matrix.c, matrix.d)
    if not along or not up or size <= 0:
        return None
    ux, uy, vx, vy = matrix.a / along, matrix.b / along, matrix.c / up, matrix.d / up
    descent = ctypes.c_float()
    font = fpdf.FPDFTextObj_GetFont(fpdf.FPDFText_GetTextObject(handle, index))
    if font and fpdf.FPDFFont_GetDescent(font, ctypes.c_float(size), ctypes.byref(descent)):
        low = descent.value
    else:
        low = -0.12 * size
    ink = [ctypes.c_double() for _ in range(4)]
    width = 0.25 * size
    if fpdf.FPDFText_GetCharBox(handle, index, *(ctypes.byref(v) for v in ink)):
        left, right, bottom, top = (v.value for v in ink)
        width = max(width, *((px - ox) * ux + (py - oy) * uy for px in (left, right) for py in (bottom, top)))
    corners = [view.point(ox + t * ux + h * vx, oy + t * uy + h * vy)
               for t in (0.0, width) for h in (low, low + size)]
    xs, tops = [p[0] for p in corners], [p[1] for p in corners]
    return {"x0": min(xs), "x1": max(xs), "top": min(tops), "bottom": max(tops), "size": size}


def _page_rulings(page: Any, view: _View) -> tuple[dict[str, list[dict[str, Any]]], bool]:
    """Lines, rectangles and other paths of the page in pdfplumber's form, and whether it has images.

    Path points come in the object's own space; each is mapped through the object's matrix and
    those of the form XObjects that hold it. As pdfminer does, a path of several subpaths is
    taken apart, and a closed four-sided axis-aligned subpath is a rectangle.
    """
    rulings: dict[str, list[dict[str, Any]]] = {}
    has_images = False
    matrix = fpdf.FS_MATRIX()
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    x, y = ctypes.c_float(), ctypes.c_float()
    stack: list[tuple[Any, tuple[float, ...]]] = []

    def children(container: Any, count: int, get: Any, outer: tuple[float, ...]) -> None:
        for i in reversed(range(count)):
            stack.append((get(container, i), outer))

    children(page.raw, fpdf.FPDFPage_CountObjects(page.raw), fpdf.FPDFPage_GetObject, _IDENTITY)
    while stack:
        obj, outer = stack.pop()
        kind = fpdf.FPDFPageObj_GetType(obj)
        if kind == fpdf.FPDF_PAGEOBJ_IMAGE:
            has_images = True
        elif kind == fpdf.FPDF_PAGEOBJ_FORM:
            fpdf.FPDFPageObj_GetMatrix(obj, matrix)
            inner = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            children(obj, fpdf.FPDFFormObj_CountObjects(obj), fpdf.FPDFFormObj_GetObject, inner)
        elif kind == fpdf.FPDF_PAGEOBJ_PATH:
            if not fpdf.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
                continue
            if fill_mode.value == fpdf.FPDF_FILLMODE_NONE and not stroke.value:
                continue    # a clipping path or an invisible one: nothing is drawn
            fpdf.FPDFPageObj_GetMatrix(obj, matrix)
            a, b, c, d, e, f = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            subpaths: list[tuple[list[tuple[float, float]], bool]] = []
            for k in range(fpdf.FPDFPath_CountSegments(obj)):
                segment = fpdf.FPDFPath_GetPathSegment(obj, k)
                kind_k = fpdf.FPDFPathSegment_GetType(segment)
                fpdf.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
                point = view.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
                if kind_k == fpdf.FPDF_SEGMENT_MOVETO or not subpaths:
                    subpaths.append(([point], False))
                else:
                    subpaths[-1][0].append(point)
                if fpdf.FPDFPathSegment_GetClose(segment):
                    subpaths[-1] = (subpaths[-1][0], True)
            for points, closed in subpaths:
                item = _path_object(points, closed, bool(stroke.value), fill_mode.value != fpdf.FPDF_FILLMODE_NONE, view)
                if item is not None and _is_ruling(item):
                    rulings.setdefault(item["object_type"], []).append(item)
    return rulings, has_images


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix that applies m, then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _path_object(points: list[tuple[float, float]], closed: bool, stroke: bool, fill: bool,
                 view: _View) -> dict[str, Any] | None:
    """One subpath as pdfplumber's line, rect or curve object (only what the table finder reads)."""
    if len(points) < 2:
        return None
    if len(points) == 5 and points[4] == points[0]:
        points = points[:4]
        closed = True
    xs = [p[0] for p in points]
    tops = [p[1] for p in points]
    x0, x1, top, bottom = min(xs), max(xs), min(tops), max(tops)
    base = {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0,
            "height": bottom - top, "y0": view.height - bottom, "y1": view.height - top,
            "stroke": stroke, "fill": fill}
    if len(points) == 2:
        return {**base, "object_type": "line"}
    if closed and len(points) == 4:
        (xa, ta), (xb, tb), (xc, tc), (xd, td) = points
        if (xa == xb and tb == tc and xc == xd and td == ta) or (ta == tb and xb == xc and tc == td and xd == xa):
            return {**base, "object_type": "rect"}
    return {**base, "object_type": "curve", "pts": points}


class _Rulings(Container):
    """A page reduced to its ruling lines, for pdfplumber's table finder."""

    def __init__(self, rulings: dict[str, list[dict[str, Any]]], view: _View):
        self._objects = rulings
        self.bbox = (0.0, 0.0, view.width, view.height)

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        return self._objects


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
