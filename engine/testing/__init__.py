"""Testing helpers for gongkai and for rule authors: Hypothesis strategies that build consistent
reports (leaf cells first, every total computed from them), and a writer that lays a report out as
text in the seed's layout, so that tests exercise the real reader and extractor.

    from hypothesis import given
    from gongkai.testing import reports, report_text

    @given(reports())
    def test_my_rule_is_quiet_on_consistent_reports(doc): ...
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import json
from importlib import resources

from hypothesis import strategies as st

from .. import nationalformat as nf
from ..api import REMOVE, Context, Example, Outcome, Rule
from ..document import Report
from ..pointer import get_at, remove_at, set_at

PART_TEXT = {
    "overview": "{year}年，{body}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。\n"
                "（一）主动公开。依法主动公开政府信息，及时发布政策文件。\n"
                "（二）依申请公开。依法依规办理政府信息公开申请，规范答复流程。\n"
                "（三）政府信息管理。严格落实公开属性审查和保密审查，动态更新公开目录。\n"
                "（四）平台建设。加强政府网站和政务新媒体建设，提升平台服务能力。\n"
                "（五）监督保障。健全工作考核制度，开展社会评议，全年未发生责任追究情况。",
    "proactive": "",
    "applications": "",
    "review_litigation": "",
    "problems": "存在的主要问题是部分领域信息公开不够及时，政策解读形式较为单一。"
                "下一步将加强业务培训，完善信息发布审核机制，丰富政策解读形式，提升公开质量。",
    "other_matters": "{year}年度本机关未收取政府信息公开信息处理费。\n"
                     "本报告电子版可在门户网站（www.example.gov.cn）下载。\n如对本报告有疑问，请联系{body}"
                     "（电话：0513-85099125，地址：南通市崇川区世纪大道6号，邮编：226018）。",
}

# Issuing bodies of each kind and level, and whether they can make 规章 (only provincial
# governments and those of cities with districts can: a county or township reports 0).
BODIES = (
    ("江苏省人民政府", True), ("南京市人民政府", True), ("南京市人民政府办公室", True), ("南京市生态环境局", True),
    ("南京市玄武区人民政府", False), ("玄武区司法局", False), ("海安市城东镇人民政府", False),
    ("崇川区城东街道办事处", False), ("苏州工业园区管理委员会", False),
)


def _cell(value: int | float) -> dict[str, Any]:
    return {"value": value, "raw": str(value)}


@st.composite
def t3_values(draw: st.DrawFn, max_count: int = 400) -> dict[str, list[int]]:
    """Table 三 as {row pointer: 7 values}, consistent: leaves drawn, every total computed."""
    rows = nf.table_rows("三")
    leaves = [r for r in rows if r.pointer.startswith("/tables/t3/results/") and not r.pointer.endswith("/results/total")]
    small = st.integers(0, max_count)
    values: dict[str, list[int]] = {}
    for r in leaves:
        values[r.pointer] = draw(st.lists(st.one_of(st.just(0), small), min_size=6, max_size=6))
    results = [sum(values[r.pointer][c] for r in leaves) for c in range(6)]
    forward = draw(st.lists(st.integers(0, 50), min_size=6, max_size=6))
    # 一 + 二 = （七） + 四: split (七)+四 between new and carried over.
    carried = [draw(st.integers(0, results[c] + forward[c])) for c in range(6)]
    new = [results[c] + forward[c] - carried[c] for c in range(6)]
    values["/tables/t3/new_received"] = new
    values["/tables/t3/carried_over"] = carried
    values["/tables/t3/results/total"] = results
    values["/tables/t3/carried_forward"] = forward
    return {p: v + [sum(v)] for p, v in values.items()}


@st.composite
def reports(draw: st.DrawFn, year: int | None = None) -> dict[str, Any]:
    """A complete, consistent report document in the 2021 format."""
    year = year or draw(st.integers(2021, 2026))
    body, makes_regulations = draw(st.sampled_from(BODIES))
    doc: dict[str, Any] = {
        "schema_version": "1",
        "meta": {"title": f"{body}{year}年政府信息公开工作年度报告", "issuing_body": body, "report_year": year,
                 "publication_date": None, "template_version": "2021"},
        "preamble": "根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国"
                    "政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，编制本报告。"
                    f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "parts": {},
        "tables": {},
    }
    for position, part in enumerate(nf.parts(), start=1):
        doc["parts"][part.key] = {"heading": part.heading, "text": PART_TEXT[part.key].format(year=year, body=body),
                                  "position": position}
    for row in nf.table_rows("二"):
        for spec in row.cells:
            if spec.kind == "fee":
                value = draw(st.one_of(st.just(0), st.integers(1, 99999).map(lambda n: n / 100)))
            elif row.key == "regulations" and not makes_regulations:
                value = 0
            else:
                value = draw(st.integers(0, 500))
            set_at(doc, spec.pointer, _cell(value))
    for pointer, vals in draw(t3_values()).items():
        for spec, v in zip(nf.row_by_pointer()[pointer].cells, vals):
            set_at(doc, spec.pointer, _cell(v))
    for row in nf.table_rows("四"):
        parts = draw(st.lists(st.integers(0, 30), min_size=4, max_size=4))
        for spec, v in zip(row.cells, parts + [sum(parts)]):
            set_at(doc, spec.pointer, _cell(v))
    return doc


@st.composite
def report_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A report and the same body's previous-year report, consistent across the years:
    this year's 上年结转 is last year's 结转下年度, and 现行有效 carries over with 制发 and 废止."""
    prior = draw(reports())
    year = prior["meta"]["report_year"] + 1
    current = draw(reports(year=year))
    body = prior["meta"]["issuing_body"]
    current["meta"].update(issuing_body=body, title=f"{body}{year}年政府信息公开工作年度报告")
    for key_, part in current["parts"].items():
        part["text"] = PART_TEXT[key_].format(year=year, body=body)
    # 规章 stay 0 for a body that cannot make them, in both years.
    if prior["tables"]["t2"]["art20_1"]["regulations"]["in_force"]["value"] == 0 and \
            prior["tables"]["t2"]["art20_1"]["regulations"]["issued"]["value"] == 0:
        for c in ("issued", "repealed", "in_force"):
            set_at(current, f"/tables/t2/art20_1/regulations/{c}", _cell(0))
    # Last year's 结转下年度 := this year's 上年结转, column by column.
    for spec_prior, spec_now in zip(nf.row_by_pointer()["/tables/t3/carried_forward"].cells,
                                    nf.row_by_pointer()["/tables/t3/carried_over"].cells):
        _carry(prior, spec_prior.pointer, get_at(current, spec_now.pointer)["value"])
    # 现行有效(今年) = 现行有效(上年) + 制发 − 废止, with last year's figure never negative.
    for row in ("regulations", "normative_documents"):
        base = f"/tables/t2/art20_1/{row}"
        in_force = get_at(prior, f"{base}/in_force")["value"]
        issued = get_at(current, f"{base}/issued")["value"]
        repealed = min(get_at(current, f"{base}/repealed")["value"], in_force + issued)
        set_at(current, f"{base}/repealed", _cell(repealed))
        set_at(current, f"{base}/in_force", _cell(in_force + issued - repealed))
    return current, prior


