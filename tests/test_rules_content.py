"""The textual and structural requirements (rules/content.py, rules/text.py, rules/bodies.py):
the edges each rule turns on, the seed, and what every corpus excerpt gets."""

import pytest
from hypothesis import given, settings, strategies as st

from conftest import CORPUS, SEED, report_from_text
from gongkai.api import Context
from gongkai.checking import run_rules
from gongkai.document import Report
from gongkai.pipeline import extract_path
from gongkai.plugins import load
from gongkai.testing import REMOVE, apply_patch, seed_document
from gongkai_rules.bodies import (COUNTY, DEPARTMENT, GOVERNMENT, OFFICE, PROVINCE, SUBDISTRICT, TOWNSHIP, ZONE, CITY,
                                  classify, issuer)
from gongkai_rules.content import PLACEHOLDER_NEEDS, PLACEHOLDERS, REG

RULES = {r.code: r for r in load().rules}
MINE = ("GK-S-010", "GK-S-011", "GK-S-012", "GK-C-001", "GK-C-002", "GK-C-010", "GK-C-011", "GK-C-012", "GK-C-013",
        "GK-C-014", "GK-C-015", "GK-C-016", "GK-C-017", "GK-C-018")
GOV = {"/meta/issuing_body": "南通市人民政府", "/meta/title": "南通市人民政府2023年政府信息公开工作年度报告"}
TOWNSHIP_GOV = {"/meta/issuing_body": "桃江县松木塘镇人民政府",
                "/meta/title": "桃江县松木塘镇人民政府2023年政府信息公开工作年度报告"}


def check(code, patch=None, options=None, report=None):
    report = report or Report(apply_patch(seed_document(), patch or {}))
    return run_rules(report, [RULES[code]], Context(options=options or {}))[0]


def messages(run):
    return [f["message"] for f in run.findings]


def seed_with(pointer, old, new):
    """The seed with one piece of text replaced (the text must be there)."""
    doc = seed_document()
    node = doc
    parts = pointer.strip("/").split("/")
    for p in parts[:-1]:
        node = node[p]
    assert old in node[parts[-1]]
    node[parts[-1]] = node[parts[-1]].replace(old, new)
    return Report(doc)


# -- the seed ---------------------------------------------------------------------------------

def test_all_rules_are_registered():
    assert set(MINE) <= set(RULES)


@pytest.mark.parametrize("source", ["json", "text"])
def test_the_seed_gets_no_finding_from_these_rules(source):
    report = Report(seed_document()) if source == "json" else report_from_text(SEED.read_text(encoding="utf-8"))
    runs = run_rules(report, [RULES[c] for c in MINE])
    assert {r.rule.code: messages(r) for r in runs if r.findings} == {}
    status = {r.rule.code: r.status for r in runs}
    # No publication date in the seed. 规章 are reported by the office of 南通市, a prefecture-level city.
    assert {c for c, s in status.items() if s == "not_assessed"} == {"GK-C-017"}
    assert status["GK-C-018"] == "passed"
    notes = {r.rule.code: " ".join(n["note"] for n in r.notes) for r in runs}
    assert "未提供电子邮箱" in notes["GK-C-010"] and "www.nantong.gov.cn" in notes["GK-C-010"]
    assert "不适用" in notes["GK-C-014"]


# -- GK-S-010 part 一's five aspects ------------------------------------------------------------

OVERVIEW = "/parts/overview/text"


def test_overview_names_only_the_missing_aspects():
    r = check("GK-S-010", {OVERVIEW: "（一）主动公开。全年主动公开信息120条。\n（二）依申请公开。全年未收到申请。\n"
                                     "（三）平台建设。维护政府网站。"})
    assert r.findings[0]["evidence"]["missing"] == ["政府信息管理", "监督保障"]
    assert r.findings[0]["severity"] == "warning"


def test_overview_listing_the_six_parts_does_not_count_as_covering_them():
    text = ("本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
            "存在的主要问题及改进情况以及其他需要报告的事项组成。")
    r = check("GK-S-010", {OVERVIEW: text})
    assert r.findings[0]["evidence"]["missing"] == ["主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障"]


