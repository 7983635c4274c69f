"""结构 rules: the six parts, the three tables, every cell of them, and the template version."""

from __future__ import annotations

from typing import Iterator

from gongkai import nationalformat as nf
from gongkai.api import REMOVE, Outcome, Report, bad, finding, good, not_assessed, passed, rule

FORMAT = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》"


@rule(code="GK-S-001", name="六个部分齐全", category="结构", severity="error",
      basis=f"《条例》第五十条；{FORMAT}：内容不能遗漏",
      examples=(
          bad("报告写完表四后直接结束，缺少第五、第六部分",
              {"/parts/problems": REMOVE, "/parts/other_matters": REMOVE}),
          good("六个部分都在；第五部分用“五、政府信息公开工作存在的主要问题及改进情况”这一可接受的写法",
               {"/parts/problems/heading": "五、政府信息公开工作存在的主要问题及改进情况"}),
      ))
def parts_present(report: Report) -> Iterator[Outcome]:
    """年度报告应包含格式规定的全部六个部分：一、总体情况；二、主动公开政府信息情况；
    三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；
    五、存在的主要问题及改进情况；六、其他需要报告的事项。

    已知的标题变体（如“五、政府信息公开工作存在的主要问题及改进情况”）视为该部分存在。

    反例：报告写完表四后直接结束，没有“五、存在的主要问题及改进情况”和“六、其他需要报告的事项”。
    正例：六个部分的标题依次出现。
    """
    missing = [p for p in nf.parts() if report.part(p.key) is None]
    for p in missing:
        yield finding(f"未找到第{p.number}部分“{p.heading}”。", p.pointer,
                      fix=f"按格式补上第{p.number}部分，标题写作“{p.heading}”。")
    if not missing:
        variants = [f"“{report.part(p.key)['heading']}”" for p in nf.parts()
                    if report.part(p.key)["heading"] != p.heading]
        note = "六个部分齐全" + (f"（使用了可接受的标题写法：{'、'.join(variants)}）" if variants else "")
        yield passed(note, "/parts")


@rule(code="GK-S-002", name="六个部分顺序", category="结构", severity="error",
      basis=f"{FORMAT}：报告按一至六的顺序编排",
      examples=(
          bad("“六、其他需要报告的事项”写在第五部分之前",
              {"/parts/problems/position": 6, "/parts/other_matters/position": 5}),
          good("各部分按一至六的顺序出现"),
      ))
def parts_in_order(report: Report) -> Iterator[Outcome]:
    """六个部分应按一、二、三、四、五、六的顺序出现。

    反例：“六、其他需要报告的事项”写在“五、存在的主要问题及改进情况”之前。
    正例：各部分按编号顺序出现。
    """
    found = [(report.part(p.key)["position"], p) for p in nf.parts() if report.part(p.key) is not None]
    if len(found) < 2:
        yield not_assessed("找到的部分不足两个，无法判断顺序", "/parts")
        return
    found.sort(key=lambda fp: fp[0])
    canon = [p.number for p in nf.parts()]
    out = False
    for (_, prev), (_, cur) in zip(found, found[1:]):
        if canon.index(cur.number) < canon.index(prev.number):
            out = True
            yield finding(f"第{cur.number}部分“{cur.heading}”出现在第{prev.number}部分之后，顺序不对。",
                          [cur.pointer, prev.pointer], key=f"{prev.number}>{cur.number}",
                          fix="按一至六的顺序调整各部分。")
    if not out:
        yield passed("各部分按一至六的顺序出现", "/parts")


@rule(code="GK-S-003", name="三张统计表齐全", category="结构", severity="error",
      basis=f"{FORMAT}：第二、三、四部分以表格填报",
      examples=(
          bad("第三部分只有一句“本年度未收到申请”，没有表三", {"/tables/t3": REMOVE}),
          good("三张表齐全"),
      ))
