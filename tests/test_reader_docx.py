"""Word reports: the same report read from .docx gives the same extraction as from text; merged cells,
gridBefore/gridAfter rows, Word's paragraph features, hostile archives, and .doc/.wps conversion."""

import io
import json
import os
import shutil
import struct
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import given, strategies as st

from gongkai import nationalformat as nf
from gongkai.cli import main
from gongkai.errors import UnreadableInput
from gongkai.extraction import extract
from gongkai.readers import read_bytes
from gongkai.readers import office
from gongkai.testing import reports
from gongkai.testing.docx import to_docx
from conftest import SEED, SEED_EXPECTED


@pytest.fixture(scope="module")
def seed_doc():
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


def read(data: bytes, name: str = "report.docx"):
    return read_bytes(data, name).layout


def extraction(data: bytes, name: str = "report.docx"):
    return extract(read(data, name))


def cells_of(layout, table: int):
    return [(b.loc.row, b.loc.col, b.text) for b in layout.blocks if b.kind == "cell" and b.loc.table == table]


# -- the same report, whatever the format ------------------------------------------------------

@pytest.mark.parametrize("grid_before", [False, True])
def test_seed_report_read_from_word_equals_the_expected_document(seed_doc, grid_before):
    ex = extraction(to_docx(seed_doc, grid_before=grid_before))
    assert ex.document == seed_doc
    assert ex.missing == []


@given(reports(), st.booleans())
def test_generated_report_round_trips_through_word(doc, grid_before):
    ex = extraction(to_docx(doc, grid_before=grid_before))
    assert ex.document == doc
    assert ex.missing == []


def test_check_command_on_the_seed_as_docx_grades_it_as_the_text_seed(tmp_path, seed_doc):
    path = tmp_path / "南通市人民政府办公室2023年报.docx"
    path.write_bytes(to_docx(seed_doc))
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["score"]["grade"] == "优秀" and out["score"]["verdict"] == "通过"
    text = json.loads(CliRunner().invoke(main, ["check", str(SEED), "--format", "json"]).stdout)
    assert out["score"]["score"] == text["score"]["score"] >= 95
    assert [(f["code"], f["message"]) for f in out["findings"]] == [(f["code"], f["message"]) for f in text["findings"]]


def test_extract_command_gives_the_same_document_from_docx_as_from_text(tmp_path, seed_doc):
    path = tmp_path / "report.docx"
    path.write_bytes(to_docx(seed_doc, grid_before=True))
    result = CliRunner().invoke(main, ["extract", str(path), "--format", "document"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == seed_doc


def test_recognised_by_content_not_by_name(seed_doc):
    ex = extraction(to_docx(seed_doc), name="年报附件")
    assert ex.document == seed_doc


def test_macro_enabled_word_document_is_read_like_docx(seed_doc):
    members = _members(to_docx(seed_doc))
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    ex = extraction(_zip(members), name="年报.docm")
    assert ex.document == seed_doc


# -- tables: each physical cell once, at its grid position -------------------------------------

def test_table_three_cells_sit_at_their_top_left_grid_position(seed_doc):
    cells = cells_of(read(to_docx(seed_doc)), 2)
    where = {text: (row, col) for row, col, text in cells if text}
    assert where["申请人情况"] == (1, 4)
    assert where["自然人"] == (2, 4) and where["法人或其他组织"] == (2, 5) and where["总计"] == (2, 10)
    assert where["商业企业"] == (3, 5) and where["其他"] == (3, 9)       # `商业` / `企业` read as one label
    assert where["三、本年度办理结果"] == (6, 1)                            # one character per line in its cell
    assert where["（三）不予公开"] == (8, 2) and where["1.属于国家秘密"] == (8, 3)
    assert where["四、结转下年度继续办理"] == (28, 1)
    # Merged cells come once: 10 header cells, 25 rows of 7 values, 25 row labels, 4 group labels and
    # 三、本年度办理结果 (counted by hand from the format's layout).
    assert len(cells) == 10 + 25 * 7 + 25 + 4 + 1
    assert len({(r, c) for r, c, _ in cells}) == len(cells)
    assert [c for c in cells if c[:2] == (8, 4)] == [(8, 4, "1")]


def test_grid_before_and_grid_after_rows_give_true_columns_and_no_phantom_cells(seed_doc):
    layout = read(to_docx(seed_doc, grid_before=True))
    t2 = cells_of(layout, 1)
    licensing = [c for c in t2 if c[0] == 7]
    assert licensing == [(7, 1, "行政许可"), (7, 2, "0")]           # the rest of the row is gridAfter
    t4 = cells_of(layout, 3)
    assert [c[1] for c in t4 if c[0] == 4] == list(range(2, 17))   # every row starts after gridBefore
    assert t4[0] == (1, 2, "行政复议") and t4[1] == (1, 7, "行政诉讼")
    ex = extract(layout)
    licensing_value = nf.table_rows("二")[2].cells[0].pointer
    assert ex.source_map[licensing_value] == {"table": 1, "row": 7, "col": 2, "text": "0"}
    last = nf.table_rows("四")[-1].cells[-1].pointer
    assert ex.source_map[last] == {"table": 3, "row": 4, "col": 16, "text": "0"}


def test_merges_made_with_python_docx_itself_are_read_once():
    # Built with python-docx's own merge, independently of gongkai's writer.
    document = docx.Document()
    document.add_paragraph("表前")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(1, 1)).text = "A"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "B"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "C"
    for (r, c), text in {(1, 3): "D", (2, 0): "E", (2, 1): "F", (2, 3): "G"}.items():
        table.cell(r, c).text = text
    document.add_paragraph("表后")
    layout = read(_save(document))
    assert [(b.kind, b.text) for b in layout.blocks][0] == ("paragraph", "表前")
    assert [(b.kind, b.text) for b in layout.blocks][-1] == ("paragraph", "表后")
    assert cells_of(layout, 1) == [(1, 1, "A"), (1, 3, "B"), (2, 3, "C"), (2, 4, "D"), (3, 1, "E"), (3, 2, "F"),
                                   (3, 4, "G")]


def test_empty_cells_are_emitted_with_empty_text():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "规章"
    table.cell(1, 1).text = "3"
    assert cells_of(read(_save(document)), 1) == [(1, 1, "规章"), (1, 2, ""), (2, 1, ""), (2, 2, "3")]


def test_a_table_holding_tables_is_read_as_a_layout_box():
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1)
    box = frame.cell(0, 0)
    box.paragraphs[0].text = "一、总体情况"
    inner = box.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "行政许可"
    inner.cell(0, 1).text = "5"
    layout = read(_save(document))
    assert [(b.kind, b.text, b.loc.to_json()) for b in layout.blocks] == [
        ("paragraph", "一、总体情况", {"line": 1}),
        ("cell", "行政许可", {"table": 1, "row": 1, "col": 1}),
        ("cell", "5", {"table": 1, "row": 1, "col": 2})]
    assert any("嵌套" in n for n in layout.notes)