def test_overview_accepts_usual_wordings():
    text = ("全年在门户网站发布政务信息260条；依法办理政府信息公开申请3件；严格落实保密审查；"
            "依托政务新媒体发布信息；开展业务培训，纳入年度考核。")
    assert check("GK-S-010", {OVERVIEW: text}).status == "passed"


def test_overview_of_a_truncated_report_is_not_judged():
    patch = {OVERVIEW: "2023年，本办依法主动公开政府信息。"}
    patch.update({f"/parts/{k}": REMOVE for k in ("proactive", "applications", "review_litigation", "problems",
                                                  "other_matters")})
    r = check("GK-S-010", patch)
    assert r.status == "not_assessed" and not r.findings


# -- GK-S-011 headings as written -------------------------------------------------------------

@pytest.mark.parametrize("heading", ["五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况",
                                     "五. 存在的主要问题及改进情况：", "五、存在的主要問題及改進情況"])
def test_heading_canonical_variant_width_and_traditional_pass(heading):
    assert check("GK-S-011", {"/parts/problems/heading": heading}).status == "passed"


def test_heading_one_word_off_is_info_other_wordings_warn():
    r = check("GK-S-011", {"/parts/proactive/heading": "二、主动公开政府信息的情况"})
    assert [f["severity"] for f in r.findings] == ["info"]
    r = check("GK-S-011", {"/parts/problems/heading": "五、问题和下一步打算"})
    assert [f["severity"] for f in r.findings] == ["warning"]
    assert r.findings[0]["location"]["pointer"] == "/parts/problems/heading"


# -- GK-S-012 title -----------------------------------------------------------------------------

TITLE = "/meta/title"


def test_title_wordings():
    assert [f["severity"] for f in check("GK-S-012", {TITLE: "南通市人民政府办公室2023年度政府信息公开工作报告"}).findings] == ["warning"]
    assert [f["severity"] for f in check("GK-S-012", {TITLE: "南通市人民政府办公室2023年度政府信息公开年度报告"}).findings] == ["info"]
    r = check("GK-S-012", {TITLE: "南通市人民政府办公室政府信息公开工作年度报告"})
    assert len(r.findings) == 1 and "年份" in r.findings[0]["message"]


def test_title_without_body_is_a_finding_unless_the_body_stands_on_the_line_above():
    r = check("GK-S-012", {TITLE: "2023年政府信息公开工作年度报告", "/meta/issuing_body": None, "/preamble": ""})
    assert len(r.findings) == 1 and "发布机关" in r.findings[0]["message"]
    r = check("GK-S-012", {TITLE: "2023年政府信息公开工作年度报告", "/meta/issuing_body": None,
                           "/preamble": "五常市民意乡\n2023年政府信息公开工作年度报告"})
    assert r.status == "passed"


def test_title_page_furniture_gives_way_to_the_real_title():
    r = check("GK-S-012", {TITLE: "政府信息公开年报",
                           "/preamble": "葫芦岛高新技术产业开发区2024年政府信息公开工作年度报告\n来源: 高新区办公室"})
    assert r.status == "passed"
    assert check("GK-S-012", {TITLE: None, "/preamble": ""}).status == "not_assessed"


# -- GK-C-001 fee statement -----------------------------------------------------------------------

FEES = "/parts/other_matters/text"


def test_fee_collected_more_than_notified_is_an_error_in_any_unit():
    r = check("GK-C-001", {FEES: "共发出信息处理费收费通知2件，金额0.06万元，实际收取800元。"})
    assert [f["severity"] for f in r.findings] == ["error"]
    assert r.findings[0]["evidence"]["difference"] == 200
    assert check("GK-C-001", {FEES: "共发出信息处理费收费通知2件，金额0.06万元，实际收取600元。"}).status == "passed"
    assert check("GK-C-001", {FEES: "发出信息处理费收费通知3件，应收取900元，实际收取300元。"}).status == "passed"