def _carry(doc: dict[str, Any], pointer: str, value: int) -> None:
    """Set last year's 结转下年度 in one column and keep that year's own table 三 consistent:
    the difference goes into 一、本年新收 (and the column's totals follow)."""
    column = pointer.rsplit("/", 1)[1]
    old = get_at(doc, pointer)["value"]
    delta = value - old
    new_received = get_at(doc, f"/tables/t3/new_received/{column}")["value"]
    if new_received + delta < 0:
        # Not enough intake to lower: raise the results instead, keeping 一 + 二 = （七） + 四.
        raise_by = -(new_received + delta)
        for p in (f"/tables/t3/results/other/other/{column}", f"/tables/t3/results/total/{column}"):
            set_at(doc, p, _cell(get_at(doc, p)["value"] + raise_by))
        delta += raise_by
    set_at(doc, pointer, _cell(value))
    set_at(doc, f"/tables/t3/new_received/{column}", _cell(new_received + delta))
    if column != "total":
        row_total = lambda r: sum(get_at(doc, f"/tables/t3/{r}/{c.pointer.rsplit('/', 1)[1]}")["value"]
                                  for c in nf.row_by_pointer()[f"/tables/t3/{r}"].cells[:-1])
        for r in ("new_received", "carried_forward", "results/other/other", "results/total"):
            set_at(doc, f"/tables/t3/{r}/total", _cell(row_total(r)))


def with_cell(doc: dict[str, Any], pointer: str, value: int | float | None, raw: str | None = None) -> dict[str, Any]:
    """A copy of the document with one cell changed."""
    out = copy.deepcopy(doc)
    set_at(out, pointer, {"value": value, "raw": raw if raw is not None else ("" if value is None else str(value))})
    return out


