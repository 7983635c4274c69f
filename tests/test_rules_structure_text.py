"""Structure and text rules on the bad and good examples their documentation gives."""

import re

from gongkai.checking import run_rules
from conftest import report_from_text


def run(text, catalogue, code):
    rule = next(r for r in catalogue.rules if r.code == code)
    return run_rules(report_from_text(text), [rule])[0]


def drop_part(text, heading, until=None):
    start = text.index(heading)
    end = text.index(until) if until else len(text)
    return text[:start] + text[end:]


def test_missing_parts_are_named(seed_text, catalogue):
    text = drop_part(seed_text, "五、存在的主要问题及改进情况")
    r = run(text, catalogue, "GK-S-001")
    assert [f["location"]["pointer"] for f in r.findings] == ["/parts/problems", "/parts/other_matters"]
    assert "五、存在的主要问题及改进情况" in r.findings[0]["message"]
    assert run(seed_text, catalogue, "GK-S-001").status == "passed"


def test_known_heading_variant_is_accepted_and_noted(seed_text, catalogue):
    text = seed_text.replace("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况")
    r = run(text, catalogue, "GK-S-001")
    assert r.status == "passed" and "政府信息公开工作存在的主要问题" in r.notes[0]["note"]


def test_parts_out_of_order(seed_text, catalogue):
    five = seed_text.index("五、存在的主要问题及改进情况")
    six = seed_text.index("六、其他需要报告的事项")
    swapped = seed_text[:five] + seed_text[six:].rstrip("\n") + "\n" + seed_text[five:six]
    r = run(swapped, catalogue, "GK-S-002")
    assert len(r.findings) == 1 and r.findings[0]["location"]["pointer"] == "/parts/problems"
    assert run(seed_text, catalogue, "GK-S-002").status == "passed"


def test_missing_table_three(seed_text, catalogue):
    start = seed_text.index("(本列数据的勾稽关系为")
    end = seed_text.index("四、政府信息公开行政复议")
    text = seed_text[:start] + "本年度未收到政府信息公开申请。\n" + seed_text[end:]
    r = run(text, catalogue, "GK-S-003")
    assert [f["location"]["pointer"] for f in r.findings] == ["/tables/t3"]
    t3 = run(text, catalogue, "GK-T3-01")
    assert t3.status == "not_assessed" and not t3.findings


def test_truncated_table_reports_missing_cells_and_invents_no_zero(seed_text, catalogue):
    cut = seed_text[: seed_text.index("4.保护第三方合法权益")]
    report = report_from_text(cut)
    assert report.t3("results/withheld/third_party", "total") is None
    r = run(cut, catalogue, "GK-S-004")
    msgs = [f["message"] for f in r.findings]
    assert any(m.startswith("表三有 126 个单元格（共 175 个）未找到") for m in msgs)
    assert run(cut, catalogue, "GK-T3-02").status == "not_assessed"


def test_invalid_number_is_an_error(seed_text, catalogue):
    text = seed_text.replace("行政处罚 |\n0 |", "行政处罚 |\n若干 |")
    r = run(text, catalogue, "GK-S-004")
    assert len(r.findings) == 1 and r.findings[0]["severity"] == "error" and "若干" in r.findings[0]["message"]


def test_2019_template_in_a_2022_report(catalogue):
    text = ("某局2022年政府信息公开工作年度报告\n一、总体情况\n概述。\n二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 |\n"
            "本年新制作数量 |\n本年新公开数量 |\n对外公开总数量 |\n规章 |\n0 |\n0 |\n0 |\n")
    r = run(text, catalogue, "GK-S-005")
    assert len(r.findings) == 1 and "2019 年试行格式" in r.findings[0]["message"]
    assert report_from_text(text).document["tables"] == {}


def test_fee_statement(seed_text, catalogue):
    assert run(seed_text, catalogue, "GK-C-001").status == "passed"
    no_fee = re.sub(r"认真落实国办.*信息处理费用。\n", "", seed_text)
    r = run(no_fee, catalogue, "GK-C-001")
    assert len(r.findings) == 1 and r.findings[0]["location"]["pointer"] == "/parts/other_matters"
    vague = seed_text.replace("2023年度本办未收取因依申请公开办理产生的信息处理费用", "本办依法规范信息处理费管理")
    r = run(vague, catalogue, "GK-C-001")
    assert len(r.findings) == 1 and "没有说明收取情况" in r.findings[0]["message"]
    amounts = seed_text.replace("2023年度本办未收取因依申请公开办理产生的信息处理费用",
                                "2023年度共发出信息处理费收费通知2件，金额600元，实际收取600元")
    assert run(amounts, catalogue, "GK-C-001").status == "passed"


def test_contact_details(seed_text, catalogue):
    r = run(seed_text, catalogue, "GK-C-002")
    assert r.status == "passed"
    assert r.notes[0]["location"]["source"]["line"] == 335
    no_post = seed_text.replace(",邮编:226018", "")
    r = run(no_post, catalogue, "GK-C-002")
    assert len(r.findings) == 1 and r.findings[0]["evidence"]["missing"] == ["邮编"]
    nothing = re.sub(r"本报告的电子版.*", "", seed_text)
    r = run(nothing, catalogue, "GK-C-002")
    assert r.findings[0]["evidence"]["missing"] == ["电话", "地址", "邮编"]