def test_fee_figures_come_only_from_the_fee_statement():
    # The next sentence goes on with what was collected; a sentence on another fee is not read.
    r = check("GK-C-001", {FEES: "共发出信息处理费收费通知2件，金额600元。实际收取费用800元。"})
    assert [f["severity"] for f in r.findings] == ["error"]
    text = "共发出信息处理费收费通知2件，金额600元，实际收取600元。全年收取行政事业性收费26.55万元。"
    assert check("GK-C-001", {FEES: text}).status == "passed"


def test_fee_notices_without_what_was_collected():
    r = check("GK-C-001", {FEES: "本年度共发出信息处理费收费通知2件，金额600元。"})
    assert [f["evidence"]["notices"] for f in r.findings] == [2]
    assert check("GK-C-001", {FEES: "本年度共发出信息处理费收费通知2件，金额600元，申请人均已缴纳。"}).status == "passed"


# -- GK-C-002 contact details ---------------------------------------------------------------------

CONTACT = "如对年报有疑问，请联系政务公开处（电话：{phone}，地址：南通市崇川区世纪大道6号，邮编：226018）。"


@pytest.mark.parametrize("phone", ["0513-85099125", "0579---87668880", "（0513）85099125", "12345"])
def test_phone_forms_accepted(phone):
    assert check("GK-C-002", {FEES: CONTACT.format(phone=phone)}).status == "passed"


def test_phone_without_area_code():
    r = check("GK-C-002", {FEES: CONTACT.format(phone="85099125")})
    assert [f["evidence"] for f in r.findings] == [{"phone": "85099125"}]


def test_contact_details_of_a_truncated_report_are_not_judged():
    r = check("GK-C-002", {"/parts/problems": REMOVE, "/parts/other_matters": REMOVE})
    assert r.status == "not_assessed" and not r.findings


# -- GK-C-010 e-mail and website ------------------------------------------------------------------

def test_email_domain_is_not_a_website():
    r = check("GK-C-010", {FEES: "如有疑问请发邮件至zwgk@nantong.gov.cn。"})
    assert r.status == "passed" and any(n["note"] == "未提供网址（可选）" for n in r.notes)
    r = check("GK-C-010", {FEES: "如有疑问请致电0513-85099125。"})
    assert [f["severity"] for f in r.findings] == ["info"]


# -- GK-C-011 statistical period ------------------------------------------------------------------

PRE = "/preamble"


@pytest.mark.parametrize("sentence", ["本报告所列数据的统计期限为2023年1月1日至12月31日。",
                                      "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
                                      "数据统计时限：2023年1月1日—2023年12月31日。",
                                      "本报告统计期限为2023年度。"])
def test_period_wordings(sentence):
    r = check("GK-C-011", {PRE: sentence})
    assert r.status == "passed", messages(r)


def test_period_of_another_year_or_not_a_whole_year():
    r = check("GK-C-011", {PRE: "本报告所列数据的统计期限为2022年1月1日至2022年12月31日。"})
    assert r.findings[0]["evidence"]["period_year"] == 2022 and r.findings[0]["location"]["span"]
    r = check("GK-C-011", {PRE: "本报告所列数据的统计期限为2023年1月1日至2023年11月30日。"})
    assert "不是一个完整的自然年度" in r.findings[0]["message"]


def test_period_as_an_end_date_and_only_the_first_statement_counts():
    assert check("GK-C-011", {PRE: "本报告中所列数据统计时间截至2023年12月31日。"}).status == "passed"
    assert len(check("GK-C-011", {PRE: "本报告中所列数据统计时间截至2022年12月31日。"}).findings) == 1
    pre = ("本报告所列数据的统计期限为2023年1月1日至2023年12月31日。"
           "上年度报告的统计期限为2022年1月1日至2022年12月31日，数据口径一致。")
    assert check("GK-C-011", {PRE: pre}).status == "passed"


