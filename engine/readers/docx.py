"""Word documents (.docx, and the .docm/.dotx/.dotm variants that share its XML), read with python-docx.

The document body is walked in order, paragraphs and tables interleaved as they appear, so that each
table lands under its part heading. Tables are read from their XML rather than through
`table.cell()`, which returns a merged cell once per grid slot and ignores `w:gridBefore`: here each
physical cell is emitted once, at its top-left position in the expanded grid
(`Location(table, row, col)`, all 1-based; `row` is the physical `w:tr`, `col` the grid column).

Paragraphs outside tables carry `Location(line=n)`, where n counts the non-empty body paragraphs
from 1 (a Word document has no lines; the paragraph number is the nearest thing a reader can find
again, so a finding can point at 第 n 段).

A .docx is a zip archive: its directory is checked before anything is decompressed, so that a zip
bomb, an encrypted package or another kind of Office file ends in a clear message.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ..errors import UnreadableInput
from ..layout import Block, Layout, Location, SourceInfo
from ..normalize import clean

MAX_ENTRIES = 2000                      # a report with its images has tens of entries
MAX_UNCOMPRESSED = 200 * 1024 * 1024    # everything in the archive, decompressed
MAX_RATIO = 100                         # deflated XML of real documents stays well below this
RATIO_FLOOR = 2 * 1024 * 1024           # members smaller than this cannot do harm whatever their ratio

WORD_MAIN_TYPES = frozenset({
    CT.WML_DOCUMENT_MAIN,
    "application/vnd.ms-word.document.macroEnabled.main+xml",           # .docm
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",   # .dotx
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",   # .dotm
})

_MB = 1024 * 1024
_ADVICE = "请用 Word 或 WPS 打开后“另存为”Word 文档（.docx）再试。"

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_SDT, W_SDTCONTENT, W_CUSTOMXML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
W_T, W_TAB, W_PTAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
W_NOBREAKHYPHEN, W_TXBX, W_DEL, W_INS = qn("w:noBreakHyphen"), qn("w:txbxContent"), qn("w:del"), qn("w:ins")
W_VAL = qn("w:val")
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MC_ALTERNATE, MC_CHOICE, MC_FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"

# Subtrees of a paragraph whose text is not part of what the reader sees: deleted revisions, the
# source of a move, field codes, and the fallback copy of a drawing (its text is also in mc:Choice).
_SKIP_IN_TEXT = frozenset({W_DEL, qn("w:moveFrom"), qn("w:instrText"), qn("w:delText"), qn("w:fldData"),
                           qn("w:pPr"), qn("w:rPr"), MC_FALLBACK})
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


def read_docx(data: bytes, source: SourceInfo) -> Layout:
    _check_archive(data, source.name)
    body, styles = _open(data, source.name)
    walker = _Walker(styles)
    if body is not None:
        walker.container(body)
    return Layout(source, walker.blocks, walker.notes())


# -- the archive -------------------------------------------------------------------------------

def _check_archive(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise UnreadableInput(f"{name} 的压缩包内有 {len(infos)} 个文件，远多于正常的 Word 文档"
                                      f"（上限 {MAX_ENTRIES} 个），为安全起见不予读取。")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise UnreadableInput(f"{name} 解压后共 {total / _MB:.0f} MB，超过 {MAX_UNCOMPRESSED // _MB} MB 的上限"
                                      "（可能是“压缩炸弹”），为安全起见不予读取。")
            for i in infos:
                if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    raise UnreadableInput(f"{name} 中的 {i.filename} 压缩比异常（{i.compress_size} 字节解压为 "
                                          f"{i.file_size / _MB:.0f} MB，超过 {MAX_RATIO} 倍，可能是“压缩炸弹”），"
                                          "为安全起见不予读取。")
            if any(i.flag_bits & 0x1 for i in infos):
                raise UnreadableInput(f"{name} 已加密（设置了密码），无法读取。请去掉密码后另存为 .docx 再试。")
            names = {i.filename for i in infos}
            content_types = _small_member(zf, "[Content_Types].xml", infos)
            rels = _small_member(zf, "_rels/.rels", infos)
    except UnreadableInput:
        raise
    except Exception:
        # zipfile meets a damaged directory with BadZipFile, NotImplementedError ("zip file version"),
        # ValueError or EOFError, depending on which byte is wrong; for the user they mean the same.
        raise UnreadableInput(f"{name} 已损坏：文件看起来是 Word 文档（.docx），但压缩包不完整或无法打开"
                              f"（可能下载不完整）。{_ADVICE}") from None
    if b"purl.oclc.org/ooxml" in rels:
        raise UnreadableInput(f"{name} 是“Strict Open XML”格式的 Word 文档，无法读取。"
                              "请在 Word 中“另存为”普通的“Word 文档（*.docx）”再试。")
    if not any(t.encode() in content_types for t in WORD_MAIN_TYPES):
        raise UnreadableInput(f"{name} {_what_zip_is(names, content_types)}")


def _small_member(zf: zipfile.ZipFile, member: str, infos: list[zipfile.ZipInfo]) -> bytes:
    """A bookkeeping member of the package, read only if it is as small as such members are."""
    info = next((i for i in infos if i.filename == member), None)
    if info is None or info.file_size > _MB:
        return b""
    try:
        return zf.read(info)
    except Exception as err:   # BadZipFile, zlib.error, EOFError …: a damaged member, whichever layer noticed
        raise zipfile.BadZipFile(str(err)) from None   # reported as a damaged archive by the caller


def _what_zip_is(names: set[str], content_types: bytes) -> str:
    """The message for a zip archive that is not a Word document, naming what it is when we can tell."""
    if any(n.startswith("xl/") for n in names) or b"spreadsheetml" in content_types:
        kind = "是 Excel 表格（.xlsx），"
    elif any(n.startswith("ppt/") for n in names) or b"presentationml" in content_types:
        kind = "是 PowerPoint 演示文稿（.pptx），"
    elif "mimetype" in names and "content.xml" in names:
        kind = "是 OpenDocument 文件（如 .odt），"
    elif "OFD.xml" in names:
        kind = "是 OFD 版式文件，"
    else:
        kind = "是一个压缩包（zip），但"
    return f"{kind}不是 Word 文档（.docx）。请提供年度报告的 Word、PDF、网页或文本文件。"


def _open(data: bytes, name: str):
    """The body element of the main document, and its styles element (None when it has none)."""
    try:
        package = OpcPackage.open(io.BytesIO(data))
        part = package.main_document_part
        if part.content_type not in WORD_MAIN_TYPES:
            raise UnreadableInput(f"{name} 不是 Word 文档（主体内容的类型为 {part.content_type}）。")
        # .docm/.dotx parts are loaded as plain parts by python-docx; the XML is the same as .docx.
        element = part.element if hasattr(part, "element") else parse_xml(part.blob)
        try:
            styles_part = part.part_related_by(RT.STYLES)
        except KeyError:
            styles = None
        else:
            styles = styles_part.element if hasattr(styles_part, "element") else parse_xml(styles_part.blob)
    except UnreadableInput:
        raise
    except Exception as err:
        # A damaged package fails inside python-docx with whatever its zip, zlib or XML layer meets
        # (BadZipFile, zlib.error, KeyError, XMLSyntaxError, …); for the user they all mean the same.
        raise UnreadableInput(f"{name} 已损坏，无法读取其中的 Word 文档内容（技术细节：{type(err).__name__}）。{_ADVICE}") from None
    if element.tag != qn("w:document"):
        raise UnreadableInput(f"{name} 的主体内容不是 Word 文档（根元素为 {element.tag}）。{_ADVICE}")
    return element.find(qn("w:body")), styles


def _numbered_styles(styles) -> frozenset[str]:
    """Paragraph styles that carry Word auto-numbering, directly or through the style they are based on."""
    if styles is None:
        return frozenset()
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in styles.iterchildren(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if sid is None:
            continue
        num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        own[sid] = None if num_id is None else num_id.get(W_VAL) not in (None, "0")
        parent = style.find(qn("w:basedOn"))
        if parent is not None and parent.get(W_VAL):
            based[sid] = parent.get(W_VAL)

    def numbered(sid: str) -> bool:
        seen = set()
        while sid is not None and sid not in seen:
            seen.add(sid)
            if own.get(sid) is not None:
                return bool(own[sid])
            sid = based.get(sid)
        return False

    return frozenset(s for s in own if numbered(s))


# -- the body ----------------------------------------------------------------------------------

class _Walker:
    def __init__(self, styles) -> None:
        self.styles = styles
        self._numbered_styles: frozenset[str] | None = None   # worked out when a paragraph names a style
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.auto_numbered: list[int] = []
        self.layout_tables = 0
        self.revisions = False
        self.text_boxes = 0

    def notes(self) -> list[str]:
        out = []
        if self.auto_numbered:
            where = "、".join(f"第 {n} 段" for n in self.auto_numbered[:5]) + ("等" if len(self.auto_numbered) > 5 else "")
            out.append(f"{where}共 {len(self.auto_numbered)} 个段落使用了 Word 自动编号，编号（如“一、”“（一）”“1.”）"
                       "不在文字中，读取时没有计入；如标题因此未被识别，请把编号改为文字后再检查。")
        if self.layout_tables:
            out.append(f"有 {self.layout_tables} 个表格内嵌套了表格，外层表格按排版容器处理：读取其中的段落和内层表格。")
        if self.revisions:
            out.append("文档含有修订标记，按接受全部修订后的文字读取（已删除的文字不计入）。")
        if self.text_boxes:
            out.append(f"文档含有 {self.text_boxes} 个文本框，其中的文字按所在位置读入。")
        return out

    def container(self, element) -> None:
        """Block-level content in order: the body, a content control, a cell used as a layout box."""
        for child in element.iterchildren():
            tag = child.tag
            if tag == W_P:
                self.paragraph(child)
            elif tag == W_TBL:
                self.table(child)
            elif tag == W_SDT:
                content = child.find(W_SDTCONTENT)
                if content is not None:
                    self.container(content)
            elif tag == W_CUSTOMXML:
                self.container(child)
            elif tag == MC_ALTERNATE:
                choice = child.find(MC_CHOICE)
                if choice is not None:
                    self.container(choice)
            elif tag in (W_INS, qn("w:moveTo")):
                self.container(child)

    def paragraph(self, p) -> None:
        pieces: list[str] = []
        boxes: list = []
        self._text(p, pieces, boxes)
        # A line break inside a body paragraph often stands for a paragraph break (text pasted from
        # web pages): each line is read as a paragraph, so a heading followed by a break is found.
        lines = [t for t in (clean(line) for line in "".join(pieces).split("\n")) if t]
        if lines:
            self.paragraphs += 1
            if self._auto_numbered(p):
                self.auto_numbered.append(self.paragraphs)
            loc = Location(line=self.paragraphs)
            self.blocks.extend(Block("paragraph", line, loc) for line in lines)
        for box in boxes:
            self.text_boxes += 1
            self.container(box)

    def _text(self, element, pieces: list[str], boxes: list) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == W_T:
                pieces.append(child.text or "")
            elif tag in (W_TAB, W_PTAB):
                pieces.append("\t")
            elif tag in (W_BR, W_CR):
                pieces.append("\n")
            elif tag == W_NOBREAKHYPHEN:
                pieces.append("-")
            elif tag == W_TXBX:
                boxes.append(child)
            elif tag in _SKIP_IN_TEXT:
                if tag == W_DEL:
                    self.revisions = True
            elif not isinstance(tag, str):
                continue   # comments and processing instructions
            else:
                if tag == W_INS:
                    self.revisions = True
                self._text(child, pieces, boxes)

    def _auto_numbered(self, p) -> bool:
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            return False
        num_id = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is not None:
            return num_id.get(W_VAL) not in (None, "0")
        style = ppr.find(qn("w:pStyle"))
        if style is None:
            return False
        if self._numbered_styles is None:
            self._numbered_styles = _numbered_styles(self.styles)
        return style.get(W_VAL) in self._numbered_styles

    def cell_text(self, tc) -> str:
        """A cell's paragraphs joined: a label wrapped over lines (`商业` / `企业`) is one label."""
        lines: list[str] = []
        for p in _cell_paragraphs(tc):
            pieces: list[str] = []
            boxes: list = []
            self._text(p, pieces, boxes)
            lines.extend(t for t in (clean(x) for x in "".join(pieces).split("\n")) if t)
        return _join(lines)

    def table(self, tbl) -> None:
        if tbl.find(f".//{W_TBL}") is not None:
            # A table holding tables is a layout box (a whole page framed in a one-cell table):
            # its content is read as body content.
            self.layout_tables += 1
            for tr in _rows(tbl):
                for tc in _row_cells(tr):
                    self.container(tc)
            return
        self.tables += 1
        number = self.tables
        above: set[int] = set()   # grid columns where a vertically merged cell of the row above starts
        for r, tr in enumerate(_rows(tbl), start=1):
            col = _grid_value(tr, "w:gridBefore")
            here: set[int] = set()
            last_start = None
            for tc in _row_cells(tr):
                tcpr = tc.find(qn("w:tcPr"))
                span = _span(tcpr)
                vmerge = _merge(tcpr, "w:vMerge")
                if _merge(tcpr, "w:hMerge") == "continue" and last_start is not None:
                    col += span   # legacy horizontal merge: this slot belongs to the cell on its left
                    continue
                if vmerge == "continue" and col in above:
                    here.add(col)   # the same physical cell as above: not a new cell
                else:
                    self.blocks.append(Block("cell", self.cell_text(tc), Location(table=number, row=r, col=col + 1)))
                    if vmerge is not None:
                        here.add(col)
                last_start = col
                col += span
            above = here


