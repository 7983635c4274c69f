"""A writer that lays a report document out as a government web page, for testing the HTML reader.

The page looks like the ones evaluators download: a site header with navigation, a breadcrumb, a
metadata box (索引号, 发布机构, 发布日期 …), the report in a `TRS_Editor` content block with prose
wrapped over source lines the way Word's export wraps it, the three statistics tables with the
national format's real merged cells (labels broken by `<br>` or `<p>` inside cells), share and print
links, a hidden paragraph, a script, related links and a footer. None of the chrome may reach the
extracted document.

Labels the document records as departing from the format (`deviations` of kind `label` or
`synonym`, e.g. the seed's `合计` for `总计` in table 四) are written as the report wrote them; other
kinds of deviation (changed column order, extra rows or columns) are not laid out.

    from gongkai.testing import reports
    from gongkai.testing.html import to_html
    page = to_html(doc, encoding="gbk")     # declared as gb2312, as many sites do
"""

from __future__ import annotations

from html import escape
from typing import Any

from .. import nationalformat as nf
from . import _raw

# Header text of the format's tables that the schema does not carry as a row or column title.
T2_CONTENT = "信息内容"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"

_WRAP = 56            # characters per source line of wrapped prose
_GB_DECLARED = {"gbk": "gb2312", "cp936": "gb2312"}
_SITE = "某某市人民政府门户网站"


def to_html(doc: dict[str, Any], encoding: str = "utf-8", chrome: bool = True, declare: str | None = None) -> bytes:
    """The document as a web page in `encoding`, declared as `declare` (by default the encoding's
    usual name; gbk is declared as gb2312). Characters the encoding lacks become character references."""
    declared = declare or _GB_DECLARED.get(encoding.lower(), encoding)
    meta = doc.get("meta", {})
    title = meta.get("title")
    body = meta.get("issuing_body")
    date = meta.get("publication_date")
    head = [f'<meta charset="{declared}">' if declared.lower().startswith("utf") else
            f'<meta http-equiv="Content-Type" content="text/html; charset={declared}" />',
            f"<title>{escape(title or '')}_{escape(body or _SITE)}</title>",
            f'<meta name="PubDate" content="{date} 09:30">' if date else ""]
    if chrome:
        head += ['<meta name="SiteName" content="政府信息公开">',
                 "<style>.hidden { display: none } .zoom p { text-indent: 2em }</style>",
                 '<script type="text/javascript">var crumbs = "一、总体情况 < 首页"; function printPage() {}</script>']
    report = _report(doc)
    if chrome:
        page_body = _chrome_page(report, title, body, date)
    else:
        page_body = ([f"<h1>{escape(title)}</h1>"] if title else []) + report
    page = ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
            "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\r\n"
            "<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n" + "\r\n".join(h for h in head if h)
            + "\r\n</head>\r\n<body>\r\n" + "\r\n".join(page_body) + "\r\n</body>\r\n</html>\r\n")
    return page.encode(encoding, "xmlcharrefreplace")


def _chrome_page(report: list[str], title: str | None, body: str | None, date: str | None) -> list[str]:
    # The publisher cell stays empty when the document names no issuing body, so that none is invented.
    meta_rows = [f"<tr><td>索引号：</td><td>014000000/{date[:4] if date else '2024'}-00012</td>"
                 f"<td>发布机构：</td><td>{escape(body or '')}</td></tr>",
                 "<tr><td>主题分类：</td><td>政务公开</td><td>文号：</td><td></td></tr>"]
    if date:
        meta_rows.append(f"<tr><td>成文日期：</td><td>{date}</td><td>发布日期：</td><td>{date}</td></tr>")
    return [
        '<div class="header"><div class="logo">' + _SITE + "</div>",
        '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
        '<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>',
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        '<a href="/zwgk/ndbg/">政府信息公开年度报告</a></div>',
        '<div class="main">',
        '<table class="xxgk_table" border="0">' + "".join(meta_rows) + "</table>",
        '<div class="article">',
        f'<h1 class="title">{escape(title)}</h1>' if title else "",
        f'<div class="info">{"发布日期：" + date + "　" if date else ""}来源：{escape(body or _SITE)}　浏览次数：1024　'
        '字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>',
        '<div class="article-content"><div id="zoom" class="TRS_Editor zoom">',
        '<p class="hidden">此段为隐藏内容，不应读出。</p>',
        *report,
        '<script>document.write("<p>二、主动公开政府信息情况</p>");</script>',
        '<div class="share">【<a href="javascript:printPage()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>',
        "</div></div>",
        "</div>",
        '<div class="related"><h3>相关文章</h3><ul><li><a href="#">某某县人民政府2022年政府信息公开工作年度报告</a></li>'
        '<li><a href="#">某某区司法局2022年政府信息公开工作年度报告</a></li></ul></div>',
        "</div>",
        '<div class="footer"><p>主办单位：' + _SITE + "　承办单位：某某市大数据管理局</p>"
        "<p>网站标识码：3206000001　苏ICP备05000000号-1　苏公网安备 32060202000000号</p>"
        "<p>版权所有 © 2024 " + _SITE + "</p></div>",
    ]