def test_period_absent():
    assert len(check("GK-C-011", {PRE: "现发布本报告。"}).findings) == 1
    r = check("GK-C-011", {PRE: "现发布本报告。", "/parts/other_matters": REMOVE})
    assert r.status == "not_assessed"


# -- GK-C-012 report year -------------------------------------------------------------------------

def test_year_in_the_opening_sentence():
    r = check("GK-C-012", {OVERVIEW: "2022年，本办认真贯彻落实《条例》。"})
    assert [f["evidence"]["stated"] for f in r.findings] == [2022]
    assert check("GK-C-012", {OVERVIEW: "2022年以来，本办认真贯彻落实《条例》。"}).status == "passed"


def test_year_of_a_notice_or_of_last_years_report_is_not_the_reports_year():
    pre = ("按照《关于做好2022年度政府信息公开工作年度报告编制工作的通知》要求，现发布《南通市人民政府办公室2023年政府信息公开工作年度报告》。"
           "报告所列数据的统计期限从2023年1月1日起到2023年12月31日止。")
    assert check("GK-C-012", {PRE: pre}).status == "passed"
    r = check("GK-C-012", {PRE: "现将本办2022年度政府信息公开工作情况报告如下："})
    assert len(r.findings) == 1 and r.findings[0]["location"]["pointer"] == "/preamble"


# -- GK-C-013 citation of the format --------------------------------------------------------------

def cite(docno, year=2023):
    return {PRE: f"根据《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（{docno}）要求，现发布本报告。",
            "/meta/report_year": year}


@pytest.mark.parametrize("docno, severity", [
    ("国办公开办函〔2021〕30号", None), ("国办公开办函〔2021〕30 号", None),
    ("国办发〔2021〕30号", "error"), ("国办函〔2021〕30号", "error"), ("国办公开办函〔2020〕30号", "error"),
    ("国办公开办函[2021]30号", "warning"), ("国办公开办函(2021)30号", "warning"), ("国办公开办函【2021】30号", "warning"),
])
def test_citation_forms(docno, severity):
    r = check("GK-C-013", cite(docno))
    assert [f["severity"] for f in r.findings] == ([severity] if severity else [])


def test_outdated_2019_citation():
    assert [f["severity"] for f in check("GK-C-013", cite("国办公开办函〔2019〕60号")).findings] == ["error"]
    assert check("GK-C-013", cite("国办公开办函〔2019〕60号", year=2020)).status == "passed"
    both = cite("国办公开办函〔2019〕60号")
    both[PRE] += "并按照国办公开办函〔2021〕30号格式编制。"
    assert check("GK-C-013", both).status == "passed"
    unknown = {**cite("国办公开办函〔2019〕60号", year=None), "/meta/template_version": "unknown"}
    assert check("GK-C-013", unknown).status == "not_assessed"


def test_local_document_numbers_are_not_the_format():
    r = check("GK-C-013", {PRE: "根据《江苏省政务公开工作要点》（苏政办发〔2021〕30号）要求，现发布本报告。"})
    assert r.status == "passed" and not r.findings


def test_other_state_council_office_numbers_are_not_the_format():
    r = check("GK-C-013", {OVERVIEW: "按照国办公开办函〔2016〕201号的规定统计行政诉讼案件。"})
    assert r.status == "passed" and r.notes[0]["note"] == "格式文号引用正确：国办公开办函〔2021〕30号"


def test_a_state_council_number_cited_for_something_else_is_not_judged():
    r = check("GK-C-013", {OVERVIEW: "落实国办发〔2021〕30号文件精神，推进助企纾困政策公开。"})
    assert r.status == "passed" and not r.findings
    r = check("GK-C-013", {OVERVIEW: "本年度报告按照国办发〔2021〕30号文件要求编制。"})
    assert [f["severity"] for f in r.findings] == ["error"]


def test_format_number_without_issuer():
    r = check("GK-C-013", {PRE: "根据《中华人民共和国政府信息公开工作年度报告格式》（〔2021〕30号）编制本报告。"})
    assert [f["severity"] for f in r.findings] == ["warning"] and "发文机关代字" in r.findings[0]["message"]