def tables_present(report: Report) -> Iterator[Outcome]:
    """报告应包含表二（主动公开政府信息情况）、表三（收到和处理政府信息公开申请情况）、
    表四（政府信息公开行政复议、行政诉讼情况）三张统计表。

    反例：第三部分只写了一段文字“本年度未收到申请”，没有表三。
    正例：三张表都按格式填报，没有发生的事项填 0。
    """
    names = {"二": "主动公开政府信息情况", "三": "收到和处理政府信息公开申请情况", "四": "政府信息公开行政复议、行政诉讼情况"}
    missing = [t for t in names if not report.has_table(t)]
    for t in missing:
        if report.meta.get("template_version") == "2019":
            msg = f"未按 2021 年格式读到表{t}（{names[t]}）：报告使用的是已废止的 2019 年试行格式。"
        else:
            msg = f"未找到表{t}（{names[t]}）。"
        yield finding(msg, f"/tables/{nf.table_key(t)}", fix=f"按格式填报表{t}，没有发生的事项填 0，不要省略。")
    if not missing:
        yield passed("表二、表三、表四齐全", "/tables")


@rule(code="GK-S-004", name="表格单元格完整有效", category="结构", severity="error",
      basis=f"{FORMAT}：各表的行列不得缺项；件数为非负整数，金额以万元计",
      examples=(
          bad("表三“1.属于国家秘密”的总计栏填“/”",
              {"/tables/t3/results/withheld/state_secret/total": {"value": None, "raw": "/"}}),
          bad("表二“行政处罚”一栏填“若干”", {"/tables/t2/art20_6/penalty/decisions": {"value": None, "raw": "若干"}}),
          bad("表四被截断，复议后起诉一组找不到", {"/tables/t4/litigation_after_review": REMOVE}),
          good("每个单元格都填了数字，没有发生的事项填 0"),
      ))
def cells_complete(report: Report) -> Iterator[Outcome]:
    """三张表的每个单元格都应填写有效数字：件数为非负整数，收费金额为以万元计的非负数。

    找不到的单元格（报告不完整或被截断）是错误；留空或填写“/”“—”“无”等占位符的单元格是警告——
    它们不能当作 0，依赖它们的勾稽关系也就无法核对。

    反例：表三“（三）不予公开/1.属于国家秘密”的总计栏填“/”；表二“行政处罚”一栏填“若干”。
    正例：没有发生的事项一律填 0。
    """
    for table in ("二", "三", "四"):
        if not report.has_table(table):
            yield not_assessed(f"未找到表{table}，无法检查其单元格", f"/tables/{nf.table_key(table)}")
            continue
        absent = []
        for spec, cell in report.cells(table):
            if cell is None:
                absent.append(spec)
            elif cell.value is None:
                raw = (cell.raw or "").strip()
                placeholder = raw in ("", "/", "-", "—", "——", "--", "无", "空", "\\")
                what = "留空" if raw == "" else f"填写了“{raw}”"
                if placeholder:
                    yield finding(f"表{table} {spec.row} × {spec.column}{what}，不能视为 0。", spec.pointer,
                                  severity="warning", evidence={"raw": raw},
                                  fix="没有发生的事项填 0。")
                else:
                    kind = "以万元计的非负数" if spec.kind == "fee" else "非负整数"
                    yield finding(f"表{table} {spec.row} × {spec.column}填写的“{raw}”不是{kind}。", spec.pointer,
                                  evidence={"raw": raw}, fix=f"改为{kind}。")
        if absent:
            total = sum(len(r.cells) for r in nf.table_rows(table))
            shown = "；".join(f"{s.row} × {s.column}" for s in absent[:5])
            more = f"等 {len(absent)} 个" if len(absent) > 5 else ""
            yield finding(f"表{table}有 {len(absent)} 个单元格（共 {total} 个）未找到：{shown}{more}。报告可能不完整或被截断。",
                          [s.pointer for s in absent], key=f"absent-{table}",
                          evidence={"missing": [f"{s.row} × {s.column}" for s in absent]})
        else:
            yield passed(f"表{table}的单元格齐全", f"/tables/{nf.table_key(table)}")


@rule(code="GK-S-005", name="使用现行年报格式", category="结构", severity="error",
      basis="国办公开办函〔2021〕30号自 2021 年度报告起取代国办公开办函〔2019〕60号试行格式",
      examples=(
          bad("2023 年度报告仍使用 2019 年试行格式", {"/meta/template_version": "2019"}),
          good("2020 年度报告使用 2019 年试行格式（当年适用）",
               {"/meta/template_version": "2019", "/meta/report_year": 2020}),
          good("2023 年度报告使用 2021 年格式"),
      ))
