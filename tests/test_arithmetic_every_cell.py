"""In a copy of the seed, changing any single number of table 三 or 四 makes exactly the right table
rules fire, as errors naming that cell, and no other table rule. (A number the prose also states
makes the prose rule speak too; tests/test_rules_prose.py covers that.)"""

import pytest

from gongkai import nationalformat as nf
from gongkai.checking import run_rules
from conftest import extract_text, report_from_text
from gongkai.document import Report

T3_COLUMN_ROWS = {"/tables/t3/new_received", "/tables/t3/carried_over", "/tables/t3/results/total",
                  "/tables/t3/carried_forward"}


def expected_rules(pointer: str, report: Report) -> set[str]:
    """The 勾稽 rules one changed cell must fire, given the (changed) report."""
    spec = nf.cell_by_pointer()[pointer]
    row, column = pointer.rsplit("/", 1)
    if spec.table == "四":
        return {"GK-T4-01"}
    rules = {"GK-T3-03"}
    if row in T3_COLUMN_ROWS:
        rules.add("GK-T3-01")
    if row.startswith("/tables/t3/results/"):
        rules.add("GK-T3-02")
    value = {r: report.t3(r, column).value for r in ("new_received", "carried_over", "carried_forward")}
    if row in ("/tables/t3/new_received", "/tables/t3/carried_over", "/tables/t3/carried_forward") and \
            value["carried_forward"] > value["new_received"] + value["carried_over"]:
        rules.add("GK-T3-04")
    return rules


@pytest.fixture(scope="module")
def seed_lines_and_sources(seed_text):
    ex = extract_text(seed_text)
    return seed_text.splitlines(), ex.source_map


@pytest.fixture(scope="module")
def baseline(seed_text, catalogue):
    """What the unchanged seed already gets (an info note on 合计): a change is judged against it."""
    return {f["fingerprint"] for r in run_rules(report_from_text(seed_text), catalogue.rules) for f in r.findings}


CELLS = [c.pointer for c in nf.all_cells() if c.table in ("三", "四")]


@pytest.mark.parametrize("pointer", CELLS)
def test_one_changed_number_fires_the_right_rules(pointer, seed_lines_and_sources, catalogue, baseline):
    lines, source_map = seed_lines_and_sources
    line_no = source_map[pointer]["line"]
    old = lines[line_no - 1]
    value = int(old.split("|")[0])
    mutated = list(lines)
    mutated[line_no - 1] = old.replace(str(value), str(value + 1), 1)
    report = report_from_text("\n".join(mutated) + "\n")
    assert report.cell(pointer).value == value + 1

    runs = run_rules(report, catalogue.rules)
    new = [f for r in runs for f in r.findings if f["fingerprint"] not in baseline and f["code"].startswith("GK-T")]
    assert {f["code"] for f in new} == expected_rules(pointer, report)
    for f in new:
        assert f["severity"] == "error"
        assert pointer in f["location"].get("pointers", [f["location"]["pointer"]])
        ev = f["evidence"]
        assert abs(ev["difference"]) == 1 and ev["actual"] - ev["expected"] == ev["difference"]
        terms = ev["expected_terms"] + ev["actual_terms"]
        changed = [t for t in terms if t["pointer"] == pointer]
        assert changed and changed[0]["value"] == value + 1 and changed[0]["source"]["line"] == line_no


def test_finding_names_every_cell_with_expected_actual_and_difference(seed_text, catalogue):
    lines = seed_text.splitlines()
    report = report_from_text(seed_text)
    line_no = report.t3("new_received", "total").source["line"]
    lines[line_no - 1] = "205 |"
    runs = run_rules(report_from_text("\n".join(lines)), catalogue.rules)
    col = next(f for r in runs for f in r.findings if f["code"] == "GK-T3-01")
    assert col["evidence"]["actual"] == 216 and col["evidence"]["expected"] == 211
    assert col["evidence"]["difference"] == 5
    assert "总计 列" in col["message"] and "216" in col["message"] and "211" in col["message"] and "相差 5" in col["message"]
    labels = {t["label"] for t in col["evidence"]["expected_terms"] + col["evidence"]["actual_terms"]}
    assert labels == {"表三 一、本年新收政府信息公开申请数量 × 总计", "表三 二、上年结转政府信息公开申请数量 × 总计",
                      "表三 （七）总计 × 总计", "表三 四、结转下年度继续办理 × 总计"}
    row = next(f for r in runs for f in r.findings if f["code"] == "GK-T3-03")
    assert row["location"]["pointer"] == "/tables/t3/new_received/total"
    assert row["location"]["source"]["line"] == line_no


def test_blank_cell_is_not_zero_the_identity_is_not_assessed(seed_text, catalogue):
    report = report_from_text(seed_text)
    doc = report.document
    doc["tables"]["t3"]["results"]["withheld"]["state_secret"]["natural_person"] = {"value": None, "raw": "/"}
    runs = {r.rule.code: r for r in run_rules(Report(doc, report.source_map), catalogue.rules)}
    for code in ("GK-T3-02", "GK-T3-03"):
        assert not runs[code].findings
        assert any("/tables/t3/results/withheld/state_secret/natural_person" in n["pointers"]
                   for n in runs[code].not_assessed)
    blank = [f for f in runs["GK-S-004"].findings]
    assert len(blank) == 1 and blank[0]["severity"] == "warning" and "不能视为 0" in blank[0]["message"]