# -- GK-C-014 art. 50(4) ---------------------------------------------------------------------------

def test_art50_applies_to_the_government_not_to_its_office():
    text = "（五）监督保障。将政务公开纳入绩效考核。"
    assert check("GK-C-014", {OVERVIEW: text}).status == "passed"                      # 南通市人民政府办公室
    r = check("GK-C-014", {**GOV, OVERVIEW: text})
    assert r.findings[0]["evidence"]["missing"] == ["社会评议", "责任追究"]
    assert r.findings[0]["severity"] == "error"


def test_art50_found_in_part_five_and_for_a_township():
    patch = {**TOWNSHIP_GOV, OVERVIEW: "（五）监督保障。将政务公开纳入年度考核。",
             "/parts/problems/text": "开展群众评议，满意度98%；全年未发生责任追究情况。存在问题是公开不够及时，下一步将加强培训。"}
    assert check("GK-C-014", patch).status == "passed"


def test_art50_unknown_body_or_missing_part_is_not_judged():
    assert check("GK-C-014", {"/meta/issuing_body": None, TITLE: None}).status == "not_assessed"
    r = check("GK-C-014", {**GOV, OVERVIEW: "（五）监督保障。纳入考核。", "/parts/other_matters": REMOVE})
    assert r.status == "not_assessed"


# -- GK-C-015 part 五 --------------------------------------------------------------------------------

PROBLEMS = "/parts/problems/text"


@pytest.mark.parametrize("text, lacking", [
    ("本年度未发现问题。下一步，我办将继续加强政府信息公开工作，不断完善工作机制，提升公开质量。", ["存在的问题"]),
    ("主要问题是政策解读形式单一，信息发布不够及时，工作人员业务能力有待加强，基层公开质量有待提升。", ["改进措施"]),
])
def test_part_five_needs_both_problems_and_measures(text, lacking):
    r = check("GK-C-015", {PROBLEMS: text})
    assert messages(r) == [f"第五部分没有写明{'和'.join(lacking)}。"]
    assert r.findings[0]["location"]["pointer"] == PROBLEMS


def test_part_five_too_short():
    r = check("GK-C-015", {PROBLEMS: "公开不够及时，将加强。"})
    assert "过于简略" in messages(r)[0]


def test_part_five_cut_off_is_not_judged():
    r = check("GK-C-015", {PROBLEMS: "由于人员较少，存在", "/parts/other_matters": REMOVE})
    assert r.status == "not_assessed"


# -- GK-C-016 leftover template text --------------------------------------------------------------

@pytest.mark.parametrize("text", ["XX年度本机关未收取信息处理费。", "20XX年度本机关未收取信息处理费。", "共收到申请X件。",
                                  "某某县人民政府政务公开办公室。", "文号：县政办〔〕号。", "【】",
                                  "全年公开信息（请填写条数）条。", "此处填写本年度工作亮点。", "（示例）全年公开信息100条。",
                                  "联系人：______"])
def test_placeholders_found(text):
    r = check("GK-C-016", {FEES: text})
    assert len(r.findings) == 1 and r.findings[0]["location"]["pointer"] == FEES


@pytest.mark.parametrize("text", ["网址：http://wcsxxgk.harbin.gov.cn/col/col12596/index.html", "申请人张某某不服提起诉讼。",
                                  "使用统一的信息发布模板。", "规范网站栏目模板内容。", "二〇二三年", "展板尺寸为3×4米。", "邮箱xxgk@example.gov.cn"])
def test_placeholder_look_alikes_not_found(text):
    assert check("GK-C-016", {FEES: text}).status == "passed"