def report_text(doc: dict[str, Any]) -> str:
    """The document laid out as text the way the seed report is: one table cell per line ending in
    ` |`, merged cells as lines of pipes."""
    out: list[str] = []
    meta = doc.get("meta", {})
    if meta.get("title"):
        out.append(meta["title"])
    if doc.get("preamble"):
        out.extend(doc["preamble"].split("\n"))
    parts = sorted(((p["position"], k, p) for k, p in doc.get("parts", {}).items()), key=lambda t: t[0])
    for _, key, part in parts:
        out.append(part["heading"])
        if part.get("text"):
            out.extend(part["text"].split("\n"))
        table = {"proactive": "二", "applications": "三", "review_litigation": "四"}.get(key)
        if table and nf.table_key(table) in doc.get("tables", {}):
            out.extend(_table_lines(doc, table))
    return "\n".join(out) + "\n"


def _raw(doc: dict[str, Any], spec: nf.CellSpec) -> str | None:
    cell = get_at(doc, spec.pointer)
    if cell is None:
        return None
    return cell.get("raw") if cell.get("raw") is not None else ("" if cell.get("value") is None else str(cell["value"]))


def _table_lines(doc: dict[str, Any], table: str) -> list[str]:
    lines: list[str] = []
    if table == "二":
        group = None
        for row in nf.table_rows("二"):
            if row.group != group:
                group = row.group
                lines += [f"{group} |", "|||", "信息内容 |", *[f"{c.column} |" for c in row.cells]]
            lines.append(f"{row.title} |")
            lines += [f"{v} |" for c in row.cells if (v := _raw(doc, c)) is not None]
    elif table == "三":
        lines += ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） |", "申请人情况 |", "||||||||",
                  "自然人 |", "法人或其他组织 |", "总计 |", "|||||||",
                  "商业企业 |", "科研机构 |", "社会公益组织 |", "法律服务机构 |", "其他 |", "|||||"]
        group = None
        for row in nf.table_rows("三"):
            if row.pointer == "/tables/t3/results/granted":
                lines.append("三、本年度办理结果 |")
            if row.group and row.group != group and "/" in row.label:
                group = row.group
                lines.append(f"{group} |")
            lines.append(f"{row.title} |")
            lines += [f"{v} |" for c in row.cells if (v := _raw(doc, c)) is not None]
            lines.append("||")
    else:
        cols = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        lines += ["行政复议 |", "行政诉讼 |", "|||||||||||||", *[f"{c} |" for c in cols],
                  "未经复议直接起诉 |", "复议后起诉 |", "||||||||", *[f"{c} |" for c in cols * 2]]
        for row in nf.table_rows("四"):
            lines += [f"{v} |" for c in row.cells if (v := _raw(doc, c)) is not None]
    return lines


SEED_NAME = "000_5c46bab77c95ce4d"


def seed_document() -> dict[str, Any]:
    """The seed report's document (南通市人民政府办公室 2023): the base of every rule example."""
    # The seed travels inside the package (gongkai.seeds), so plugin authors outside this
    # repository can run their rule examples against it too.
    return json.loads(resources.files("gongkai.seeds").joinpath(f"{SEED_NAME}.expected.json").read_text(encoding="utf-8"))


