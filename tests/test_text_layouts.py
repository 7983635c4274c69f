"""The text layouts reports circulate in, and labels that depart from the format."""

from gongkai.testing import report_text, seed_document
from conftest import extract_text, report_from_text


def _t2(text):
    return extract_text("二、主动公开政府信息情况\n" + text)


def test_lone_pipe_lines_are_empty_cells_not_lost_positions():
    # excerpt-13's layout: empty cells as lines holding a single pipe; only 总计 is filled.
    rows = "\n".join(["一、本年新收政府信息公开申请数量 |", *["|"] * 6, "0 |", "||"])
    report = report_from_text("三、收到和处理政府信息公开申请情况\n" + rows + "\n")
    assert report.t3("new_received", "total").value == 0
    blank = report.t3("new_received", "natural_person")
    assert blank is not None and blank.value is None and blank.raw == ""


def test_blank_last_cell_of_a_table_two_row():
    # excerpt-14: 规章 | 0 | 0 | (blank)
    ex = _t2("第二十条第(一)项 |\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 (历史累计) |\n|\n规章 |\n0 |\n0 |\n|\n|\n"
             "行政规范性文件 |\n5 |\n12 |\n8 |\n")
    t2 = ex.document["tables"]["t2"]["art20_1"]
    assert t2["regulations"]["in_force"] == {"value": None, "raw": ""}
    assert t2["normative_documents"]["in_force"]["value"] == 8


def test_pdftotext_layout_rows():
    text = ("第二十条第(一)项\n信息内容       本年制发件数     本年废止件数    现行有效件数\n"
            "规章              2              1             9\n行政规范性文件    13             2            79\n")
    t2 = _t2(text).document["tables"]["t2"]["art20_1"]
    assert [t2["regulations"][c]["value"] for c in ("issued", "repealed", "in_force")] == [2, 1, 9]
    assert t2["normative_documents"]["in_force"]["value"] == 79


def test_blank_line_separated_cells_and_split_labels():
    doc = seed_document()
    lines = report_text(doc).replace(" |", "").replace("商业企业\n", "商业\n企业\n").splitlines()
    text = "\n\n".join(line for line in lines if line.strip("|"))
    ex = extract_text(text)
    assert ex.document["tables"] == doc["tables"]


def test_small_typo_is_read_and_noted_but_truncation_is_not():
    ex = _t2("第二十条第(一)项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件\n规章\n0\n0\n0\n")
    assert ex.document["tables"]["t2"]["art20_1"]["regulations"]["in_force"]["value"] == 0
    assert [(d["kind"], d["expected"], d["found"]) for d in ex.document["deviations"]] == [("label", "现行有效件数", "现行有效件")]
    cut = _t2("第二十条第(八)项\n信息内容\n本年收费金额(单位:万")
    assert "deviations" not in cut.document


def test_old_row_name_is_read_into_the_format_row_and_reported():
    ex = _t2("第二十条第(一)项 |\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n规范性文件 |\n3 |\n0 |\n7 |\n")
    assert ex.document["tables"]["t2"]["art20_1"]["normative_documents"]["in_force"]["value"] == 7
    [dev] = ex.document["deviations"]
    assert (dev["kind"], dev["expected"], dev["found"]) == ("label", "行政规范性文件", "规范性文件")
    assert ex.source_map["/deviations/0"]["line"] == 7


def test_changed_column_order_in_table_two_follows_the_header():
    ex = _t2("第二十条第(一)项 |\n信息内容 |\n现行有效件数 |\n本年制发件数 |\n本年废止件数 |\n规章 |\n9 |\n2 |\n1 |\n")
    reg = ex.document["tables"]["t2"]["art20_1"]["regulations"]
    assert (reg["issued"]["value"], reg["repealed"]["value"], reg["in_force"]["value"]) == (2, 1, 9)
    assert ex.document["deviations"][0]["kind"] == "column_order"