@pytest.mark.parametrize("name", [name for name, _ in PLACEHOLDERS])
@given(data=st.data())
@settings(max_examples=200, deadline=None)
def test_every_placeholder_match_has_a_string_the_pattern_is_said_to_need(name, data):
    """GK-C-016 skips a pattern for a text without any of the strings PLACEHOLDER_NEEDS gives for it;
    that skip must never hide a match (a pattern changed without its entry fails here)."""
    pattern = dict(PLACEHOLDERS)[name]
    needs = PLACEHOLDER_NEEDS[name]
    text = data.draw(st.from_regex(pattern))       # text around a match of this pattern
    for m in pattern.finditer(text):
        assert any(word in m.group(0) for word in needs), (name, m.group(0))


# -- GK-C-017 publication deadline ------------------------------------------------------------------

DATE = "/meta/publication_date"


def test_deadline_by_body():
    r = check("GK-C-017", {DATE: "2024-02-06"})                       # office: a department, 1月31日
    assert r.findings[0]["evidence"]["days_late"] == 6 and r.findings[0]["severity"] == "error"
    assert check("GK-C-017", {DATE: "2024-01-31"}).status == "passed"
    assert check("GK-C-017", {**GOV, DATE: "2024-03-31"}).status == "passed"
    assert len(check("GK-C-017", {**GOV, DATE: "2024-04-01"}).findings) == 1
    assert check("GK-C-017", {"/meta/issuing_body": "武义县壶山街道办事处", DATE: "2024-03-01"}).status == "not_assessed"
    township_office = {"/meta/issuing_body": "太平镇人民政府办公室", DATE: "2024-02-10"}
    assert check("GK-C-017", township_office).status == "not_assessed"
    assert check("GK-C-017", township_office, options={"deadline_township": "02-20"}).status == "passed"


def test_deadline_options():
    patch = {**TOWNSHIP_GOV, DATE: "2024-02-21"}
    assert check("GK-C-017", patch).status == "not_assessed"
    r = check("GK-C-017", patch, options={"deadline_township": "02-20"})
    assert r.findings[0]["evidence"]["deadline"] == "2024-02-20"
    assert check("GK-C-017", patch, options={"deadline_township": "2月25日"}).status == "passed"
    assert check("GK-C-017", {DATE: "2024-01-25"}, options={"deadline_department": "01-20"}).findings
    assert check("GK-C-017", {DATE: "2024-01-25"}, options={"deadline_department": "soon"}).status == "not_assessed"
    zone = {"/meta/issuing_body": "葫芦岛高新技术产业开发区", DATE: "2025-01-23", "/meta/report_year": 2024}
    assert check("GK-C-017", zone).status == "not_assessed"
    assert check("GK-C-017", zone, options={"deadline_zone": "01-31"}).status == "passed"


def test_deadline_options_come_from_the_profile():
    from gongkai.grading import parse_profile
    profile = parse_profile({"rules": {"GK-C-017": {"deadline_township": "02-20", "severity": "warning"}}}, "test.yaml")
    report = Report(apply_patch(seed_document(), {**TOWNSHIP_GOV, DATE: "2024-02-21"}))
    [run] = run_rules(report, [RULES["GK-C-017"]], Context(), options=profile.options)
    assert run.findings[0]["evidence"]["days_late"] == 1


def test_deadline_needs_a_date_and_a_body():
    assert check("GK-C-017").status == "not_assessed"
    assert check("GK-C-017", {DATE: "2024-01-20", "/meta/issuing_body": None, TITLE: None}).status == "not_assessed"


# -- GK-C-018 规章 -----------------------------------------------------------------------------------

def regs(issued, in_force):
    return {REG["本年制发件数"]: issued, REG["本年废止件数"]: 0, REG["现行有效件数"]: in_force}


def test_rules_reported_by_county_and_township_bodies():
    assert len(check("GK-C-018", {**TOWNSHIP_GOV, **regs(0, 3)}).findings) == 1
    county_dept = {"/meta/issuing_body": "徐闻县司法局", TITLE: "徐闻县司法局2023年政府信息公开工作年度报告"}
    assert check("GK-C-018", {**county_dept, **regs(1, 1)}).findings[0]["severity"] == "warning"
    district = {"/meta/issuing_body": "武汉市汉阳区人民政府办公室", TITLE: "武汉市汉阳区人民政府办公室2023年政府信息公开工作年度报告"}
    assert len(check("GK-C-018", {**district, **regs(1, 0)}).findings) == 1