def _wrap(text: str) -> str:
    """Prose escaped and broken over source lines next to Chinese characters, as Word's export does
    (a break beside a Chinese character is not a space, so the reader must join it back)."""
    pieces, start, i = [], 0, _WRAP
    while i < len(text):
        if not text[i - 1].isspace() and not text[i].isspace() and (_wide(text[i - 1]) or _wide(text[i])):
            pieces.append(text[start:i])
            start = i
            i += _WRAP
        else:
            i += 1
    pieces.append(text[start:])
    return "\r\n".join(escape(p) for p in pieces)


def _wide(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or ch >= "\U00020000"


def _report(doc: dict[str, Any]) -> list[str]:
    out = [f"<p>{_wrap(line)}</p>" for line in (doc.get("preamble") or "").split("\n") if line]
    parts = sorted(((p["position"], k, p) for k, p in doc.get("parts", {}).items()), key=lambda t: t[0])
    tables = {"proactive": "二", "applications": "三", "review_litigation": "四"}
    for position, key, part in parts:
        lines = [line for line in (part.get("text") or "").split("\n") if line]
        heading = escape(part["heading"])
        out.append("<p>&nbsp;</p>")
        if position % 2 == 0 and lines:
            # One paragraph, heading and prose separated by <br>: common in pages typed into a CMS.
            out.append(f"<p><strong>{heading}</strong><br />" + "<br />\r\n".join(_wrap(s) for s in lines) + "</p>")
        else:
            out.append(f'<p style="text-indent:2em"><strong><span style="font-family:黑体">{heading}</span></strong></p>')
            out += [f'<p style="text-indent:2em"><span style="font-family:仿宋_GB2312">{_wrap(s)}</span></p>'
                    for s in lines]
        table = tables.get(key)
        if table and nf.table_key(table) in doc.get("tables", {}):
            out.append('<table border="1" cellspacing="0" cellpadding="0" align="center" width="600">')
            out += {"二": _t2, "三": _t3, "四": _t4}[table](doc)
            out.append("</table>")
    return out


def _td(text: str, rowspan: int = 1, colspan: int = 1, raw_html: bool = False) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{text if raw_html else escape(text)}</td>"


def _broken(label: str, paragraphs: bool = False) -> str:
    """A label broken in the middle over two lines of its cell, by <br> or by Word's <p> pairs."""
    if len(label) < 4:
        return escape(label)
    half = len(label) // 2
    a, b = escape(label[:half]), escape(label[half:])
    if paragraphs:
        return f'<p align="center"><span>{a}</span></p><p align="center"><span>{b}<o:p></o:p></span></p>'
    return f"{a}<br />{b}"


def _value(doc: dict[str, Any], spec: nf.CellSpec, colspan: int = 1) -> str:
    raw = _raw(doc, spec)
    return _td("" if raw is None else raw, colspan=colspan)


def _renamed(doc: dict[str, Any], table: str) -> dict[str, str]:
    """The format's labels of `table` that the report wrote otherwise (`deviations` of kind label or
    synonym, e.g. the seed's `合计` for `总计`): {format's label: report's label}."""
    return {d["expected"]: d["found"] for d in doc.get("deviations", [])
            if d.get("table") == table and d.get("kind") in ("label", "synonym")}


def _t2(doc: dict[str, Any]) -> list[str]:
    rn = _renamed(doc, "二")
    rows: list[str] = []
    width = max(len(r.cells) for r in nf.table_rows("二")) + 1
    group = None
    for row in nf.table_rows("二"):
        span = width - len(row.cells)    # a block with fewer columns lets its last one run to the edge
        if row.group != group:
            group = row.group
            rows.append("<tr>" + _td(rn.get(group, group), colspan=width) + "</tr>")
            header = [_td(rn.get(c.column, c.column), colspan=span if i == len(row.cells) - 1 else 1) for i, c in enumerate(row.cells)]
            rows.append("<tr>" + _td(rn.get(T2_CONTENT, T2_CONTENT)) + "".join(header) + "</tr>")
        values = [_value(doc, c, colspan=span if i == len(row.cells) - 1 else 1) for i, c in enumerate(row.cells)]
        rows.append("<tr>" + _td(rn.get(row.title, row.title)) + "".join(values) + "</tr>")
    return rows


def _t3(doc: dict[str, Any]) -> list[str]:
    rn = _renamed(doc, "三")
    rows = nf.table_rows("三")
    columns = nf.schema()["$defs"]["t3_row"]["properties"]
    tkey = nf.table_key("三")
    # The results block is the one group of rows whose own label the row labels leave out.
    block, results_node = next((k, v) for k, v in nf.schema()["properties"]["tables"]["properties"][tkey]["properties"]
                               .items() if v.get("x-omit-from-label"))
    results = [r for r in rows if r.pointer.startswith(f"/tables/{tkey}/{block}/")]
    head2, head3, seen = [], [], set()
    for col in columns.values():
        group = col.get("x-group")
        if group is None:
            head2.append(_td(rn.get(col["title"], col["title"]), rowspan=2))
        else:
            if group not in seen:
                seen.add(group)
                head2.append(_td(rn.get(group, group), colspan=sum(1 for c in columns.values() if c.get("x-group") == group)))
            head3.append(_td(_broken(rn.get(col["title"], col["title"])), raw_html=True))
    out = ["<tr>" + _td(rn.get(T3_NOTE, T3_NOTE), rowspan=3, colspan=3)
           + _td(rn.get(T3_APPLICANTS, T3_APPLICANTS), colspan=len(columns)) + "</tr>",
           "<tr>" + "".join(head2) + "</tr>", "<tr>" + "".join(head3) + "</tr>"]
    # The results block's label stands vertically, one character per line, as in the format.
    vertical = "<br />".join(escape(ch) for ch in rn.get(results_node["title"], results_node["title"]))
    for row in rows:
        cells = []
        if row in results:
            if row is results[0]:
                cells.append(_td(vertical, rowspan=len(results), raw_html=True))
            if row.group is None:
                cells.append(_td(rn.get(row.title, row.title), colspan=2))
            else:
                members = [r for r in results if r.group == row.group]
                if row is members[0]:
                    cells.append(_td(_broken(rn.get(row.group, row.group)), rowspan=len(members), raw_html=True))
                cells.append(_td(rn.get(row.title, row.title)))
        else:
            cells.append(_td(rn.get(row.title, row.title), colspan=3))
        cells += [_value(doc, c) for c in row.cells]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out


def _t4(doc: dict[str, Any]) -> list[str]:
    rn = _renamed(doc, "四")
    review, *litigation = nf.table_rows("四")
    width = sum(len(r.cells) for r in litigation)
    top = [_td(rn.get(review.title, review.title), colspan=len(review.cells)),
           _td(rn.get(litigation[0].group, litigation[0].group), colspan=width)]
    middle = [_td(_broken(rn.get(c.column, c.column), paragraphs=True), rowspan=2, raw_html=True)
              for c in review.cells]
    middle += [_td(rn.get(r.title, r.title), colspan=len(r.cells)) for r in litigation]
    bottom = [_td(_broken(rn.get(c.column, c.column)), raw_html=True) for r in litigation for c in r.cells]
    values = [_value(doc, c) for r in nf.table_rows("四") for c in r.cells]
    return ["<tr>" + "".join(cells) + "</tr>" for cells in (top, middle, bottom, values)]
