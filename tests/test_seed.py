"""The seed report end to end: extraction against the hand-checked expectations, and a clean check."""

import csv
import json

from jsonschema import Draft202012Validator

from gongkai import nationalformat as nf
from gongkai.document import Report
from gongkai.pipeline import check_path, extract_path
from conftest import ROOT, SEED, SEED_EXPECTED


def test_extraction_equals_the_committed_expected_document():
    _, ex = extract_path(SEED)
    assert ex.document == json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    assert ex.missing == []


def test_expected_document_is_valid_against_the_schema():
    doc = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    assert list(Draft202012Validator(nf.schema()).iter_errors(doc)) == []


def test_all_200_values_and_their_lines_match_the_hand_transcription():
    # tests/data/seed_cells_by_hand.csv was typed by hand from the seed text, independently of the extractor.
    _, ex = extract_path(SEED)
    report = Report(ex.document, ex.source_map)
    got = [(s.table, s.row, s.column, str(c.value), str(c.source["line"])) for s, c in report.cells()]
    with open(ROOT / "tests" / "data" / "seed_cells_by_hand.csv", encoding="utf-8") as fh:
        hand = [(r["table"], r["row"], r["column"], r["value"], r["line"]) for r in csv.DictReader(fh)]
    assert len(hand) == 200
    assert got == hand


def test_metadata_of_the_seed():
    _, ex = extract_path(SEED)
    meta = ex.document["meta"]
    assert meta["issuing_body"] == "南通市人民政府办公室"
    assert meta["report_year"] == 2023
    assert meta["title"] == "南通市人民政府办公室2023年政府信息公开工作年度报告"
    assert meta["template_version"] == "2021"


def test_seed_check_has_no_arithmetic_error_and_finds_fee_and_contact():
    out = check_path(SEED).output
    status = {r["code"]: r for r in out["rules"]}
    for code in ("GK-T3-01", "GK-T3-02", "GK-T3-03", "GK-T3-04", "GK-T4-01"):
        assert status[code]["status"] == "passed"
    assert not [f for f in out["findings"] if f["code"].startswith("GK-T")]
    assert status["GK-C-001"]["status"] == "passed"
    assert "未收取" in status["GK-C-001"]["notes"][0]["note"]
    assert status["GK-C-001"]["notes"][0]["location"]["source"]["line"] == 334
    contact = " ".join(n["note"] for n in status["GK-C-002"]["notes"])
    assert "0513-85099125" in contact and "226018" in contact and "世纪大道6号" in contact


def test_seed_gets_exactly_the_findings_it_deserves():
    # seeds/000_5c46bab77c95ce4d.findings.md explains each one.
    out = check_path(SEED).output
    got = sorted((f["code"], f["severity"], f["location"]["source"]["line"]) for f in out["findings"])
    assert got == [("GK-P-001", "warning", 5), ("GK-S-006", "info", 301)]
    prose = next(f for f in out["findings"] if f["code"] == "GK-P-001")
    assert "75" in prose["message"] and "81" in prose["message"] and "自然人" in prose["message"]
    assert (out["score"]["score"], out["score"]["grade"], out["score"]["verdict"]) == (98, "优秀", "通过")