def _children(element, tag: str):
    """Children with `tag`, including those wrapped in a content control or custom XML element."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == W_CUSTOMXML:
            yield from _children(child, tag)


def _rows(tbl) -> list:
    # A row deleted in tracked changes is not in the table the reader sees.
    return [tr for tr in _children(tbl, W_TR) if tr.find(f"{qn('w:trPr')}/{W_DEL}") is None]


def _row_cells(tr) -> list:
    return list(_children(tr, W_TC))


def _cell_paragraphs(tc) -> list:
    return list(_children(tc, W_P))


def _grid_value(tr, tag: str) -> int:
    el = tr.find(f"{qn('w:trPr')}/{qn(tag)}")
    return _int(el.get(W_VAL)) if el is not None else 0


def _span(tcpr) -> int:
    if tcpr is None:
        return 1
    el = tcpr.find(qn("w:gridSpan"))
    return max(1, _int(el.get(W_VAL))) if el is not None else 1


def _merge(tcpr, tag: str) -> str | None:
    """'restart', 'continue' (the default when the element has no value) or None."""
    if tcpr is None:
        return None
    el = tcpr.find(qn(tag))
    if el is None:
        return None
    return "restart" if el.get(W_VAL) == "restart" else "continue"


def _int(text: str | None) -> int:
    # Grid counts are small; a hostile value must not make the grid enormous.
    try:
        return min(max(int(text or 0), 0), 1000)
    except ValueError:
        return 0


def _join(lines: list[str]) -> str:
    """Lines of one cell as one text: no space between Chinese pieces, one between Latin words or numbers."""
    out = ""
    for line in lines:
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(line[0]):
            out += " "
        out += line
    return out
