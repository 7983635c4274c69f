"""The PDF reader: a report read from a PDF gives the same document as the report itself, the real
published PDF's three tables come out exactly, and bad PDFs end in a clear Chinese message."""

import io
import json
import multiprocessing
import os
import re
import sys
import zlib

import pdfplumber
import pytest
from PIL import Image
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from gongkai import nationalformat as nf
from gongkai.cli import main
from gongkai.errors import UnreadableInput
from gongkai.extraction import extract
from gongkai.layout import Location
from gongkai.readers import read_bytes
from gongkai.testing import reports
from gongkai.testing.pdf import FOOTERS, to_pdf
from conftest import CORPUS, ROOT, SEED, SEED_EXPECTED

REAL = CORPUS / "real-pdf-01.pdf"
REAL_EXPECTED = ROOT / "tests" / "data" / "real-pdf-01.expected.json"
PAGE_NUMBER = re.compile(r"^(-\s*\d+\s*-|第\s*\d+\s*页)$")


@pytest.fixture(scope="module")
def seed_doc():
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_pdf(seed_doc):
    return to_pdf(seed_doc)


def read(data, name="report.pdf"):
    result = read_bytes(data, name)
    assert result.source.format == "pdf"
    return result.layout, extract(result.layout)


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def small_pdf(pages=1, image=False, encrypt=None):
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for n in range(pages):
        if image:
            c.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 100, 500, 200, 100)
        else:
            c.setFont("Helvetica", 12)
            c.drawString(100, 700, f"page {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


# -- the same report, whatever the format --------------------------------------------------------

def test_seed_document_read_back_from_pdf_is_identical(seed_doc, seed_pdf):
    _, ex = read(seed_pdf)
    assert ex.document == seed_doc
    assert ex.missing == []


@settings(max_examples=3)
@given(doc=reports(), repeat_header=st.booleans(), footer=st.sampled_from(sorted(FOOTERS)))
def test_generated_reports_read_back_from_pdf_are_identical(doc, repeat_header, footer):
    _, ex = read(to_pdf(doc, repeat_header=repeat_header, footer=footer))
    assert ex.document == doc
    assert ex.missing == []


@pytest.mark.parametrize("options", [
    {"repeat_header": True},
    {"footer": "tight"},
    {"footer": "page", "running_header": "南通市人民政府办公室政府信息公开工作年度报告"},
    {"narrow_labels": True, "repeat_header": True},
], ids=["header-repeated", "footer-tight", "page-footer-and-running-header", "narrow-labels-over-three-pages"])
def test_layout_variants_read_back_identical(seed_doc, options):
    layout, ex = read(to_pdf(seed_doc, **options))
    assert ex.document == seed_doc
    assert ex.missing == []
    running = options.get("running_header")
    assert not [b.text for b in layout.blocks if PAGE_NUMBER.match(b.text) or (running and b.text == running)]
    # However many pages table 三 runs over, its rows are numbered on and a repeated header is skipped.
    t3 = [ex.source_map[c.pointer] for r in nf.table_rows("三") for c in r.cells]
    assert [s["row"] for s in t3[::7]] == list(range(4, 29))
    assert len({s["page"] for s in t3}) == (3 if options.get("narrow_labels") else 2)


def test_repeated_header_leaves_every_cell_location_unchanged(seed_doc, seed_pdf):
    _, repeated = read(to_pdf(seed_doc, repeat_header=True))
    _, plain = read(seed_pdf)
    cells = [c.pointer for c in nf.all_cells()]
    assert [repeated.source_map[p] for p in cells] == [plain.source_map[p] for p in cells]


def test_table_three_crosses_a_page_break_as_one_table(seed_pdf):
    layout, ex = read(seed_pdf)
    t3 = [ex.source_map[c.pointer] for r in nf.table_rows("三") for c in r.cells]
    assert len({s["page"] for s in t3}) == 2
    assert len({s["table"] for s in t3}) == 1
    # One row numbering across the break: 3 header rows, then the 25 rows of the format.
    assert [s["row"] for s in t3[::7]] == list(range(4, 29))
    assert {s["col"] for s in t3} == set(range(4, 11))
    # The page number printed between the two pieces is neither a paragraph nor a cell.
    assert not [b for b in layout.blocks if PAGE_NUMBER.match(b.text)]
    table = [b for b in layout.blocks if b.kind == "cell" and b.loc.table == t3[0]["table"]]
    assert [b.loc.row for b in table] == sorted(b.loc.row for b in table)


def test_wrapped_and_vertical_labels_are_single_cells(seed_pdf):
    layout, _ = read(seed_pdf)
    cells = {b.text for b in layout.blocks if b.kind == "cell"}
    results = nf.schema()["properties"]["tables"]["properties"]["t3"]["properties"]["results"]["title"]
    long_label = max((r.title for r in nf.table_rows("三")), key=len)     # wrapped over three lines
    assert {"商业企业", "社会公益组织", "法律服务机构", "结果维持", results, long_label} <= cells


def test_locations_point_at_the_page_and_line(seed_pdf):
    _, ex = read(seed_pdf)
    with pdfplumber.open(io.BytesIO(seed_pdf)) as pdf:
        texts = [re.sub(r"\s", "", p.extract_text()) for p in pdf.pages]
    problems = ex.source_map["/parts/problems"]
    assert "五、存在的主要问题及改进情况" in texts[problems["page"] - 1]
    first = ex.source_map[nf.table_rows("三")[0].cells[0].pointer]
    assert "一、本年新收政府信息公开申请数量" in texts[first["page"] - 1]
    assert (first["row"], first["col"]) == (4, 4)
    # The title is the first line of page 1 and the preamble the line below it.
    assert ex.source_map["/meta/title"]["page"] == 1 and ex.source_map["/meta/title"]["line"] == 1
    assert ex.source_map["/preamble"]["page"] == 1 and ex.source_map["/preamble"]["line"] == 2


def test_check_on_the_seed_as_pdf_gives_the_seed_result(seed_pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(seed_pdf)
    code, out, _ = run("check", path, "--format", "json")
    text_code, text_out, _ = run("check", SEED, "--format", "json")
    assert code == text_code == 0
    pdf_result, text_result = json.loads(out), json.loads(text_out)
    assert pdf_result["score"] == text_result["score"]
    assert pdf_result["score"]["grade"] == "优秀"
    assert ([(f["code"], f["message"]) for f in pdf_result["findings"]]
            == [(f["code"], f["message"]) for f in text_result["findings"]])


def drawn_pdf(draw):
    """A one-page PDF drawn by `draw(canvas)` in the CJK font STSong-Light."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_text_printed_twice_for_bold_is_read_once():
    def draw(c):
        for dx in (0, 0.3):           # WPS and Word fake bold type by printing it twice, shifted
            c.drawString(72 + dx, 700, "一、总体情况")
        c.drawString(96, 670, "本机关依法公开政府信息。")
    layout = read_bytes(drawn_pdf(draw), "bold.pdf").layout
    assert [b.text for b in layout.blocks] == ["一、总体情况", "本机关依法公开政府信息。"]


def test_rows_of_a_table_without_rules_stay_apart():
    def draw(c):
        for n, (label, values) in enumerate([("规章", "0 0 0"), ("行政规范性文件", "3 0 8")]):
            c.drawString(72, 700 - 20 * n, label)
            for k, v in enumerate(values.split()):
                c.drawString(300 + 60 * k, 700 - 20 * n, v)
    layout = read_bytes(drawn_pdf(draw), "plain-table.pdf").layout
    assert [b.text for b in layout.blocks] == ["规章 0 0 0", "行政规范性文件 3 0 8"]


def draw_small_table(c, x=72, y=460):
    """A heading, a sentence and a 3 x 3 ruled table, drawn from (x, y) down."""
    c.setFont("STSong-Light", 12)
    c.drawString(x, y + 80, "一、总体情况")
    c.drawString(x + 24, y + 60, "本机关依法公开政府信息。")
    for r in range(4):
        c.line(x, y - 20 * r, x + 300, y - 20 * r)
    for k in range(4):
        c.line(x + 100 * k, y, x + 100 * k, y - 60)
    for r, row in enumerate([("项目", "本年制发件数", "现行有效件数"), ("规章", "3", "0"), ("行政规范性文件", "12", "/")]):
        for k, text in enumerate(row):
            c.drawString(x + 100 * k + 4, y - 20 * r - 14, text)


def page_pdf(draw, size, rotate=0, matrix=None):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    if rotate:
        c.setPageRotation(rotate)
    if matrix:
        c.transform(*matrix)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def blocks_of(data):
    return [(b.kind, b.text, b.loc) for b in read_bytes(data, "page.pdf").layout.blocks]


# A portrait page turned by /Rotate, its content drawn turned the other way so that it reads
# upright on screen (how landscape pages for wide tables are often made): the matrix takes
# coordinates on the page as displayed to the page's own.
@pytest.mark.parametrize("rotate, matrix", [
    (90, (0, 1, -1, 0, 595, 0)),
    (180, (-1, 0, 0, -1, 595, 842)),
    (270, (0, -1, 1, 0, 0, 842)),
])
def test_a_rotated_page_reads_as_it_is_displayed(rotate, matrix):
    displayed = (595, 842) if rotate == 180 else (842, 595)
    expected = blocks_of(page_pdf(draw_small_table, displayed))
    assert ("cell", "行政规范性文件", Location(page=1, table=1, row=3, col=1)) in expected
    assert blocks_of(page_pdf(draw_small_table, (595, 842), rotate, matrix)) == expected


def test_a_table_drawn_inside_a_form_xobject_is_read():
    def as_form(c):
        c.beginForm("table")
        draw_small_table(c, 0, 200)
        c.endForm()
        c.saveState()
        c.translate(72, 260)        # the form's content lands where draw_small_table(c) draws it
        c.doForm("table")
        c.restoreState()
    assert blocks_of(page_pdf(as_form, (595, 842))) == blocks_of(page_pdf(draw_small_table, (595, 842)))


# -- the real PDF --------------------------------------------------------------------------------

def test_real_pdf_tables_are_extracted_exactly():
    code, out, err = run("extract", REAL, "--format", "json")
    assert code == 0
    got = {(c["table"], c["row"], c["column"]): (c["value"], c["source"]["page"]) for c in json.loads(out)}
    expected = json.loads(REAL_EXPECTED.read_text(encoding="utf-8"))
    # The single 2019-style （六）其他处理 row is not read into the 2021 slots: those 21 cells stay absent.
    assert len(expected) == 200 - 21
    assert got == {(c["table"], c["row"], c["column"]): (c["value"], c["page"]) for c in expected}


def test_real_pdf_layout():
    layout, _ = read(REAL.read_bytes(), REAL.name)
    cells = [b for b in layout.blocks if b.kind == "cell"]
    texts = {b.text for b in cells}
    # The vertical label, and a label wrapped over two lines with a stray space in it.
    assert "三、本年度办理结果" in texts
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in texts
    assert not [b for b in layout.blocks if PAGE_NUMBER.match(b.text)]
    # Table 三 runs from page 3 to page 4 as one table whose rows are numbered on.
    t3 = [b for b in cells if b.loc.table == 2]
    assert {b.loc.page for b in t3} == {3, 4}
    last_on_3 = max(b.loc.row for b in t3 if b.loc.page == 3)
    assert min(b.loc.row for b in t3 if b.loc.page == 4) == last_on_3 + 1
    # Table 二 runs from page 2 to page 3, table 四 stands alone on page 4.
    assert {b.loc.page for b in cells if b.loc.table == 1} == {2, 3}
    assert {b.loc.table for b in cells} == {1, 2, 3}
    # Prose wrapped over several lines is one paragraph, also across the page break 4 -> 5.
    paragraphs = [b for b in layout.blocks if b.kind == "paragraph"]
    assert any(b.text.startswith("针对存在问题") and b.text.endswith("业务工作水平。") for b in paragraphs)


def test_check_on_the_real_pdf_reports_its_metadata():
    code, out, _ = run("check", REAL, "--format", "json")
    assert code in (0, 1)
    report = json.loads(out)["report"]
    assert report["issuing_body"] == "淮安市洪泽区人民政府"
    assert report["report_year"] == 2024


# -- bad PDFs ------------------------------------------------------------------------------------

def test_truncated_pdf_is_refused_with_a_chinese_message(seed_pdf, tmp_path):
    with pytest.raises(UnreadableInput, match="损坏或不完整"):
        read_bytes(seed_pdf[: len(seed_pdf) // 2], "cut.pdf")
    path = tmp_path / "cut.pdf"
    path.write_bytes(REAL.read_bytes()[:100_000])
    code, out, err = run("check", path)
    assert code == 2
    assert err.startswith("错误：") and "损坏或不完整" in err and "Traceback" not in err


def test_password_protected_pdf_is_refused():
    data = small_pdf(encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    with pytest.raises(UnreadableInput, match="已加密，需要密码"):
        read_bytes(data, "locked.pdf")


def test_pdf_with_only_permission_restrictions_is_read_with_a_note():
    data = small_pdf(encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canModify=0))
    layout = read_bytes(data, "restricted.pdf").layout
    assert [b.text for b in layout.blocks] == ["page 1"]
    assert any("权限加密" in n for n in layout.notes)


def test_scanned_pdf_asks_for_ocr():
    with pytest.raises(UnreadableInput, match="没有文字层.*OCR"):
        read_bytes(small_pdf(image=True), "scan.pdf")


def test_absurd_page_count_is_refused():
    with pytest.raises(UnreadableInput, match="301 页，超过 300 页"):
        read_bytes(small_pdf(pages=301), "huge.pdf")


def test_parsing_that_runs_too_long_is_stopped(seed_pdf, monkeypatch):
    monkeypatch.setenv("GONGKAI_PDF_TIMEOUT", "0.001")
    with pytest.raises(UnreadableInput, match="超过了 0.001 秒的时间限制"):
        read_bytes(seed_pdf, "slow.pdf")
    assert multiprocessing.active_children() == []


def one_page_pdf(content: bytes, resources: bytes = b"", objects: tuple[bytes, ...] = ()) -> bytes:
    """A minimal PDF whose only page has the given (Flate-compressed) content stream; `objects`
    are numbered from 5 on, for `resources` to refer to."""
    objects = (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << %s >> >>"
               % resources,
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
               *objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_font_the_page_does_not_define_is_replaced_quietly(capfd):
    # The page uses a font its resources do not define: the text is read in a standard font.
    layout = read_bytes(one_page_pdf(zlib.compress(b"BT /F1 12 Tf 72 700 Td (abc) Tj ET")), "odd.pdf").layout
    assert [b.text for b in layout.blocks] == ["abc"]
    assert capfd.readouterr().err == ""


def test_characters_without_a_unicode_mapping_are_counted_in_a_note():
    # A CID font with Identity-H encoding and no ToUnicode map: the codes say nothing about the
    # characters, which is how Chinese PDFs end up as garbage when copied.
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /Unknown /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Unknown /FontDescriptor 7 0 R"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
            b"<< /Type /FontDescriptor /FontName /Unknown /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0"
            b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    content = b"BT /F1 12 Tf 72 700 Td <4E004E8C4E09> Tj /F2 12 Tf 72 680 Td (ok) Tj ET"
    data = one_page_pdf(zlib.compress(content), b"/Font << /F1 5 0 R /F2 8 0 R >>",
                        font + (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",))
    layout = read_bytes(data, "garbled.pdf").layout
    assert any("3 个字符" in n and "乱码" in n for n in layout.notes)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap uses Linux's RLIMIT_AS")
def test_a_compression_bomb_hits_the_memory_cap(monkeypatch):
    from gongkai.readers import pdf as reader
    bomb = one_page_pdf(zlib.compress(b" " * (64 * 1024 * 1024), 9))     # 64 KB that inflate to 64 MB
    monkeypatch.setattr(reader, "MEMORY_LIMIT", 32 * 1024 * 1024)
    with pytest.raises(UnreadableInput, match="内存超过了上限"):
        read_bytes(bomb, "bomb.pdf")


def test_a_bad_time_limit_setting_is_named(seed_pdf, monkeypatch):
    monkeypatch.setenv("GONGKAI_PDF_TIMEOUT", "soon")
    with pytest.raises(UnreadableInput, match="GONGKAI_PDF_TIMEOUT"):
        read_bytes(seed_pdf, "report.pdf")


def _read_in_worker(args):
    data, limit = args
    if limit:
        os.environ["GONGKAI_PDF_TIMEOUT"] = limit
    try:
        return [b.text for b in read_bytes(data, "report.pdf").layout.blocks]
    except UnreadableInput as err:
        return str(err)
    finally:
        os.environ.pop("GONGKAI_PDF_TIMEOUT", None)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the workers' own children are forked")
def test_pool_workers_read_pdfs_under_the_same_limits(seed_pdf, monkeypatch):
    # multiprocessing.Pool workers are daemonic, and multiprocessing lets them start no process:
    # the reader forks its child itself, so the time limit and the memory cap hold there too.
    from gongkai.readers import pdf as reader
    monkeypatch.setattr(reader, "MEMORY_LIMIT", 32 * 1024 * 1024)     # the forked pool inherits it
    bomb = one_page_pdf(zlib.compress(b" " * (64 * 1024 * 1024), 9))
    with multiprocessing.get_context("fork").Pool(1) as pool:
        normal, slow, big = pool.map(_read_in_worker, [(seed_pdf, None), (seed_pdf, "0.001"), (bomb, None)])
    layout, _ = read(seed_pdf)
    assert normal == [b.text for b in layout.blocks]
    assert "超过了 0.001 秒的时间限制" in slow
    assert "内存超过了上限" in big


def test_bytes_before_the_pdf_header_are_tolerated(tmp_path):
    from gongkai.readers import read_bytes
    real = (CORPUS / "real-pdf-01.pdf").read_bytes()
    read = read_bytes(b"\r\n\r\n" + real, "with-junk.pdf")
    assert [b.text for b in read.layout.blocks[:2]] == ["淮安市洪泽区人民政府", "2024年政府信息公开工作年度报告"]
