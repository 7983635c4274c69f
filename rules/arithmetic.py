"""勾稽 rules: the arithmetic the tables must satisfy, declared in arithmetic.yaml with the same
identity format evaluators use for their own; plus the plausibility of the fee unit."""

from __future__ import annotations

from importlib import resources
from typing import Iterator

from gongkai.api import Outcome, Report, bad, finding, good, not_assessed, passed, rule
from gongkai.identities import rules_from_yaml

FEE = "/tables/t2/art20_8/fees/amount"


@rule(code="GK-T2-02", name="收费金额单位", category="勾稽", severity="warning",
      basis="表二第二十条第（八）项：本年收费金额的单位是万元",
      examples=(
          bad("收费金额填“35000元”", {FEE: {"value": None, "raw": "35000元"}}),
          bad("收费金额 125000，按万元即 12.5 亿元，多半是按元填写的", {FEE: 125000}),
          good("收费金额 0", {FEE: 0}),
          good("收费金额 12.35（万元）", {FEE: 12.35}),
      ))
def fee_unit(report: Report) -> Iterator[Outcome]:
    """表二“本年收费金额”以万元为单位；写成“元”或数值大得像按元填写时给出警告。

    一个机关一年的行政事业性收费达到 1 亿元（10000 万元）以上很少见，这种数值多半是把元当成了万元。
    """
    cell = report.cell(FEE)
    if cell is None:
        yield not_assessed("未找到表二的收费金额", FEE)
        return
    raw = (cell.raw or "").strip()
    if "元" in raw and "万元" not in raw:
        yield finding(f"表二收费金额写作“{raw}”，而该栏的单位是万元。", FEE, evidence={"raw": raw},
                      fix="换算成万元填写（1 万元 = 10000 元），只填数字。")
    elif cell.value is not None and cell.value >= 10000:
        yield finding(f"表二收费金额为 {cell.value} 万元（即 {cell.value / 10000:g} 亿元），数值大得像是按元填写的。",
                      FEE, evidence={"value": cell.value}, fix="核实单位：该栏以万元计，1 万元 = 10000 元。")
    elif cell.value is not None:
        yield passed(f"收费金额 {cell.value} 万元", FEE)
    else:
        yield not_assessed("表二收费金额为空或不是有效数字", FEE)


RULES = [*rules_from_yaml(resources.files("gongkai_rules").joinpath("arithmetic.yaml")), fee_unit]