def test_subtotal_row_is_skipped_and_reported(seed_text):
    text = seed_text.replace("(三)不予 公开 |\n", "(三)不予 公开 |\n10 |\n3 |\n0 |\n0 |\n0 |\n0 |\n13 |\n", 1)
    ex = extract_text(text)
    assert ex.document["tables"] == extract_text(seed_text).document["tables"]
    assert [d["kind"] for d in ex.document["deviations"] if d["table"] == "三"] == ["extra_row"]


def test_single_other_row_of_the_2019_template_is_not_read_into_2021_slots(seed_text):
    start = seed_text.index("(六) 其他 处理 |")
    end = seed_text.index("(七)总计 |")
    text = seed_text[:start] + "(六)其他处理 |\n5 |\n1 |\n0 |\n0 |\n3 |\n0 |\n9 |\n||\n" + seed_text[end:]
    report = report_from_text(text)
    assert report.t3("results/other/no_correction", "total") is None
    assert report.t3("results/other/other", "total") is None
    assert report.t3("results/total", "total").value == 200
    assert [d["kind"] for d in report.document["deviations"] if d["table"] == "三"] == ["outdated_row"]


def test_heading_with_an_extra_word_is_found_and_kept_as_written():
    ex = extract_text("一、总体情况\n概述。\n二、主动公开政府信息的情况\n三、收到和处理政府信息公开申请情况\n")
    assert ex.document["parts"]["proactive"]["heading"] == "二、主动公开政府信息的情况"
    assert "（三）不予公开" not in ex.document["parts"]


def test_title_broken_over_two_lines_and_metadata_box():
    text = ("• 索引号\n000014348/2023-00081\n• 发布机构\n桥头乡\n• 发布日期\n2023-01-17\n\n"
            "河口县桥头乡2022年政府信息公开\n工作年度报告\n\n一、总体情况\n概述。\n")
    meta = extract_text(text).document["meta"]
    assert meta["title"] == "河口县桥头乡2022年政府信息公开工作年度报告"
    assert (meta["issuing_body"], meta["report_year"], meta["publication_date"]) == ("河口县桥头乡", 2022, "2023-01-17")


def test_body_is_not_taken_from_a_cited_notice_or_a_pronoun():
    text = ("按照镇安县人民政府办公室《关于做好2022年度政府信息公开年度报告编制公布工作的通知》要求，"
            "现将茅坪回族镇2022年度政府信息公开工作报告如下:\n一、总体情况\n概述。\n")
    assert extract_text(text).document["meta"]["issuing_body"] == "茅坪回族镇"
    pronoun = extract_text("现将我办2022年度政府信息公开情况报告如下:\n一、总体情况\n概述。\n").document["meta"]
    assert pronoun["issuing_body"] is None and pronoun["report_year"] == 2022


def test_traditional_characters_are_read(tmp_path):
    from gongkai.pipeline import extract_path
    import opencc
    doc = seed_document()
    trad = opencc.OpenCC("s2t").convert(report_text(doc))
    p = tmp_path / "trad.txt"
    p.write_text(trad, encoding="utf-8")
    _, ex = extract_path(p)
    assert ex.document["tables"] == doc["tables"]
    assert any("繁体" in n for n in ex.notes)


def test_title_with_the_body_on_the_line_above():
    meta = extract_text("南通市人民政府办公室\n2023年政府信息公开工作年度报告\n一、总体情况\n概述。\n").document["meta"]
    assert meta["title"] == "南通市人民政府办公室2023年政府信息公开工作年度报告"
    assert (meta["issuing_body"], meta["report_year"]) == ("南通市人民政府办公室", 2023)


def test_prose_above_table_three_stays_in_the_part(seed_text):
    sentence = "2022年，区政府办公室共收到8份政府信息公开申请，均为自然人申请。"
    text = seed_text.replace("三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n" + sentence + "\n")
    part = extract_text(text).document["parts"]["applications"]
    assert part["text"] == sentence