def apply_patch(doc: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """A copy of `doc` with each pointer set (bare numbers become table cells) or removed."""
    out = copy.deepcopy(doc)
    cells = nf.cell_by_pointer()
    for pointer, value in patch.items():
        if value is REMOVE:
            remove_at(out, pointer)
        elif pointer in cells and not isinstance(value, dict):
            set_at(out, pointer, {"value": value, "raw": "" if value is None else str(value)})
        else:
            set_at(out, pointer, copy.deepcopy(value))
    return out


def run_example(rule: Rule, example: Example) -> list[Outcome]:
    """What the rule says about its own example: the test behind every documented example."""
    doc = apply_patch(seed_document(), example.patch)
    prior = None
    if example.prior_patch is not None:
        prior = Report(apply_patch(seed_document(), example.prior_patch))
    return rule.run(Report(doc), Context(prior=prior))


# -- prose that states figures taken from the tables --------------------------------------------

_T3 = {r.pointer.removeprefix("/tables/t3/"): r for r in nf.table_rows("三")}
_T4 = {r.pointer.removeprefix("/tables/t4/"): r for r in nf.table_rows("四")}
_T2 = {r.pointer.removeprefix("/tables/t2/"): r for r in nf.table_rows("二")}


def _value(doc: dict[str, Any], pointer: str) -> Any:
    return get_at(doc, pointer)["value"]


def _t3v(doc: dict[str, Any], key_: str, col: int = -1) -> Any:
    return _value(doc, _T3[key_].cells[col].pointer)


def cn(n: int) -> str:
    """Chinese numerals for 0..99, the way reports write small counts."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def pct(n: int, d: int) -> str:
    return str((Decimal(n) * 100 / Decimal(d)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class Slot:
    """A figure in generated prose: the table value it states, optionally in Chinese numerals."""

    def __init__(self, value: int, chinese: bool = False):
        self.value, self.chinese = value, chinese and value < 100


@st.composite
def reports_with_prose(draw: st.DrawFn) -> tuple[dict[str, Any], list[Any]]:
    """A consistent report whose 总体情况 states its table figures in varied phrasings.

    Returns (document, pieces): pieces are strings and `Slot`s (the figures), so that a test can
    write the prose with one figure changed."""
    doc = draw(reports())
    year = doc["meta"]["report_year"]
    new, carried = _t3v(doc, "new_received"), _t3v(doc, "carried_over")
    received, answered, forward = new + carried, _t3v(doc, "results/total"), _t3v(doc, "carried_forward")
    person = _t3v(doc, "new_received", 0) + _t3v(doc, "carried_over", 0)
    granted, partial = _t3v(doc, "results/granted"), _t3v(doc, "results/partial")
    withheld = sum(_t3v(doc, k) for k in _T3 if k.startswith("results/withheld/"))
    review = _value(doc, _T4["review"].cells[-1].pointer)
    litigation = _value(doc, _T4["litigation_direct"].cells[-1].pointer) + \
        _value(doc, _T4["litigation_after_review"].cells[-1].pointer)
    p: list = []
    form = draw(st.sampled_from("abc"))
    if form == "a":
        p += [f"{year}年，共受理政府信息公开申请", Slot(received), "件（含上年结转", Slot(carried), "件）"]
    elif form == "b":
        p += ["全年共收到依申请公开", Slot(received), "件，其中上年结转", Slot(carried), "件"]
    else:
        p += ["本年新收政府信息公开申请", Slot(new), "件，上年结转", Slot(carried), "件"]
    if form != "c" and draw(st.booleans()):
        p += ["，其中自然人申请", Slot(person), "件"]
        if received and draw(st.booleans()):
            p += [f"、占比{pct(person, received)}%"]
    p += ["；", draw(st.sampled_from(["答复", "办结", "本年度办结政府信息公开申请"])), Slot(answered), "件"]
    if received and draw(st.booleans()):
        p += [f"，办结率{pct(answered, received)}%"]
    if draw(st.booleans()):
        p += ["，其中予以公开", Slot(granted), "件，部分公开", Slot(partial), "件，不予公开", Slot(withheld), "件"]
    else:
        p += ["，其中予以公开及部分公开", Slot(granted + partial), "件"]
        if answered and draw(st.booleans()):
            p += [f"、占比{pct(granted + partial, answered)}%"]
    chinese = draw(st.booleans())
    p += draw(st.sampled_from([["；结转下年度", Slot(forward, chinese), "件"],
                               ["；剩余", Slot(forward), "件结转下年度继续办理"],
                               ["；结转下年", Slot(forward), "件"]]))
    if review == litigation == 0 and draw(st.booleans()):
        p += ["；未发生因政府信息公开引起的行政复议和行政诉讼。"]
    else:
        p += ["；因政府信息公开被申请行政复议", Slot(review), "件、提起行政诉讼", Slot(litigation), "件。"]
    p += ["\n（三）政府信息管理。截至", f"{year}年底，现行有效规章",
          Slot(_value(doc, _T2["art20_1/regulations"].cells[2].pointer)), "件、现行有效行政规范性文件",
          Slot(_value(doc, _T2["art20_1/normative_documents"].cells[2].pointer)), "件；全年作出行政许可决定",
          Slot(_value(doc, _T2["art20_5/licensing"].cells[0].pointer)), "件、行政处罚决定",
          Slot(_value(doc, _T2["art20_6/penalty"].cells[0].pointer)), "件。"]
    return doc, p


def write_prose(doc: dict[str, Any], pieces: list[Any], change: dict[int, int] | None = None
                ) -> tuple[dict[str, Any], str]:
    """The document with the pieces as its 依申请公开 paragraph; `change` sets slot i to a number."""
    change = change or {}
    slots = [x for x in pieces if isinstance(x, Slot)]
    text = "".join(x if isinstance(x, str) else
                   str(change[slots.index(x)]) if slots.index(x) in change else
                   cn(x.value) if x.chinese else str(x.value) for x in pieces)
    out = apply_patch(doc, {})
    # The figures go into the （二）依申请公开 paragraph, whatever its generated wording.
    lines = out["parts"]["overview"]["text"].split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("（二）"))
    lines[at] = "（二）依申请公开。" + text
    out["parts"]["overview"]["text"] = "\n".join(lines)
    return out, text
