"""The service's own pages: the upload form, the error page, and the bar on top of the result.

Every page is built as an lxml element tree and serialised by lxml, as the HTML report is, so a
file name or a message that quotes the report is escaped by construction. The pages use no script
and fetch nothing; the result page's downloads are data: links, so the server keeps nothing once
the page is sent.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from lxml import html as lxml_html
from lxml.html.builder import E

from .. import __version__

FONTS = ('"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei",'
         'system-ui,sans-serif')

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f6f8;color:#1d232a;line-height:1.65;font-size:15px;font-family:%s}
header{background:#17324d;color:#fff;padding:20px max(38px,calc((100%% - 860px)/2 + 38px)) 16px}
header h1{margin:.2em 0 .2em;font-size:1.4rem}
header p{margin:0;opacity:.8;font-size:.9rem}
main{max-width:860px;margin:20px auto;padding:0 16px}
section{background:#fff;border:1px solid #d9dee3;border-radius:8px;padding:18px 22px;margin-bottom:18px}
h2{font-size:1.1rem;margin:0 0 .6em}
label{display:block;font-weight:600;margin:14px 0 4px}
.hint{color:#5d6670;font-size:.88rem;margin:2px 0 0}
textarea{width:100%%;min-height:9em;font:inherit;font-size:.9rem;padding:8px;border:1px solid #b9c1c9;border-radius:6px}
input[type=file]{font:inherit}
.or{margin:14px 0 0;color:#5d6670}
details{margin-top:14px}summary{cursor:pointer;font-weight:600}
button{margin-top:18px;font:inherit;font-weight:600;background:#1f5fa8;color:#fff;border:0;border-radius:6px;
padding:9px 26px;cursor:pointer}
button:hover{background:#17497f}
code{background:#eef1f4;padding:1px 5px;border-radius:4px;font-size:.88em}
ul{padding-left:1.3em;margin:.3em 0}
.notice{border-left:4px solid #8a5a00;background:#fff1d0}
.error{border-left:4px solid #b3261e;background:#fde8e6}
.error .msg{white-space:pre-wrap;word-break:break-word}
footer{text-align:center;color:#5d6670;font-size:.85rem;margin:10px 0 30px}
""" % FONTS

# What the service's own pages may do: our inline styles, forms posted back here, nothing fetched.
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")


def csp_for_report(page: str) -> str:
    """The result page may also run the report's own inline scripts, by their hashes and nothing else.

    Should a string from the report ever reach the page unescaped, a script it carried would not run."""
    doc = lxml_html.document_fromstring(page)
    hashes = sorted({"'sha256-%s'" % base64.b64encode(hashlib.sha256((s.text or "").encode()).digest()).decode()
                     for s in doc.iter("script") if not s.get("src")})
    scripts = " ".join(hashes) if hashes else "'none'"
    return f"{PAGE_CSP}; script-src {scripts}"


def _page(title: str, *body: Any) -> str:
    page = E.html(
        E.head(E.meta(charset="utf-8"), E.meta(name="viewport", content="width=device-width, initial-scale=1"),
               E.meta(name="referrer", content="no-referrer"), E.title(title), E.style(CSS)),
        E.body(*body, E.footer(f"gongkai {__version__} · 依据国办公开办函〔2021〕30号格式")),
        lang="zh-CN")
    return lxml_html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode", method="html") + "\n"


def _header(subtitle: str):
    return E.header(E.h1("政府信息公开工作年度报告自查"), E.p(subtitle))