def test_rules_reported_by_bodies_that_may_have_them():
    province = {"/meta/issuing_body": "江苏省人民政府", TITLE: "江苏省人民政府2023年政府信息公开工作年度报告"}
    assert check("GK-C-018", {**province, **regs(5, 80)}).status == "passed"
    assert check("GK-C-018", {**GOV, **regs(2, 9)}).status == "passed"              # 南通市: prefecture level
    county_city = {"/meta/issuing_body": "如皋市人民政府", TITLE: "如皋市人民政府2023年政府信息公开工作年度报告"}
    assert check("GK-C-018", {**county_city, **regs(2, 9)}).status == "not_assessed"  # a 市 not on the list
    assert check("GK-C-018", {**TOWNSHIP_GOV, **regs(0, 0)}).status == "passed"
    blank = {**TOWNSHIP_GOV, REG["本年制发件数"]: None, REG["现行有效件数"]: 0}
    assert check("GK-C-018", blank).status == "not_assessed"


# -- bodies -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind, level", [
    ("南通市人民政府办公室", OFFICE, CITY), ("南通市人民政府", GOVERNMENT, CITY), ("江苏省人民政府", GOVERNMENT, PROVINCE),
    ("吉林市人民政府", GOVERNMENT, CITY), ("吉林省人民政府", GOVERNMENT, PROVINCE), ("东莞市人民政府", GOVERNMENT, CITY),
    ("如皋市人民政府", GOVERNMENT, None), ("昆山市教育局", DEPARTMENT, None), ("济源市人民政府", GOVERNMENT, None),
    ("广西壮族自治区人民政府办公厅", OFFICE, PROVINCE), ("上海市人民政府", GOVERNMENT, PROVINCE),
    ("恩施土家族苗族自治州人民政府", GOVERNMENT, CITY), ("武汉市公安局", DEPARTMENT, CITY),
    ("武汉市市场监督管理局", DEPARTMENT, CITY), ("武汉市汉阳区人民政府办公室", OFFICE, COUNTY),
    ("上海市浦东新区人民政府", GOVERNMENT, COUNTY), ("佳木斯市抚远市人民政府", GOVERNMENT, COUNTY),
    ("徐闻县司法局", DEPARTMENT, COUNTY), ("某县乡村振兴局", DEPARTMENT, COUNTY), ("某县住房和城乡建设局", DEPARTMENT, COUNTY),
    ("区统计局", DEPARTMENT, COUNTY), ("清远市教育局", DEPARTMENT, CITY), ("太平镇人民政府", GOVERNMENT, TOWNSHIP),
    ("西咸新区太平镇人民政府", GOVERNMENT, TOWNSHIP), ("桐梓县夜郎镇", GOVERNMENT, TOWNSHIP),
    ("五常市民意乡", GOVERNMENT, TOWNSHIP), ("武义县壶山街道办事处", SUBDISTRICT, TOWNSHIP),
    ("葫芦岛高新技术产业开发区", ZONE, None), ("某市高新区管委会", ZONE, None), ("某高新区经济发展局", DEPARTMENT, None),
    ("政府信息公开年报", None, None),
])
def test_classify(name, kind, level):
    body = classify(name)
    assert (body.kind, body.level) == (kind, level)


def test_classify_knows_county_or_above_where_the_level_is_open():
    assert classify("如皋市人民政府").county_or_above is True
    assert classify("太平镇人民政府").county_or_above is False
    assert classify("某高新区经济发展局").in_zone
    assert classify(None) is None and classify("  ") is None


def test_issuer_falls_back_to_the_title():
    doc = apply_patch(seed_document(), {"/meta/issuing_body": None})
    assert issuer(Report(doc)).name == "南通市人民政府办公室"
    doc = apply_patch(seed_document(), {"/meta/issuing_body": None, TITLE: "2023年政府信息公开工作年度报告"})
    assert issuer(Report(doc)) is None