# -- paragraphs --------------------------------------------------------------------------------

W = nsdecls("w")


def _body_xml(document, xml: str) -> None:
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))   # before the final w:sectPr


def test_paragraph_text_follows_what_word_shows():
    document = docx.Document()
    document.add_paragraph("")                                    # blank paragraphs are skipped
    _body_xml(document, f'<w:p {W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                        '<w:r><w:t>详见</w:t></w:r><w:hyperlink r:id="rId99"><w:r><w:t>政府网站</w:t></w:r></w:hyperlink>'
                        '<w:del w:id="1" w:author="a"><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'
                        '<w:ins w:id="2" w:author="a"><w:r><w:t>。</w:t></w:r></w:ins></w:p>')
    _body_xml(document, f'<w:p {W}><w:r><w:t>一、总体情况</w:t><w:br/><w:t>2023年，本机关</w:t><w:tab/>'
                        '<w:t>扎实推进公开工作。</w:t></w:r></w:p>')
    _body_xml(document, f'<w:p {W}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText>'
                        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
                        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>号文件</w:t></w:r></w:p>')
    layout = read(_save(document))
    assert [(b.text, b.loc.line) for b in layout.blocks] == [
        ("详见政府网站。", 1), ("一、总体情况", 2), ("2023年，本机关 扎实推进公开工作。", 2), ("3号文件", 3)]
    assert any("修订" in n for n in layout.notes)


def test_literal_numbering_is_kept_and_word_auto_numbering_is_noted_not_invented():
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    document.add_paragraph("主动公开", style="List Number")          # the number comes from the style
    para = document.add_paragraph("依申请公开")
    _number(para)
    layout = read(_save(document))
    assert [b.text for b in layout.blocks] == ["一、总体情况", "主动公开", "依申请公开"]
    note = next(n for n in layout.notes if "自动编号" in n)
    assert "第 2 段、第 3 段共 2 个段落" in note


def test_text_box_text_is_read_once():
    document = docx.Document()
    document.add_paragraph("标题前")
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    box = '<w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>'
    _body_xml(document, f'<w:p {W} {mc}><w:r><w:t>锚点段</w:t></w:r><w:r><mc:AlternateContent>'
                        f'<mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
                        f'<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    layout = read(_save(document))
    assert [b.text for b in layout.blocks] == ["标题前", "锚点段", "框内文字"]


def test_traditional_characters_in_word_are_read_as_simplified(seed_doc):
    data = to_docx(seed_doc)
    document = docx.Document(io.BytesIO(data))
    document.paragraphs[0].runs[0].text = "南通市人民政府辦公室2023年政府資訊公開工作年度報告"
    layout = read(_save(document))
    assert layout.blocks[0].text == "南通市人民政府办公室2023年政府资讯公开工作年度报告"
    assert any("繁体" in n for n in layout.notes)


# -- hostile and broken archives ---------------------------------------------------------------

def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _number(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _patch_central(data: bytes, name: str, *, usize: int | None = None, flags: int | None = None) -> bytes:
    """Change what the zip's central directory says about a member, as a crafted archive would."""
    buf = bytearray(data)
    at = buf.find(b"PK\x01\x02")
    while at != -1:
        nlen = struct.unpack_from("<H", buf, at + 28)[0]
        if buf[at + 46:at + 46 + nlen].decode() == name:
            if usize is not None:
                struct.pack_into("<I", buf, at + 24, usize)
            if flags is not None:
                struct.pack_into("<H", buf, at + 8, flags)
        at = buf.find(b"PK\x01\x02", at + 4)
    return bytes(buf)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def refused(data: bytes, name: str = "report.docx") -> str:
    with pytest.raises(UnreadableInput) as err:
        read_bytes(data, name)
    return str(err.value)


@pytest.fixture(scope="module")
def seed_docx(seed_doc):
    return to_docx(seed_doc)


def test_a_member_with_an_absurd_compression_ratio_is_refused_before_parsing(seed_docx):
    members = _members(seed_docx)
    members["word/media/image1.png"] = b"\0" * (20 * 1024 * 1024)
    message = refused(_zip(members))
    assert "压缩比异常" in message and "压缩炸弹" in message


def test_an_archive_declaring_more_than_200_mb_is_refused(seed_docx):
    message = refused(_patch_central(seed_docx, "word/document.xml", usize=300 * 1024 * 1024))
    assert "200 MB" in message and "压缩炸弹" in message


def test_an_archive_with_thousands_of_entries_is_refused(seed_docx):
    members = _members(seed_docx)
    members.update({f"word/media/x{i}.bin": b"" for i in range(3000)})
    assert "个文件" in refused(_zip(members, zipfile.ZIP_STORED))


def test_an_encrypted_archive_is_refused(seed_docx):
    assert "加密" in refused(_patch_central(seed_docx, "word/document.xml", flags=0x1))


def test_a_zip_that_is_not_a_word_document_says_so():
    assert "不是 Word 文档" in refused(_zip({"readme.txt": "你好".encode()}))
    xlsx = refused(_zip({"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-'
                                                  b'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
                         "xl/workbook.xml": b"<workbook/>"}))
    assert "Excel" in xlsx and "不是 Word 文档" in xlsx


def test_a_truncated_docx_says_it_is_damaged(seed_docx):
    message = refused(seed_docx[: len(seed_docx) // 2])
    assert "已损坏" in message and "另存为" in message


def test_a_damaged_member_says_it_is_damaged(seed_docx):
    with zipfile.ZipFile(io.BytesIO(seed_docx)) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    broken = bytearray(seed_docx)
    for i in range(start + 100, start + 400):
        broken[i] ^= 0x5A
    assert "已损坏" in refused(bytes(broken))


@given(st.data())
def test_any_damage_to_a_docx_ends_in_a_reading_or_a_clear_message(seed_docx, data):
    broken = bytearray(seed_docx)
    if data.draw(st.booleans(), label="truncate"):
        broken = broken[:data.draw(st.integers(4, len(broken) - 1), label="length")]
    else:
        # Half of the damage lands in the last 2 KB, where the zip's directory is.
        for _ in range(data.draw(st.integers(1, 8), label="bytes")):
            low = data.draw(st.sampled_from([0, len(broken) - 2048]), label="region")
            broken[data.draw(st.integers(low, len(broken) - 1), label="at")] = data.draw(st.integers(0, 255))
    try:
        layout = read(bytes(broken))
    except UnreadableInput as err:
        assert str(err).startswith("report.docx ")
    else:
        extract(layout)


def test_a_main_part_that_is_not_xml_says_it_is_damaged(seed_docx):
    members = _members(seed_docx)
    members["word/document.xml"] = b"<w:document><w:body><w:p>"
    assert "已损坏" in refused(_zip(members))


def test_a_word_document_without_a_report_says_what_is_missing(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于召开工作会议的通知")
    path = tmp_path / "notice.docx"
    path.write_bytes(_save(document))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "未找到年度报告的任何部分或统计表" in result.stderr and "Traceback" not in result.stderr


def test_strict_open_xml_is_named():
    members = {"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
                                      b'wordprocessingml.document.main+xml"/></Types>',
               "_rels/.rels": b'<Relationships><Relationship Type="http://purl.oclc.org/ooxml/officeDocument/'
                              b'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
               "word/document.xml": b"<document/>"}
    assert "Strict" in refused(_zip(members))


# -- .doc and .wps -----------------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def ole(*streams: str) -> bytes:
    return OLE + b"".join(s.encode("utf-16-le") + b"\0" * 16 for s in streams)


@pytest.mark.parametrize("name", ["年报.doc", "年报.wps"])
def test_doc_without_libreoffice_says_how_to_convert(monkeypatch, name):
    monkeypatch.setattr(shutil, "which", lambda *_: None)
    message = refused(ole("WordDocument"), name)
    assert name in message and "另存为 .docx" in message and "LibreOffice" in message


def test_rtf_published_as_doc_is_recognised_and_sent_to_conversion(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda *_: None)
    message = refused(b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 SimSun;}} \\f0 report}", "年报.doc")
    assert "RTF" in message and "另存为 .docx" in message


def test_other_ole_files_are_named_before_looking_for_libreoffice(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda *_: None)
    assert "密码" in refused(ole("EncryptionInfo", "EncryptedPackage"), "a.docx")
    assert "Excel" in refused(ole("Workbook"), "a.xls")


def _fake_office(tmp_path: Path, body: str) -> Path:
    """A stand-in for `soffice` on PATH, to exercise the conversion without LibreOffice."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "soffice"
    script.write_text(f"#!{sys.executable}\nimport os, sys, shutil, time, subprocess\nargs = sys.argv[1:]\n{body}\n",
                      encoding="utf-8")
    script.chmod(0o755)
    return bindir


def test_doc_is_converted_by_libreoffice_when_present(tmp_path, monkeypatch, seed_doc, seed_docx):
    converted = tmp_path / "converted.docx"
    converted.write_bytes(seed_docx)
    seen = tmp_path / "seen.txt"
    bindir = _fake_office(tmp_path, (
        "profile = next(a for a in args if a.startswith('-env:UserInstallation=file:///'))\n"
        "assert '--headless' in args and args[args.index('--convert-to') + 1].startswith('docx')\n"
        "outdir = args[args.index('--outdir') + 1]\n"
        "source = args[-1]\n"
        f"open({str(seen)!r}, 'a').write(os.path.basename(source) + ' ' + profile + '\\n')\n"
        "assert os.path.isfile(source) and profile.split('=', 1)[1].startswith('file:///')\n"
        f"shutil.copy({str(converted)!r}, os.path.join(outdir, os.path.basename(source).rsplit('.', 1)[0] + '.docx'))\n"))
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    for data, name in ((ole("WordDocument"), "年报.doc"), (ole("WordDocument"), "年报.wps"), (b"{\\rtf1 x}", "年报.doc")):
        read = read_bytes(data, name)
        assert read.source.format == "doc" and read.source.name == name
        ex = extract(read.layout)
        assert ex.document == seed_doc
        assert any("LibreOffice" in n for n in ex.notes)
    calls = [line.split() for line in seen.read_text().splitlines()]
    # The input reaches LibreOffice under the extension of what it is, so that its filters take it,
    # and each run has a profile of its own, so that concurrent runs do not wait on each other.
    assert [c[0] for c in calls] == ["report.doc", "report.wps", "report.rtf"]
    assert len({c[1] for c in calls}) == 3


def test_a_failed_conversion_says_so(tmp_path, monkeypatch):
    bindir = _fake_office(tmp_path, "print('Error: source file could not be loaded', file=sys.stderr)\nsys.exit(1)")
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    message = refused(ole("WordDocument"), "年报.doc")
    assert "未能" in message and "source file could not be loaded" in message


def test_a_conversion_that_hangs_is_stopped_with_its_children(tmp_path, monkeypatch):
    pidfile = tmp_path / "child.pid"
    bindir = _fake_office(tmp_path, (
        "child = subprocess.Popen(['sleep', '600'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(child.pid))\n"
        "child.wait()\n"))
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setattr(office, "TIMEOUT_SECONDS", 3)
    message = refused(ole("WordDocument"), "年报.doc")
    assert "已中止" in message
    child = int(pidfile.read_text())
    stat = Path(f"/proc/{child}/stat")
    # The launcher's child is gone or only awaiting its reaper: nothing keeps converting.
    assert not stat.exists() or stat.read_text().split(") ", 1)[1].startswith(("Z", "X"))


@pytest.mark.skipif(office.find_office() is None, reason="LibreOffice（soffice）未安装，无法测试真实的 .doc 转换")
def test_real_doc_converted_with_libreoffice(tmp_path, seed_doc, seed_docx):
    import subprocess
    source = tmp_path / "seed.docx"
    source.write_bytes(seed_docx)
    subprocess.run([office.find_office(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)], check=True, timeout=300,
                   capture_output=True)
    ex = extraction((tmp_path / "seed.doc").read_bytes(), "seed.doc")
    assert ex.document == seed_doc
    assert ex.missing == []
