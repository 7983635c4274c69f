"""The HTML reader: a report published as a web page reads exactly as the same report in text.

Pages are written by `gongkai.testing.html.to_html` the way agency sites publish them (chrome around
the report, merged cells, labels broken inside cells, GBK declared as gb2312) and read back through
the dispatcher and the extractor.
"""

import copy
import html
import json
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from gongkai.cli import main
from gongkai.errors import UnreadableInput
from gongkai.extraction import extract
from gongkai.readers import read_bytes, sniff
from gongkai import nationalformat as nf
from gongkai.testing import reports, with_cell
from gongkai.testing.html import to_html
from conftest import SEED, SEED_EXPECTED

CHROME = ("当前位置", "首页", "政务服务", "索引号", "主题分类", "浏览次数", "字号", "打印本页", "关闭窗口",
          "相关文章", "主办单位", "承办单位", "网站标识码", "ICP备", "公网安备", "版权所有", "隐藏内容", "document.write")


@pytest.fixture(scope="module")
def seed_doc():
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


def read_page(data: bytes, name: str = "report.html"):
    read = read_bytes(data, name)
    return read, extract(read.layout)


def page_text(data: bytes) -> str:
    return data.decode("gb18030" if b"charset=gb" in data[:600] else "utf-8")


# -- the same report, whatever the page ----------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("chrome", [True, False], ids=["site-page", "bare-page"])
def test_seed_page_reads_back_as_the_seed_document(seed_doc, encoding, chrome):
    read, ex = read_page(to_html(seed_doc, encoding=encoding, chrome=chrome))
    assert read.source.format == "html"
    assert ex.document == seed_doc
    assert ex.missing == []


@given(reports(), st.sampled_from(["utf-8", "gbk"]), st.booleans(),
       st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2027, 12, 31))))
def test_generated_report_reads_back_from_its_page(doc, encoding, chrome, published):
    doc["meta"]["publication_date"] = published and published.isoformat()
    _, ex = read_page(to_html(doc, encoding=encoding, chrome=chrome))
    assert ex.document == doc
    assert ex.missing == []


@given(reports(), st.sampled_from([c.pointer for c in nf.all_cells()]), st.sampled_from(["", "/", "-", "—", "无"]))
def test_blank_or_placeholder_cell_keeps_its_place_in_the_grid(doc, pointer, raw):
    # A page has a cell for every place in the table, so an empty one can never shift its neighbours.
    doc = with_cell(doc, pointer, None, raw)
    _, ex = read_page(to_html(doc, encoding="gbk"))
    assert ex.document == doc
    assert ex.missing == []


def test_gbk_page_is_declared_gb2312_and_read_as_gb18030(seed_doc):
    data = to_html(seed_doc, encoding="gbk")
    assert b"charset=gb2312" in data
    read, _ = read_page(data)
    assert read.source.encoding == "gb18030"
    assert read.layout.notes == []     # a declared encoding is not a guess


def test_gb18030_only_characters_in_a_page_declared_gb2312_are_read_whole(seed_doc):
    # lxml would stop at the first character outside GB2312 and lose the rest of the page.
    doc = copy.deepcopy(seed_doc)
    overview = doc["parts"]["overview"]
    first, rest = overview["text"].split("\n", 1)
    overview["text"] = first + "\n（〇）生僻字㐀与扩展B区字𠀀照常显示。\n" + rest
    data = to_html(doc, encoding="gb18030", declare="gb2312")
    assert b"charset=gb2312" in data and "㐀".encode("gb18030") in data and b"&#" not in data
    read, ex = read_page(data)
    assert read.source.encoding == "gb18030" and read.layout.notes == []    # the declaration was followed
    assert ex.document == doc
    assert ex.missing == []


