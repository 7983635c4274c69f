"""The report schema defines the national format; the catalogue derived from it must match the format."""

import json

import pytest
from jsonschema import Draft202012Validator

from gongkai import nationalformat as nf
from conftest import ROOT


@pytest.mark.parametrize("name", ["annual-report.schema.json", "findings.schema.json"])
def test_schemas_are_valid_draft_2020_12(name):
    schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _properties(node, path=""):
    for k, v in node.get("properties", {}).items():
        yield f"{path}/{k}", v
        yield from _properties(v, f"{path}/{k}")


def test_every_property_carries_a_chinese_title():
    schema = nf.schema()
    nodes = list(_properties(schema)) + [(f"$defs/{k}{p}", v) for k, d in schema["$defs"].items() for p, v in _properties(d)]
    untitled = [p for p, v in nodes if not v.get("title")]
    assert untitled == []


def test_table_sizes_follow_the_2021_format():
    assert sum(len(r.cells) for r in nf.table_rows("二")) == 10
    t3 = nf.table_rows("三")
    assert len(t3) == 25 and all(len(r.cells) == 7 for r in t3)
    assert sum(len(r.cells) for r in nf.table_rows("四")) == 15
    assert nf.t3_columns() == ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def test_labels_are_the_formats_own():
    labels = [r.label for r in nf.table_rows("三")]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert "（三）不予公开/1.属于国家秘密" in labels
    assert "（三）不予公开/3.危及“三安全一稳定”" in labels
    assert "（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert [r.label for r in nf.table_rows("四")] == ["行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"]
    fee = nf.table_rows("二")[-1].cells[0]
    assert (fee.row, fee.column, fee.kind) == ("第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）", "fee")


def test_blank_and_placeholder_cells_are_representable_but_not_negative_counts():
    validator = Draft202012Validator(nf.schema())
    doc = {"schema_version": "1", "meta": {"template_version": "2021"}, "parts": {},
           "tables": {"t4": {"review": {"upheld": {"value": None, "raw": "/"}}}}}
    assert list(validator.iter_errors(doc)) == []
    doc["tables"]["t4"]["review"]["upheld"] = {"value": -1, "raw": "-1"}
    assert list(validator.iter_errors(doc))
    doc["tables"]["t4"]["review"]["upheld"] = {"value": 1.5, "raw": "1.5"}
    assert list(validator.iter_errors(doc))