def upload_page(max_upload_mb: int, timeout: float, storing: bool) -> str:
    privacy = (E.section(E.h2("存档提示"),
                         E.p("本服务的管理员开启了存档：你上传的报告和检查结果会保存在服务器上。"
                             "如不希望保存，请勿在此上传。"), **{"class": "notice"})
               if storing else
               E.p("上传的报告只在本次检查中使用，检查完成后即丢弃，服务器不保存。", **{"class": "hint"}))
    form = E.form(
        E.h2("检查一份年度报告"),
        E.label("报告文件", **{"for": "file"}),
        E.input(type="file", id="file", name="file",
                accept=".html,.htm,.docx,.pdf,.txt,.json,text/html,text/plain,application/pdf,application/json"),
        E.p("网页（HTML）、Word（.docx）、PDF、纯文本（.txt）或年报文档（JSON）。", **{"class": "hint"}),
        E.p("或者", **{"class": "or"}),
        E.label("粘贴报告全文", **{"for": "text"}),
        E.textarea("", id="text", name="text", placeholder="从网站或文档中复制整篇报告（六个部分和三张统计表），粘贴到这里。"),
        E.details(
            E.summary("更多选项"),
            E.label("上一年度的报告（可选）", **{"for": "prior"}),
            E.input(type="file", id="prior", name="prior", accept=".html,.htm,.docx,.pdf,.txt,.json"),
            E.p("同一机关上一年度的报告，用于核对跨年度的数字（例如上年结转的申请数）。", **{"class": "hint"}),
            E.label("评分方案（可选）", **{"for": "profile"}),
            E.input(type="file", id="profile", name="profile", accept=".yaml,.yml"),
            E.p("YAML 格式的评分方案，只需写出要改的部分；不选则使用内置的默认方案。", **{"class": "hint"})),
        E.button("开始检查", type="submit", id="submit"),
        E.p(f"每次提交合计不超过 {max_upload_mb} MB；一次检查最长 {timeout:g} 秒。", **{"class": "hint"}),
        privacy,
        method="post", action="/check", enctype="multipart/form-data", id="upload")
    api = E.section(
        E.h2("接口（供网站内容管理系统调用）"),
        E.ul(
            E.li(E.code("POST /api/check"), "：以 multipart/form-data 上传报告（字段 file 或 text，可选 prior、profile），"
                 "或以 JSON 请求体提交年报文档，返回检查结果文档（JSON）；加 ", E.code("?format=csv"), " 返回表格行，",
                 E.code("?format=html"), " 返回带标注的报告页面。"),
            E.li(E.code("GET /api/rules"), "：所有检查规则。"),
            E.li(E.code("GET /api/schema"), "：年报文档的 JSON Schema；", E.code("?name=findings"), " 为检查结果的 Schema。"),
            E.li(E.a("/openapi.json", href="/openapi.json"), "：接口说明（OpenAPI）。"),
        ),
        E.p("出错时返回 JSON：", E.code('{"error": {"code": "…", "message": "…"}}'), "，message 为中文说明。",
            **{"class": "hint"}))
    return _page("年度报告自查", _header("按国办公开办函〔2021〕30号格式检查，给出得分、等级和每个问题的位置。"),
                 E.main(E.section(form), api))


def error_page(status: int, message: str) -> str:
    return _page(f"无法完成检查（{status}）", _header("无法完成检查"),
                 E.main(E.section(E.h2(f"出错了（{status}）"), E.p(message, **{"class": "msg"}),
                                  E.p(E.a("返回，重新上传", href="/")), **{"class": "error"})))


def _data_url(text: str, mime: str) -> str:
    return f"data:{mime};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def download_names(filename: str) -> tuple[str, str]:
    stem = filename.rsplit(".", 1)[0] if "." in filename.strip(".") else filename
    return f"{stem}.检查结果.json", f"{stem}.表格行.csv"


def result_page(report_page: str, findings_json: str, row_csv: str, filename: str) -> str:
    """The annotated report with a bar on top: download the findings and the row, or check another."""
    json_name, csv_name = download_names(filename)
    link = ("display:inline-block;margin:0 10px 0 0;padding:5px 14px;border-radius:6px;background:#fff;"
            "color:#17324d;font-weight:600;text-decoration:none")
    bar = E.div(
        E.a("下载检查结果（JSON）", href=_data_url(findings_json, "application/json"), download=json_name,
            id="download-json", style=link),
        E.a("下载表格行（CSV）", href=_data_url(row_csv, "text/csv"), download=csv_name, id="download-csv", style=link),
        E.a("检查另一份报告", href="/", id="again", style=link.replace("background:#fff", "background:#cfe0f1")),
        # Not sticky: the report's own table of contents sticks to the top of the window.
        E.style("@media print{#gongkai-serve-bar{display:none}}"),
        id="gongkai-serve-bar", role="toolbar", **{"aria-label": "下载与操作"},
        style=("background:#0f2438;padding:10px max(16px,calc((100% - 1080px)/2));"
               "font-family:" + FONTS.replace('"', "'")))
    doc = lxml_html.document_fromstring(report_page)
    doc.find("body").insert(0, bar)
    return lxml_html.tostring(doc, doctype="<!DOCTYPE html>", encoding="unicode", method="html") + "\n"