def _variant(seed_doc, how: str) -> bytes:
    utf8 = to_html(seed_doc, encoding="utf-8", chrome=False)
    gbk = to_html(seed_doc, encoding="gbk", chrome=False)
    undeclared = utf8.replace(b'<meta charset="utf-8">', b"")
    return {
        "utf-8 BOM, no declaration": b"\xef\xbb\xbf" + undeclared,
        "UTF-16 with BOM (Word's Unicode web page)": undeclared.decode("utf-8").encode("utf-16"),
        "GBK, no declaration": gbk.replace(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />', b""),
        "GBK declared utf-8": gbk.replace(b"charset=gb2312", b"charset=utf-8"),
        "UTF-8 declared gb2312": utf8.replace(b'<meta charset="utf-8">', b'<meta charset="gb2312">'),
        "GBK declared iso-8859-1": gbk.replace(b"charset=gb2312", b"charset=iso-8859-1"),
    }[how]


@pytest.mark.parametrize("how, encoding, guessed", [
    ("utf-8 BOM, no declaration", "utf-8", False),
    ("UTF-16 with BOM (Word's Unicode web page)", "utf-16", False),
    ("GBK, no declaration", "gb18030", True),
    ("GBK declared utf-8", "gb18030", True),
    ("UTF-8 declared gb2312", "utf-8", True),
    ("GBK declared iso-8859-1", "gb18030", True),
])
def test_encoding_is_found_whatever_the_page_declares(seed_doc, how, encoding, guessed):
    data = _variant(seed_doc, how)
    assert sniff(data) == "html"
    read, ex = read_page(data)
    assert read.source.encoding == encoding
    assert bool([n for n in read.layout.notes if "编码" in n]) is guessed
    assert ex.document == seed_doc


def test_a_few_damaged_bytes_are_read_around_with_a_note(seed_doc):
    data = to_html(seed_doc, encoding="utf-8", chrome=False)
    at = data.index("一、总体情况".encode())
    data = data[:at] + b"\xff" + data[at:]
    read, ex = read_page(data)
    assert any("损坏" in n for n in read.layout.notes)
    assert ex.document["tables"] == seed_doc["tables"]


# -- chrome, date and title ------------------------------------------------------------------------

def test_page_chrome_does_not_reach_the_report(seed_doc):
    read, ex = read_page(to_html(seed_doc, encoding="utf-8", chrome=True))
    own = json.dumps(seed_doc, ensure_ascii=False)
    words = [w for w in CHROME if w not in own]     # the report itself speaks of 政务服务
    assert len(words) >= len(CHROME) - 2
    texts = [b.text for b in read.layout.blocks]
    for word in words:
        assert not [t for t in texts if word in t], word
    # Of the metadata box only the publisher is kept, as a cell ahead of the report.
    assert [b.kind for b in read.layout.blocks if "发布机构" in b.text] == ["cell"]
    assert read.layout.blocks[0].text == "发布机构：南通市人民政府办公室"
    prose = [ex.document["preamble"]] + [p["text"] for p in ex.document["parts"].values()]
    assert not [w for w in words for t in prose if w in t]
    # The last part ends with the report's own last line, not with the footer or related links.
    assert ex.document["parts"]["other_matters"]["text"] == seed_doc["parts"]["other_matters"]["text"]
    # The metadata box is chrome: the report's three tables are tables 1 to 3 of the layout.
    assert {b.loc.table for b in read.layout.blocks if b.kind == "cell" and b.loc.row} == {1, 2, 3}


def test_publication_date_is_taken_from_the_metadata_box(seed_doc):
    doc = copy.deepcopy(seed_doc)
    doc["meta"]["publication_date"] = "2024-01-31"
    data = to_html(doc, encoding="gbk", chrome=True)
    read, ex = read_page(data)
    assert ex.document == doc     # the date is read, and the preamble stays the report's own
    date = next(b for b in read.layout.blocks if b.text == "发布日期：2024-01-31")
    assert "发布日期：" in page_text(data).splitlines()[date.loc.line - 1]


def test_metadata_box_reads_as_its_text_copy_does():
    # The corpus keeps pages copied as text, metadata box included (excerpt-11): the page and its
    # copy give the same extraction.
    copy_text = ("索引号: | 11330723735279524N/2023-252697 | 发布机构: | 壶山街道 | ||\n"
                 "文号: | 公开日期: | 2023-01-04 15:41 |\n一、总体情况\n所列数据的统计时限自2022年1月1日起至2022年12月31日止。\n")
    page = ("<html><head><meta charset='utf-8'></head><body><table class='xxgk'><tr><td>索引号:</td>"
            "<td>11330723735279524N/2023-252697</td><td>发布机构:</td><td>壶山街道</td></tr><tr><td>文号:</td><td></td>"
            "<td>公开日期:</td><td>2023-01-04 15:41</td></tr></table><div class='content'><p>一、总体情况</p>"
            "<p>所列数据的统计时限自2022年1月1日起至2022年12月31日止。</p></div></body></html>").encode()
    _, from_page = read_page(page)
    _, from_copy = read_page(copy_text.encode(), "copy.txt")
    assert from_page.document == from_copy.document
    assert from_page.document["meta"]["publication_date"] == "2023-01-04"


def test_publication_date_is_taken_from_the_page_head_when_nothing_shows_it(seed_doc):
    doc = copy.deepcopy(seed_doc)
    doc["meta"]["publication_date"] = "2024-03-05"
    _, ex = read_page(to_html(doc, encoding="utf-8", chrome=False))
    assert ex.document["meta"]["publication_date"] == "2024-03-05"


def test_title_is_taken_from_the_page_title_when_the_page_shows_none():
    page = ("<html><head><meta charset='utf-8'><title>某某县人民政府2023年政府信息公开工作年度报告_某某县人民政府门户网站"
            "</title></head><body><div class='nav'><a>首页</a></div><div id='zoom'>"
            "<p>本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。</p><p>一、总体情况</p><p>全年主动公开信息。</p>"
            "</div><div class='footer'>版权所有 某某县人民政府</div></body></html>").encode()
    read, ex = read_page(page)
    assert ex.document["meta"]["title"] == "某某县人民政府2023年政府信息公开工作年度报告"
    assert ex.document["meta"]["issuing_body"] == "某某县人民政府"
    assert ex.document["parts"]["overview"]["text"] == "全年主动公开信息。"
    assert any("网页标题" in n for n in read.layout.notes)


# -- layout: paragraphs, cells, positions ----------------------------------------------------------

def _layout(body: str, head: str = "<meta charset='utf-8'>"):
    return read_bytes(f"<html><head>{head}</head><body>{body}</body></html>".encode("utf-8"), "t.html").layout


def test_merged_cells_stand_at_their_top_left_position_once():
    layout = _layout("<p>表</p><table>"
                     "<tr><td rowspan='2' colspan='2'>甲</td><td>乙</td></tr>"
                     "<tr><td>丙</td></tr>"
                     "<tr><td>丁</td><td colspan='2'>戊</td></tr>"
                     "<tr><td rowspan='2'>己</td><td></td><td>庚</td></tr>"
                     "<tr><td>辛</td><td>壬</td></tr></table>")
    cells = [(b.text, b.loc.table, b.loc.row, b.loc.col) for b in layout.blocks if b.kind == "cell"]
    assert cells == [("甲", 1, 1, 1), ("乙", 1, 1, 3), ("丙", 1, 2, 3), ("丁", 1, 3, 1), ("戊", 1, 3, 2),
                     ("己", 1, 4, 1), ("", 1, 4, 2), ("庚", 1, 4, 3), ("辛", 1, 5, 2), ("壬", 1, 5, 3)]


def test_label_broken_inside_a_cell_is_one_label():
    layout = _layout("<table><tr><td>商业<br>企业</td><td><p>结果</p><p>维持</p></td><td>社会\r\n公益组织</td>"
                     "<td>Legal<br>aid</td><td>1<table><tr><td>内嵌</td></tr></table></td></tr>"
                     "<tr><td>a</td><td>b</td><td>c</td><td>d</td><td>e</td></tr></table>")
    assert [b.text for b in layout.blocks][:5] == ["商业企业", "结果维持", "社会公益组织", "Legal aid", "1内嵌"]


def test_paragraphs_follow_blocks_and_line_breaks_outside_tables():
    layout = _layout("<div><p><strong>一、总体情况</strong><br>本机关认真贯彻\r\n落实条例。<br/>全年公开\n"
                     "<span>信息</span> 100 条。</p><p>&nbsp;</p><h2>二、主动公开政府信息情况</h2>Word wrapped\nline"
                     "<ul><li>第一项</li><li>第二项</li></ul></div>")
    assert [(b.kind, b.text) for b in layout.blocks] == [
        ("paragraph", "一、总体情况"), ("paragraph", "本机关认真贯彻落实条例。"), ("paragraph", "全年公开信息 100 条。"),
        ("paragraph", "二、主动公开政府信息情况"), ("paragraph", "Word wrapped line"), ("paragraph", "第一项"),
        ("paragraph", "第二项")]


def test_locations_point_at_the_source_lines(seed_doc):
    data = to_html(seed_doc, encoding="utf-8")
    lines = data.decode("utf-8").splitlines()
    read, ex = read_page(data)
    for b in read.layout.blocks:
        if b.kind == "cell" and b.text.isdigit():
            assert f">{b.text}<" in lines[b.loc.line - 1]
    heading = next(b for b in read.layout.blocks if b.text == "三、收到和处理政府信息公开申请情况")
    assert "三、收到和处理政府信息公开申请情况" in lines[heading.loc.line - 1]
    cell = ex.source_map["/tables/t3/results/withheld/state_secret/natural_person"]
    assert (cell["table"], cell["row"], cell["col"]) == (2, 8, 4)


def test_layout_tables_around_the_report_are_not_read_as_data(seed_doc):
    inner = to_html(seed_doc, encoding="utf-8", chrome=False).decode("utf-8")
    body = inner[inner.index("<body>") + 6: inner.index("</body>")]
    page = ("<html><head><meta charset='utf-8'></head><body><table width='100%'><tr><td class='left'>"
            "<a>栏目导航</a></td><td class='right'><table><tr><td>" + body + "</td></tr></table></td></tr></table>"
            "</body></html>").encode()
    _, ex = read_page(page)
    assert ex.document == seed_doc


def test_report_pasted_as_preformatted_text_reads_like_the_text_file(seed_doc):
    seed = SEED.read_text(encoding="utf-8")
    page = ("<html><head><meta charset='utf-8'></head><body><div class='topNav'><a>首页</a></div><pre>\n"
            + html.escape(seed) + "</pre><div class='site-footer'>版权所有</div></body></html>").encode()
    read, ex = read_page(page)
    assert ex.document == seed_doc
    # Lines count from the page: the text's line 71 is the page's line 72.
    _, text_ex = read_page(SEED.read_bytes(), SEED.name)
    pointer = "/tables/t3/new_received/total"
    assert ex.source_map[pointer]["line"] == text_ex.source_map[pointer]["line"] + 1


# -- hostile and broken input ----------------------------------------------------------------------

def test_absurd_spans_are_capped_at_the_table():
    rows = "".join(f"<tr><td rowspan='100000' colspan='100000'>{i}</td><td>x</td></tr>" for i in range(60))
    layout = _layout(f"<table>{rows}</table>")
    cells = [b for b in layout.blocks if b.kind == "cell"]
    assert len(cells) == 120
    assert max(b.loc.row for b in cells) == 60
    assert any("合并" in n for n in layout.notes)


def test_a_page_of_endless_cells_is_refused_not_read_into_memory(monkeypatch):
    from gongkai.readers import html as reader
    monkeypatch.setattr(reader, "_MAX_RECORDS", 500)
    rows = "<tr><td>1</td><td>2</td></tr>" * 300
    with pytest.raises(UnreadableInput, match="不像一份年度报告"):
        _layout(f"<p>一、总体情况</p><table>{rows}</table>")


def test_hidden_cells_and_rows_take_no_place_in_the_grid():
    layout = _layout("<table><tr><td>甲</td><td style='display: none'>藏</td><td>乙</td></tr>"
                     "<tr hidden><td>藏</td><td>藏</td></tr><tr><td>丙</td><td>丁</td></tr></table>")
    assert [(b.text, b.loc.row, b.loc.col) for b in layout.blocks] == [("甲", 1, 1), ("乙", 1, 2), ("丙", 3, 1),
                                                                       ("丁", 3, 2)]


def test_deep_nesting_does_not_crash():
    layout = _layout("<p>一、总体情况</p>" + "<div>" * 100000 + "深处" + "</div>" * 100000 + "<p>正文</p>")
    assert layout.blocks[0].text == "一、总体情况"


@pytest.mark.parametrize("data, says", [
    (b"<html><body></body></html>", "没有可读的正文"),
    (b"<html><head><script>location.href='/a.html'</script></head><body> </body></html>", "没有可读的正文"),
    (b"<?xml version='1.0'?><w:document><w:body><w:p><w:t>x</w:t></w:p></w:body></w:document>", "不是网页"),
    (b"<html>" + bytes(range(256)) * 40, "编码无法识别"),
    (b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00\x00\xd8", "UTF-16"),
])
def test_unreadable_pages_end_in_a_chinese_message(data, says):
    with pytest.raises(UnreadableInput, match=says):
        read_bytes(data, "bad.html")


@given(st.binary(max_size=3000))
def test_arbitrary_bytes_after_an_html_tag_never_crash(junk):
    try:
        read = read_bytes(b"<html><body>" + junk, "junk.html")
    except UnreadableInput as err:
        assert str(err)
    else:
        extract(read.layout)


_TAGS = ["table", "tr", "td", "th", "tbody", "caption", "p", "br", "div", "span", "pre", "script", "style", "li", "h1",
         "nav", "footer"]
_ATTRS = ["", ' rowspan="0"', ' colspan="-3"', ' rowspan="99999999999"', ' colspan="1e9"', ' style="display:none"',
          " hidden", ' class="nav"', ' height="0"', ' rowspan="2" colspan="2"']
_TEXTS = ["一、总体情况", "二、主动公开政府信息情况", "第二十条第（一）项", "行政复议", "商业", "12", "发布日期：2024-13-45",
          "&nbsp;", "\n", "<!--", "-->", "<![if !supportLists]>"]


@given(st.lists(st.one_of(st.builds("<{}{}>".format, st.sampled_from(_TAGS), st.sampled_from(_ATTRS)),
                          st.builds("</{}>".format, st.sampled_from(_TAGS)), st.sampled_from(_TEXTS)), max_size=80))
def test_malformed_markup_never_crashes_the_reader_or_the_extractor(pieces):
    try:
        read = read_bytes(("<html><body>" + "".join(pieces)).encode("utf-8"), "broken.html")
    except UnreadableInput as err:
        assert str(err)
    else:
        extract(read.layout)
        for b in read.layout.blocks:
            assert b.text == b.text.strip() and "\n" not in b.text
            if b.kind == "cell" and b.loc.row:
                assert b.loc.table >= 1 and b.loc.row >= 1 and b.loc.col >= 1


# -- the command ---------------------------------------------------------------------------------

def test_check_of_the_page_gives_the_score_of_the_text_seed(seed_doc, tmp_path):
    page = tmp_path / "南通市2023年报.html"
    page.write_bytes(to_html(seed_doc, encoding="gbk"))
    runner = CliRunner()
    as_text = runner.invoke(main, ["check", str(SEED), "--format", "json"])
    as_page = runner.invoke(main, ["check", str(page), "--format", "json"])
    assert as_page.exit_code == as_text.exit_code == 0
    text_out, page_out = json.loads(as_text.stdout), json.loads(as_page.stdout)
    assert page_out["score"] == text_out["score"]
    assert page_out["score"]["grade"] == "优秀"
    assert [f["code"] for f in page_out["findings"]] == [f["code"] for f in text_out["findings"]]
    score_line = lambda out: next(line for line in out.splitlines() if line.startswith("得分："))
    shown = runner.invoke(main, ["check", str(page)])
    assert shown.exit_code == 0
    assert score_line(shown.stdout) == score_line(runner.invoke(main, ["check", str(SEED)]).stdout)
    assert "等级：优秀" in score_line(shown.stdout)


def test_extract_of_a_page_saved_with_a_wrong_extension_gives_the_seed_cells(seed_doc, tmp_path):
    page = tmp_path / "report.txt"     # recognised by content, not by name
    page.write_bytes(to_html(seed_doc, encoding="utf-8"))
    runner = CliRunner()
    strip = lambda cells: [{k: v for k, v in c.items() if k != "source"} for c in cells]
    got = runner.invoke(main, ["extract", str(page), "--format", "json"])
    want = runner.invoke(main, ["extract", str(SEED), "--format", "json"])
    assert got.exit_code == 0
    assert strip(json.loads(got.stdout)) == strip(json.loads(want.stdout))