# -- the corpus ---------------------------------------------------------------------------------

# What each excerpt gets from these rules, read against the text: every finding here is true of the
# excerpt; everything a truncated copy cannot show is "not assessed".
CORPUS_FINDINGS = {
    "excerpt-01.txt": {("GK-C-013", "error"), ("GK-S-010", "warning")},   # 2022 report cites 〔2019〕60号; thin 总体情况
    "excerpt-02.txt": set(),
    "excerpt-03.txt": {("GK-C-018", "warning"), ("GK-S-010", "warning")},  # a township reports 规章 2/0/2; no 平台建设
    "excerpt-04.txt": {("GK-S-010", "warning")},                          # no 依申请公开 in 总体情况
    "excerpt-05.txt": {("GK-S-012", "warning")},                          # title says 工作报告
    "excerpt-06.txt": {("GK-S-011", "info")},                             # 二、主动公开政府信息的情况
    "excerpt-07.txt": {("GK-S-010", "warning")},                          # traditional copy; 总体情况 has no 依申请公开 …
    "excerpt-08.txt": {("GK-S-010", "warning")},                          # 总体情况 only lists the six parts
    "excerpt-09.txt": set(),
    "excerpt-10.txt": set(),
    "excerpt-11.txt": {("GK-C-013", "error")},                            # 国办发〔2021〕30号
    "excerpt-12.txt": {("GK-S-010", "warning")},
    "excerpt-13.txt": {("GK-S-010", "warning")},
    "excerpt-14.txt": {("GK-S-010", "warning")},
    "excerpt-15.txt": {("GK-S-010", "warning")},
    "excerpt-16.txt": {("GK-S-010", "warning")},
    "excerpt-17.txt": {("GK-S-010", "warning")},                          # traditional copy; no 依申请公开, 信息管理, 监督保障
    "excerpt-18.txt": {("GK-S-010", "warning")},
    "excerpt-19.txt": set(),
    "excerpt-20.txt": {("GK-S-010", "warning")},
    "excerpt-21.txt": set(),
    "excerpt-22.txt": set(),
}


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
@pytest.mark.parametrize("name", sorted(CORPUS_FINDINGS))
def test_corpus_excerpt(name):
    # Through the real reader, which turns the traditional-character copies (07, 10, 17) into simplified.
    _, ex = extract_path(CORPUS / name)
    report = Report(ex.document, ex.source_map)
    runs = run_rules(report, [RULES[c] for c in MINE])
    got = {(f["code"], f["severity"]) for r in runs for f in r.findings}
    assert got == CORPUS_FINDINGS[name], {r.rule.code: messages(r) for r in runs if r.findings}
    # A truncated excerpt never gets a finding for what lies beyond its end.
    if report.part("other_matters") is None:
        for code in ("GK-C-001", "GK-C-002", "GK-C-010", "GK-C-011", "GK-C-014", "GK-C-015"):
            assert not [r for r in runs if r.rule.code == code and r.findings]


REAL_PDF = CORPUS / "real-pdf-01.pdf"


@pytest.mark.skipif(not REAL_PDF.exists(), reason="shared corpus not available")
def test_the_whole_real_report():
    """淮安市洪泽区人民政府 2024, complete: its 监督保障 names only 考核 (no 社会评议, no 责任追究), and it
    gives no e-mail or web address; everything else holds."""
    _, ex = extract_path(REAL_PDF)
    runs = run_rules(Report(ex.document, ex.source_map), [RULES[c] for c in MINE])
    got = {(f["code"], f["severity"]) for r in runs for f in r.findings}
    assert got == {("GK-C-014", "error"), ("GK-C-010", "info")}
    [art50] = [f for r in runs for f in r.findings if f["code"] == "GK-C-014"]
    assert art50["evidence"]["missing"] == ["社会评议", "责任追究"]
    assert {r.rule.code for r in runs if r.status == "not_assessed"} == {"GK-C-017"}