def current_template(report: Report) -> Iterator[Outcome]:
    """2021 年度及以后的报告应使用 2021 年格式，不得沿用 2019 年试行格式的表格
    （本年新制作数量、本年新公开数量、对外公开总数量、第二十条第（九）项 政府集中采购、只有一行的“（六）其他处理”等）。

    反例：2022 年度报告的表二仍是“本年新制作数量 / 本年新公开数量 / 对外公开总数量”。
    正例：表二使用“本年制发件数 / 本年废止件数 / 现行有效件数”。
    """
    template = report.meta.get("template_version")
    year = report.year
    if template == "2019":
        if year is None:
            yield not_assessed("报告使用 2019 年试行格式，但未能确定报告年度，无法判断是否应使用 2021 年格式", "/meta")
        elif year >= 2021:
            yield finding(f"{year} 年度报告仍使用已废止的 2019 年试行格式（国办公开办函〔2019〕60号）。", "/meta/template_version",
                          fix="按国办公开办函〔2021〕30号格式重新编制表二、表三。")
        else:
            yield passed(f"{year} 年度报告使用 2019 年试行格式，符合当年要求", "/meta/template_version")
    elif template == "2021":
        yield passed("使用 2021 年格式", "/meta/template_version")
    else:
        yield not_assessed("未能判断报告使用的格式版本", "/meta/template_version")


RULES = [parts_present, parts_in_order, tables_present, cells_complete, current_template]



_DEVIATION_SEVERITY = {"synonym": "info", "outdated_row": "error"}
_DEVIATION_TEXT = {
    "label": "表{table}中“{found}”与格式的写法“{expected}”不一致（已按“{expected}”读取）。",
    "synonym": "表{table}中“{found}”应按格式写作“{expected}”（意思相同，已按“{expected}”读取）。",
    "column_order": "表{table}的列序与格式不同：格式为“{expected}”，报告为“{found}”（已按报告的列序读取）。",
    "extra_row": "表{table}多出一行“{found}”：{expected}。该行数值未读取。",
    "extra_column": "表{table}多出一列“{found}”{expected}。该列数值未读取。",
    "outdated_row": "表{table}的“{found}”只有一行，是 2019 年试行格式的写法；2021 年格式为{expected}。这一组数值未读取。",
    "heading": "“{found}”与格式的标题“{expected}”不一致。",
}


@rule(code="GK-S-006", name="表格标签与格式一致", category="结构", severity="warning",
      basis=f"{FORMAT}：表格的行、列名称按格式填写，不得增删",
      examples=(
          bad("表二把“行政规范性文件”写成“规范性文件”",
              {"/deviations": [{"table": "二", "kind": "label", "expected": "行政规范性文件", "found": "规范性文件",
                                "pointer": "/tables/t2/art20_1/normative_documents"}]}),
          bad("表三的“（六）其他处理”只有一行（2019 年格式）",
              {"/deviations": [{"table": "三", "kind": "outdated_row", "found": "（六）其他处理",
                                "expected": "（六）其他处理：1.逾期不补正 / 2.逾期未缴费 / 3.其他 三个细项"}]}),
          good("表格的行列名称与格式一致", {"/deviations": REMOVE}),
      ))
def labels_as_in_format(report: Report) -> Iterator[Outcome]:
    """表格的行、列名称应与格式一致。报告用了旧称、错字、同义词，改变了列序，或多出小计行、小计列时，
    gongkai 仍按格式读取能读的数值，并在这里指出不一致之处。

    同义词（如表四把“总计”写作“合计”）只作提示；2019 年格式遗留的行（只有一行的“（六）其他处理”）是错误，
    因为这一组数值无法对应到 2021 年格式的细项。
    """
    deviations = [d for d in report.document.get("deviations", []) if d["kind"] != "heading"]
    for i, d in enumerate(deviations):
        text = _DEVIATION_TEXT.get(d["kind"], "表{table}：“{found}”与格式“{expected}”不一致。").format(**d)
        pointers = [f"/deviations/{i}"] + ([d["pointer"]] if d.get("pointer") else [])
        yield finding(text, pointers, severity=_DEVIATION_SEVERITY.get(d["kind"], "warning"),
                      key=f"{d['table']}|{d['kind']}|{d['expected']}|{d['found']}", evidence=dict(d),
                      fix=f"按格式写作“{d['expected']}”。" if d["kind"] in ("label", "synonym") else None)
    if not deviations:
        yield passed("表格的行列名称与格式一致", "/tables")


RULES.append(labels_as_in_format)
