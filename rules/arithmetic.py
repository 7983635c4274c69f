"""勾稽 rules: the arithmetic that tables 三 and 四 must satisfy."""

from __future__ import annotations

from typing import Iterator

from gongkai import nationalformat as nf
from gongkai.api import Outcome, Report, bad, good, rule
from gongkai.identities import Identity

from ._shared import check_identities

T3_NOTE = "表三注释：本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和（国办公开办函〔2021〕30号）"


def _t3_rows() -> dict[str, nf.RowSpec]:
    return {r.pointer.removeprefix("/tables/t3/"): r for r in nf.table_rows("三")}


def t3_column_identities() -> Iterator[Identity]:
    rows = _t3_rows()
    for i, col in enumerate(rows["new_received"].cells):
        def at(r: str) -> str:
            return rows[r].cells[i].pointer
        yield Identity((at("new_received"), at("carried_over")), (at("results/total"), at("carried_forward")),
                       "一、本年新收 + 二、上年结转 = 三、（七）总计 + 四、结转下年度继续办理", f"{col.column} 列")


def t3_leaf_identities() -> Iterator[Identity]:
    rows = _t3_rows()
    leaves = [r for k, r in rows.items() if k.startswith("results/") and k != "results/total"]
    total = rows["results/total"]
    for i, col in enumerate(total.cells):
        yield Identity(tuple(r.cells[i].pointer for r in leaves), (total.cells[i].pointer,),
                       "（七）总计 = （一）至（六）共 21 个细项之和", f"{col.column} 列")


def t3_row_identities() -> Iterator[Identity]:
    for row in nf.table_rows("三"):
        *parts, total = row.cells
        yield Identity(tuple(c.pointer for c in parts), (total.pointer,),
                       "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他", f"“{row.label}”行")


def t4_identities() -> Iterator[Identity]:
    for row in nf.table_rows("四"):
        *parts, total = row.cells
        yield Identity(tuple(c.pointer for c in parts), (total.pointer,),
                       "结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计", f"“{row.label}”")


@rule(code="GK-T3-01", name="表三纵向勾稽", category="勾稽", severity="error", basis=T3_NOTE,
      examples=(
          bad("自然人列：本年新收 189、上年结转 1，（七）总计 180、结转下年度 11：189+1=190，180+11=191",
              {"/tables/t3/carried_forward/natural_person": 11}),
          good("自然人列：189+1=190，180+10=190"),
      ))
def t3_columns(report: Report) -> Iterator[Outcome]:
    """表三每一列都要满足：一、本年新收 + 二、上年结转 = 三、（七）总计 + 四、结转下年度继续办理。

    这是表三自带的注释所规定的关系，对 7 列（含总计列）逐列核对。

    反例：自然人列 本年新收 189、上年结转 1，（七）总计 180、结转下年度 11：189+1=190，180+11=191，相差 1。
    正例：自然人列 本年新收 189、上年结转 1，（七）总计 180、结转下年度 10：两边都是 190。
    """
    yield from check_identities(report, "三", t3_column_identities(), "纵向勾稽（一+二=三+四）")


@rule(code="GK-T3-02", name="表三办理结果合计", category="勾稽", severity="error",
      basis="表三结构：（七）总计为（一）至（六）各细项之和（由表格设计推得）",
      examples=(
          bad("总计列各细项之和为 200，（七）总计却填 199", {"/tables/t3/results/total/total": 199}),
          good("总计列各细项之和 200，（七）总计 200"),
      ))
def t3_results_total(report: Report) -> Iterator[Outcome]:
    """表三每一列的“（七）总计”应等于（一）至（六）共 21 个细项之和。

    （三）（四）（五）（六）没有小计行，直接加总其下各细项。

    反例：总计列 （一）31、（二）50、其余细项共 119，（七）总计却填 199（应为 200）。
    正例：总计列 各细项之和 200，（七）总计 200。
    """
    yield from check_identities(report, "三", t3_leaf_identities(), "办理结果合计（（七）=各细项之和）")


@rule(code="GK-T3-03", name="表三横向合计", category="勾稽", severity="error",
      basis="表三结构：总计列为自然人与五类法人或其他组织之和（由表格设计推得）",
      examples=(
          bad("本年新收一行：自然人 189、商业企业 11，其余为 0，总计却填 201", {"/tables/t3/new_received/total": 201}),
          good("同一行总计填 200"),
      ))
def t3_rows(report: Report) -> Iterator[Outcome]:
    """表三每一行的“总计”应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。

    反例：本年新收一行 自然人 189、商业企业 11，其余为 0，总计却填 201。
    正例：同一行总计填 200。
    """
    yield from check_identities(report, "三", t3_row_identities(), "横向合计（总计=六类申请人之和）")


@rule(code="GK-T4-01", name="表四分组合计", category="勾稽", severity="error",
      basis="表四结构：结果维持+结果纠正+其他结果+尚未审结=总计（由表格设计推得）",
      examples=(
          bad("未经复议直接起诉：结果维持 4、其他结果 1，总计填 4", {"/tables/t4/litigation_direct/total": 4}),
          good("同一组总计填 5"),
      ))
def t4_groups(report: Report) -> Iterator[Outcome]:
    """表四的行政复议、未经复议直接起诉、复议后起诉三组，每组都要满足：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。

    反例：未经复议直接起诉 结果维持 4、其他结果 1，总计填 4。
    正例：同一组总计填 5。
    """
    yield from check_identities(report, "四", t4_identities(), "分组合计")


RULES = [t3_columns, t3_results_total, t3_rows, t4_groups]
