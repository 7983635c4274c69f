"""勾稽 rules on the report's prose: the figures its sentences state, against the tables that hold them.

The check is a small, explicit grammar rather than regexes scattered through code:

* `QUANTITIES` — what the tables hold that prose talks about: for each, the Chinese phrasings that
  name it next to a figure, and the table expression(s) it may equal (a cell or a sum of cells,
  derived from `gongkai.nationalformat`). A quantity that a sentence may mean in more than one way
  (`受理…211件` with or without the carry-over) lists every reading: a figure that equals any reading
  is consistent, and a figure is reported only when it equals none of them.
* `ZERO_FORMS` — statements of zero in words (`未发生因政府信息公开引起的行政复议`), in their
  unambiguous forms only.
* `RATES` — 办结率 and 占比, compared with the ratio the table gives, rounded to the stated digits.
* a splitter — paragraphs, sentences (。！？), segments (；), clauses (，and brackets) — and a matcher
  that accepts a number only when a quantity phrase stands right next to it in the same clause,
  follows 其中 / 含 to the figure they belong to, and drops figures about something else: another
  year, a comparison, a cumulative total, a wider scope (全市, 各地各部门), or another subject
  (信件, 留言, 建议提案, 行政许可申请 …).

Precision comes first: a figure the grammar cannot tie to one table expression without doubt is not
compared at all. Every figure that was compared and agrees is reported as a pass note, so a user can
see what the rule looked at.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Iterator

from gongkai import nationalformat as nf
from gongkai.api import Outcome, Report, bad, finding, good, not_assessed, passed, rule

BASIS = ("国办公开办函〔2021〕30号：年度报告应内容准确（“（四）明确责任”：内容不准确的追究责任），"
         "正文所述数据应与所附统计表一致、数据精确；《条例》第五十条")

# ---------------------------------------------------------------------------------------------
# The tables, as rows and cells taken from the schema (no label or pointer is spelled here; row
# and column keys are looked up and fail loudly at import if the schema changes).


def _rows(table: str) -> dict[str, nf.RowSpec]:
    prefix = f"/tables/{nf.table_key(table)}/"
    return {r.pointer.removeprefix(prefix): r for r in nf.table_rows(table)}


_T2, _T3, _T4 = _rows("二"), _rows("三"), _rows("四")


def _key(cell: nf.CellSpec) -> str:
    return cell.pointer.rsplit("/", 1)[1]


def _column(row: nf.RowSpec, key: str) -> nf.CellSpec:
    for cell in row.cells:
        if _key(cell) == key:
            return cell
    raise KeyError(f"{row.label} 没有列 {key}")


# Table 三's columns: the first is 自然人, the last 总计, those between are 法人或其他组织.
_T3_CELLS = _T3["new_received"].cells
T3_TOTAL = (_key(_T3_CELLS[-1]),)
T3_ORGS = tuple(_key(c) for c in _T3_CELLS[1:-1])
T3_COLUMN_NAMES = {(_key(c),): c.column for c in _T3_CELLS}
T3_COLUMN_NAMES[T3_ORGS] = "法人或其他组织"


def _short(row: nf.RowSpec) -> str:
    """A row's label as prose and messages use it: `一、本年新收`, `（二）部分公开`, `四、结转下年度继续办理`."""
    title = re.sub(r"政府信息公开申请数量$", "", row.title)
    return re.sub(r"（区分处理.*）$", "", title)


@dataclass(frozen=True)
class Addend:
    """One term of a table expression: a row (or the leaves of a group) in a column.

    `column` None means the column(s) the sentence names (总计 unless it names 自然人 …)."""

    name: str
    cells: tuple[tuple[str, str | None], ...]    # (row pointer, column key or None)


@dataclass(frozen=True)
class Reading:
    """A table expression a quantity may equal: the sum of its addends."""

    table: str
    addends: tuple[Addend, ...]

    @property
    def label(self) -> str:
        return " + ".join(a.name for a in self.addends)

    def rows(self) -> tuple[str, ...]:
        return tuple(p for a in self.addends for p, _ in a.cells)


def _t3(*keys: str) -> Reading:
    return Reading("三", tuple(Addend(_short(_T3[k]), ((_T3[k].pointer, None),)) for k in keys))


def _t3_group(prefix: str) -> Reading:
    leaves = [r for k, r in _T3.items() if k.startswith(prefix + "/")]
    return Reading("三", (Addend(leaves[0].group or prefix, tuple((r.pointer, None) for r in leaves)),))


def _fixed(table: dict[str, nf.RowSpec], tname: str, terms: list[tuple[str, str]]) -> Reading:
    def name(row: nf.RowSpec, cell: nf.CellSpec) -> str:
        return f"{row.label.replace('/', '·')} {cell.column}"
    return Reading(tname, tuple(Addend(name(table[r], _column(table[r], c)), ((table[r].pointer, c),)) for r, c in terms))


# ---------------------------------------------------------------------------------------------
# The grammar: words, quantities, zero forms, rates.

# A disclosure application as prose names it.
APP = r"(?:(?:政府)?信息公开申请|依申请公开(?:政府信息)?(?:的?申请|事项)?|政府信息依申请公开(?:申请)?|公开申请)"
# What may stand between a quantity phrase and its number.
FILL = r"(?:的)?(?:总数|数量|总量)?(?:共计|合计|总计|共|计|为|达到|达|有|了)?\s*[:：]?\s*"
CN_DIGITS = "零〇一二两三四五六七八九十百"
# A count: arabic or Chinese numerals with a unit that counts applications, cases or decisions.
# 条 (items of information), 次, 期, 篇, 个, 项 and anything in 万 are never counts of the tables.
N = rf"(?<![\d.{CN_DIGITS}])(?P<num>\d+|[{CN_DIGITS}]+)\s*(?P<unit>件|份|起|宗|例)(?!次)"
PCT = r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|％)"

APPLICATION, DISCLOSURE, AGENCY = "application", "disclosure", "agency"


@dataclass(frozen=True)
class Quantity:
    key: str
    name: str                          # as messages name it
    readings: tuple[Reading, ...]      # the table expressions it may equal; the first is the usual one
    phrasings: tuple[str, ...]         # regexes; {N} is the figure, {APP} an application, {FILL} filler
    context: str                       # what the paragraph must be about for the phrase to mean this
    total: bool = False                # a figure other figures are 其中 / 占比 of
    per_column: bool = False           # 表三: a column word (自然人 …) narrows it to that column

    @property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p.replace("{N}", N).replace("{APP}", APP).replace("{FILL}", FILL))
                     for p in self.phrasings)


ALL_RECEIVED = _t3("new_received", "carried_over")
NEW = _t3("new_received")
ANSWERED = _t3("results/total")
LITIGATION = _fixed(_T4, "四", [("litigation_direct", "total"), ("litigation_after_review", "total")])

# Order matters: a longer phrase is tried first, and the text it takes is not read again.
QUANTITIES: tuple[Quantity, ...] = (
    Quantity("new", "本年新收申请数", (NEW,), (
        rf"(?:本年(?:度)?|当年|年内)?新(?:收到|收|受理|接收)(?:了)?(?:{APP}|申请)?{FILL}{N}",
        rf"新增{APP}{FILL}{N}",
    ), APPLICATION, total=True, per_column=True),
    Quantity("carried_over", "上年结转申请数", (_t3("carried_over"),), (
        rf"(?:上一?年度?结转(?:而来)?|结转上一?年度?|上一?年度?未办结)(?:的)?(?:{APP}|申请)?{FILL}{N}",
    ), APPLICATION, per_column=True),
    # 受理/收到 may or may not include last year's carry-over: both readings; 含上年结转 narrows it.
    Quantity("received", "受理申请数", (ALL_RECEIVED, NEW), (
        rf"(?<![新已])(?:受理|收到|接收|接到|收)(?:了)?(?:各类)?{APP}{FILL}{N}",
        rf"(?<![新已])(?:受理|收到|接收|接到)(?:了)?{N}{APP}",
        rf"{APP}(?:的)?(?:数量|总数|总量){FILL}{N}",
    ), APPLICATION, total=True, per_column=True),
    # 办理 is said of what was received and of what was answered.
    Quantity("handled", "办理申请数", (ALL_RECEIVED, NEW, ANSWERED), (
        rf"(?:办理|处理)(?:了)?{APP}{FILL}{N}",
    ), APPLICATION, total=True, per_column=True),
    Quantity("carried_forward", "结转下年度继续办理数", (_t3("carried_forward"),), (
        rf"(?:结转(?:至|到)?下一?年度?|转入下一?年度?|下一?年度?结转)(?:继续)?(?:办理)?(?:的)?(?:{APP}|申请)?{FILL}{N}",
        rf"{N}(?:申请)?(?:结转|转入)(?:至|到)?下一?年度?",
    ), APPLICATION, per_column=True),
    # 按时/按期 answered is a different count (timeliness), so it is not read as 答复.
    Quantity("answered", "答复（办结）数", (ANSWERED,), (
        rf"(?<!按时)(?<!按期)(?<!及时)(?<!逾期)(?<!超期)(?<!限时)"
        rf"(?:已办结|已答复|作出答复|予以答复|完成答复|办理完毕|答复|办结)(?:了)?(?:{APP})?{FILL}{N}",
    ), APPLICATION, total=True, per_column=True),
    Quantity("granted_partial", "予以公开及部分公开数", (_t3("results/granted", "results/partial"),), (
        rf"(?<!不)(?:予以公开|同意公开|准予公开)(?:及|和|与|或|、|以及)(?:予以|同意)?部分公开(?:的)?{FILL}{N}",
    ), APPLICATION, per_column=True),
    Quantity("granted", "予以公开数", (_t3("results/granted"),), (
        rf"(?<!不)(?<!部分)(?:予以公开|同意公开|准予公开|全部公开)(?:的)?{FILL}{N}",
    ), APPLICATION, per_column=True),
    Quantity("partial", "部分公开数", (_t3("results/partial"),), (
        rf"(?:予以|同意)?部分公开(?:的)?{FILL}{N}",
    ), APPLICATION, per_column=True),
    Quantity("withheld", "不予公开数", (_t3_group("results/withheld"),), (
        rf"不予(?:以)?公开(?:的)?{FILL}{N}",
    ), APPLICATION, per_column=True),
    Quantity("unable", "无法提供数", (_t3_group("results/unable"),), (
        rf"(?:无法提供|不能提供)(?:的)?{FILL}{N}",
    ), APPLICATION, per_column=True),
    Quantity("not_processed", "不予处理数", (_t3_group("results/not_processed"),), (
        rf"不予(?:以)?处理(?:的)?{FILL}{N}",
    ), APPLICATION, per_column=True),
    Quantity("review", "行政复议数", (_fixed(_T4, "四", [("review", "total")]),), (
        rf"行政复议(?:申请)?(?:案件)?{FILL}{N}",
    ), DISCLOSURE),
    Quantity("litigation", "行政诉讼数", (LITIGATION,), (
        rf"行政诉讼(?:案件)?{FILL}{N}",
    ), DISCLOSURE),
    # 现行有效 only: 制发/发布/公开 of documents in prose usually has another scope (see the seed's 一（三）).
    Quantity("regulations_in_force", "现行有效规章数", (_fixed(_T2, "二", [("art20_1/regulations", "in_force")]),), (
        rf"现行有效(?:的)?规章{FILL}{N}",
    ), AGENCY),
    Quantity("normative_in_force", "现行有效行政规范性文件数",
             (_fixed(_T2, "二", [("art20_1/normative_documents", "in_force")]),), (
        rf"现行有效(?:的)?(?:行政)?规范性文件{FILL}{N}",
    ), AGENCY),
    Quantity("licensing", "行政许可处理决定数", (_fixed(_T2, "二", [("art20_5/licensing", "decisions")]),), (
        rf"(?:作出|做出)(?:的)?行政许可(?:决定)?{FILL}{N}", rf"行政许可决定{FILL}{N}",
        rf"(?:作出|做出)(?:了)?{N}行政许可(?:决定)?",
    ), AGENCY),
    Quantity("penalty", "行政处罚处理决定数", (_fixed(_T2, "二", [("art20_6/penalty", "decisions")]),), (
        rf"(?:作出|做出)(?:的)?行政处罚(?:决定)?{FILL}{N}", rf"行政处罚决定{FILL}{N}",
        rf"(?:作出|做出)(?:了)?{N}行政处罚(?:决定)?",
    ), AGENCY),
    Quantity("coercion", "行政强制处理决定数", (_fixed(_T2, "二", [("art20_6/coercion", "decisions")]),), (
        rf"(?:作出|做出)(?:的)?行政强制(?:措施)?(?:决定)?{FILL}{N}", rf"行政强制(?:措施)?决定{FILL}{N}",
        rf"(?:作出|做出)(?:了)?{N}行政强制(?:措施)?(?:决定)?",
    ), AGENCY),
)
Q = {q.key: q for q in QUANTITIES}
_PATTERNS = [(q, p) for q in QUANTITIES for p in q.patterns]

# Quantities only stated as zero in words.
CORRECTED = Quantity("corrected", "复议、诉讼结果纠正数", (_fixed(_T4, "四", [
    ("review", "corrected"), ("litigation_direct", "corrected"), ("litigation_after_review", "corrected")]),), (),
    DISCLOSURE)
LOST = Quantity("lost", "行政诉讼败诉（结果纠正）数", (_fixed(_T4, "四", [
    ("litigation_direct", "corrected"), ("litigation_after_review", "corrected")]),), (), DISCLOSURE)

_NEG = r"(?:未|没有|无(?!论|法|需|须|缝))"
_CASES = r"(?:行政复议|行政诉讼)"
_DECISIONS = r"(?:行政许可|行政处罚|行政强制|行政征收|行政检查|行政确认|行政奖励|行政裁决|行政给付)"
# (regex, {words in the match: quantity}); every quantity named in the match is stated to be 0.
ZERO_FORMS: tuple[tuple[re.Pattern[str], dict[str, Quantity]], ...] = (
    (re.compile(rf"(?:未|没有)(?:收到|接到|接收|发生)(?:过)?(?:任何)?[^，,。；;\d]{{0,8}}?"
                rf"(?:{APP}|依申请(?:公开)?(?:政府信息)?(?:的?申请)?)"),
     {"": Quantity("new_zero", "本年新收申请数", (NEW,), (), APPLICATION, per_column=True)}),
    # The negation must be one of existence (未发生 …) or stand right before the case noun (无被申请
    # 行政复议): `申请人未在期限内申请行政复议` says nothing about how many cases there were.
    (re.compile(rf"(?:(?:未|没有)(?:发生|出现|产生|有)(?:过)?(?:任何)?[^，,。；;\d维持纠正败诉撤销]{{0,24}}?"
                rf"|{_NEG}(?:被)?(?:申请|提起)?)"
                rf"{_CASES}(?:申请|案件)?(?:(?:和|、|及|或|与|以及)(?:被)?(?:提起|申请)?{_CASES}(?:案件)?)?"
                rf"(?=案件|的情况|情况|情形|事项|等|和|$|[，,。；;）)])"),
     {"行政复议": Q["review"], "行政诉讼": Q["litigation"]}),
    (re.compile(r"(?:未|没有)(?:发生|出现|产生|有)(?:过)?(?:任何)?[^，,。；;\d]{0,12}?"
                r"(?:结果纠正|被纠错|被纠正|败诉)(?:(?:或|和|、|及|与)(?:结果纠正|被纠错|被纠正|败诉))?"),
     {"结果纠正": CORRECTED, "纠错": CORRECTED, "被纠正": CORRECTED, "败诉": LOST}),
    (re.compile(r"(?:无|没有)(?:申请)?(?:下一?年度?结转|结转(?:至|到)?下一?年度?)"),
     {"": Q["carried_forward"]}),
    (re.compile(rf"(?:未|没有)(?:作出|做出)(?:任何)?{_DECISIONS}(?:决定)?(?:(?:和|、|及|或|与){_DECISIONS}(?:决定)?)*"),
     {"行政许可": Q["licensing"], "行政处罚": Q["penalty"], "行政强制": Q["coercion"]}),
)

# 其中 + a column word: the parent figure, narrowed to that column.
_T3_COLUMN_WORDS = {c.column: (_key(c),) for c in _T3_CELLS[:-1] if c.column != "其他"}   # 其他 is too common a word
_COL = "|".join(sorted(_T3_COLUMN_WORDS, key=len, reverse=True))
_ORG = r"法人(?:或|和|及)?(?:其他组织)?"
COLUMN_CHILD = (
    re.compile(rf"(?:来自|为)?(?P<col>{_COL}|{_ORG})(?:申请人)?(?:提出(?:的)?)?(?:申请)?{FILL}{N}"),
    re.compile(rf"{N}(?:为|是|系|来自)(?P<col>{_COL}|{_ORG})"),
)


@dataclass(frozen=True)
class RateReading:
    numerator: Reading
    denominator: Reading


RATE_COMPLETION = re.compile(rf"(?<!按时)(?<!按期)(?<!及时)(?<!限时)办结率(?:为|达|达到|是)?\s*{PCT}")
RATE_SHARE = (re.compile(rf"占(?:比|比例|比重)?(?:为|达|约)?\s*{PCT}"),
              re.compile(rf"占[^\d，,。；;%％]{{1,12}}?的(?:比例|比重)?(?:为|约)?\s*{PCT}"))
COMPLETION_READINGS = (RateReading(ANSWERED, ALL_RECEIVED), RateReading(ANSWERED, NEW))

# What makes a figure about something else.
APP_ANCHOR = re.compile(rf"{APP}|依申请")
DISCLOSURE_ANCHOR = re.compile(r"信息公开|依申请|政务公开")
FOREIGN = re.compile(r"信件|信箱|留言|来信|来电|热线|工单|诉求|建议|提案|咨询|投诉|举报|信访|行政许可|政务服务|办件|审批")
SCOPE = re.compile(r"全市|全区|全县|全省|全州|全盟|全旗|全镇|全乡|全国|全系统|各地|各部门|各单位|各级|各乡镇|各街道|各县|各区"
                   r"|市县两级|县级|乡镇（街道）|乡镇\(街道\)|下属|所属|辖区|各村")
OTHER_YEAR = re.compile(r"(?<!结转)(?:上一?年度?|去年)(?!度?(?:结转|未办结))")
# A manner or a negation before a verb makes another count: 网上答复 (a part of 答复), 不予受理, 未办结.
LEFT_MODIFIER = re.compile(r"(?:网上|线上|线下|书面|当场|当面|电话|现场|信函|邮寄|邮件|传真|短信|延期|逾期|超期"
                           r"|按时|按期|及时|限时|不予|不能|无法|拒绝|未|不)$")
COMPARISON = re.compile(r"同比|环比|较上|比上|较去|比去|较\d{4}|比\d{4}|增长|下降|增加|减少|上升|持平")
CUMULATIVE = re.compile(r"累计|历年|以来")
PART_OF_YEAR = re.compile(r"[上下]半年|季度|\d{1,2}(?:-|—|－|至|到)\d{1,2}月")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)年")

# ---------------------------------------------------------------------------------------------
# Reading the prose.


def _cn_int(text: str) -> int | None:
    """Chinese numerals as used for small counts: 零, 三, 十一, 二十五, 一百零五."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_WIDE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%"})


def _mask(text: str) -> str:
    """The text as the matcher reads it: same length (spans stay valid), full-width digits folded,
    and titles in 《》 blanked so that `《…新30条》` or a document number is never read as a figure."""
    text = text.translate(_WIDE)
    return re.sub(r"《[^》]*》|〔[^〕]*〕", lambda m: m[0][0] + "□" * (len(m[0]) - 2) + m[0][-1], text)


@dataclass
class Place:
    pointer: str          # the part's text pointer
    where: str            # "第一部分" …
    segment: tuple[int, int]
    quote: str


@dataclass(eq=False)   # figures are compared by identity: two clauses may state the same thing
class Figure:
    quantity: Quantity
    value: Decimal
    text: str                             # the words that state it, as written
    span: tuple[int, int]
    place: Place | None = None            # set by the paragraph parser, which knows the sentence
    columns: tuple[str, ...] = T3_TOTAL
    parent: "Figure | None" = None        # the figure a 其中 / 含 clause belongs to
    inherits: bool = False                # a column-only child: the parent's quantity in a column
    only: tuple[Reading, ...] | None = None   # readings narrowed by 含 / 不含上年结转
    zero: bool = False
    # filled in by `_judge`
    verdict: str = ""                     # consistent | mismatch | not_assessed
    values: list[tuple[Reading, Decimal | None, list]] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)

    @property
    def readings(self) -> tuple[Reading, ...]:
        if self.inherits and self.parent is not None:
            return self.parent.readings
        return self.only if self.only is not None else self.quantity.readings

    @property
    def column_name(self) -> str:
        return T3_COLUMN_NAMES.get(self.columns, "总计")


@dataclass(eq=False)
class Rate:
    kind: str                             # completion | share
    value: Decimal
    decimals: int
    text: str
    span: tuple[int, int]
    place: Place
    numerator: Figure | None = None       # share: the figure it is the share of
    bases: list[Figure] = field(default_factory=list)      # share: what it may be a share of
    stated: list[Figure] = field(default_factory=list)     # completion: the figures stated before it


@dataclass
class Parsed:
    figures: list[Figure] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    texts: int = 0


FOREIGN_FRAME = object()   # the last figure was about something the tables do not hold


def _pieces(text: str, start: int, end: int, delimiters: str) -> Iterator[tuple[int, int]]:
    # Searching text[start:end] in place (no slice, no lookup in re's cache): this runs for every
    # paragraph, sentence and clause of every report. No delimiter pattern is anchored or looks
    # behind, so the bounds give the same matches as the slice did.
    i = start
    for m in _compiled(delimiters).finditer(text, start, end):
        j = m.start()
        if j > i:
            yield i, j
        i = m.end()
    if end > i:
        yield i, end


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_OF_WHICH = re.compile(r"\s*其中")


# A half-width comma between digits with three digits after it is a thousands separator.
_CLAUSE_DELIMITERS = r"[，（）()]|,(?!\d{3}(?!\d))"


def _report_year(report: Report) -> int | None:
    if report.year:
        return report.year
    texts = [report.meta.get("title") or "", report.document.get("preamble") or "", report.part_text("overview") or ""]
    years = Counter(int(y) for t in texts for y in YEAR.findall(t))
    return years.most_common(1)[0][0] if years else None


def _texts(report: Report) -> Iterator[tuple[str, str, str, str]]:
    """(pointer, part key, where, text) of every piece of prose."""
    if report.document.get("preamble"):
        yield "/preamble", "preamble", "报告开头", report.document["preamble"]
    for part in nf.parts():
        text = report.part_text(part.key)
        if text:
            yield f"{part.pointer}/text", part.key, f"第{part.number}部分", text


def parse(report: Report) -> Parsed:
    """Every figure and rate of the prose that the grammar ties to a table expression."""
    out = Parsed()
    year = _report_year(report)
    for pointer, key, where, text in _texts(report):
        out.texts += 1
        masked = _mask(text)
        for p0, p1 in _pieces(masked, 0, len(masked), r"\n"):
            _parse_paragraph(masked, text, p0, p1, key, pointer, where, year, out)
    return out


def _parse_paragraph(masked: str, text: str, p0: int, p1: int, part: str, pointer: str, where: str,
                     year: int | None, out: Parsed) -> None:
    anchored = part == "applications" or bool(APP_ANCHOR.search(masked[p0:p1]))
    frame: object = None          # the last 'total' figure: what 其中 and 占比 refer to
    totals: list[Figure] = []     # every 'total' figure of the paragraph: what a 占比 may be a share of
    for s0, s1 in _pieces(masked, p0, p1, r"[。！？!?；;]"):
        seg = masked[s0:s1]
        lead = len(seg) - len(seg.lstrip())
        place = Place(pointer, where, (s0 + lead, s1), text[s0 + lead:s1].strip())
        child = bool(_OF_WHICH.match(seg))
        last: Figure | None = None
        for c0, c1 in _pieces(masked, s0, s1, _CLAUSE_DELIMITERS):
            clause = masked[c0:c1]
            before = masked[s0:c0]
            bracketed = before.count("（") + before.count("(") > before.count("）") + before.count(")")
            if _OF_WHICH.match(clause) and not bracketed:   # （其中…） is local to its bracket
                child = True
            for kind, start, end, payload in _scan(clause, c0, frame if isinstance(frame, Figure) else None,
                                                   child or bracketed):
                if kind == "rate":
                    rate = _rate(payload, text, start, end, place)
                    if _excluded(masked, s0, c0, c1, end, year) or not isinstance(frame, Figure) \
                            or frame.quantity.context != APPLICATION:
                        continue
                    if rate.kind == "completion":
                        rate.stated = list(totals)
                    else:
                        if last is None:
                            continue
                        rate.numerator = last
                        bases = ([last.parent] if last.parent else []) + totals
                        rate.bases = [b for i, b in enumerate(bases) if b is not last and b not in bases[:i]]
                        if not rate.bases:
                            continue
                    out.rates.append(rate)
                    continue
                if kind == "other":
                    if not (child or bracketed):
                        frame = FOREIGN_FRAME
                    last = None
                    continue
                fig = payload
                fig.place = place
                if _excluded(masked, s0, c0, c1, end, year) or not _in_context(fig.quantity, masked, p1, s0, end,
                                                                                 anchored, part):
                    if not (child or bracketed):
                        frame = FOREIGN_FRAME
                    last = None
                    continue
                if child and not bracketed and fig.quantity.key == "answered" and not fig.inherits:
                    child = False     # `其中自然人申请190件，答复200件`: 答复 is the next stage, not a part
                if child or bracketed:
                    fig.parent = frame if isinstance(frame, Figure) else None
                    if fig.inherits and fig.parent is None:
                        last = None
                        continue
                    _narrow(fig, masked[c0:start])
                elif fig.quantity.total:
                    frame = fig
                    totals.append(fig)
                    _narrow_self(fig, masked[end:end + 12])
                out.figures.append(fig)
                last = fig


# Every figure needs a count unit, every rate a percent sign, every zero form 未/没有/无: a clause
# with none of them holds nothing to compare, and most prose clauses are such.
_MAY_HOLD = re.compile(r"[件份起宗例%％未无]|没有")


def _scan(clause: str, offset: int, frame: Figure | None, child: bool) -> list[tuple[str, int, int, object]]:
    """The figures, zero statements, rates and unexplained counts of one clause, in order."""
    if not _MAY_HOLD.search(clause):
        return []
    taken = [False] * len(clause)
    events: list[tuple[str, int, int, object]] = []

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(a: int, b: int) -> None:
        taken[a:b] = [True] * (b - a)

    for q, pattern in _PATTERNS:
        for m in pattern.finditer(clause):
            value = _cn_int(m["num"])
            if value is None or not free(m.start(), m.end()) or LEFT_MODIFIER.search(clause[:m.start()]):
                continue
            take(m.start(), m.end())
            events.append(("figure", offset + m.start(), offset + m.end(),
                           Figure(q, Decimal(value), m[0], (offset + m.start(), offset + m.end()))))
    if frame is not None and child and frame.quantity.per_column:
        for pattern in COLUMN_CHILD:
            for m in pattern.finditer(clause):
                value = _cn_int(m["num"])
                if value is None or not free(m.start(), m.end()):
                    continue
                take(m.start(), m.end())
                col = _T3_COLUMN_WORDS.get(m["col"], T3_ORGS)
                events.append(("figure", offset + m.start(), offset + m.end(),
                               Figure(frame.quantity, Decimal(value), m[0], (offset + m.start(), offset + m.end()),
                                      columns=col, inherits=True)))
    for pattern, names in ZERO_FORMS:
        for m in pattern.finditer(clause):
            if not free(m.start(), m.end()):
                continue
            take(m.start(), m.end())
            seen: set[str] = set()
            for word, q in names.items():
                if word in m[0] and q.key not in seen:
                    seen.add(q.key)
                    events.append(("figure", offset + m.start(), offset + m.end(),
                                   Figure(q, Decimal(0), m[0], (offset + m.start(), offset + m.end()), zero=True)))
    for kind, pattern in (("completion", RATE_COMPLETION), *(("share", p) for p in RATE_SHARE)):
        for m in pattern.finditer(clause):
            if free(m.start(), m.end()):
                take(m.start(), m.end())
                events.append(("rate", offset + m.start(), offset + m.end(), (kind, m["num"])))
    for m in re.finditer(N, clause):
        if free(m.start(), m.end()):
            events.append(("other", offset + m.start(), offset + m.end(), None))
    events.sort(key=lambda e: (e[1], e[2]))
    return events


def _rate(payload: object, text: str, start: int, end: int, place: Place) -> Rate:
    kind, num = payload  # type: ignore[misc]
    decimals = len(num.split(".")[1]) if "." in num else 0
    return Rate(kind, Decimal(num), decimals, text[start:end], (start, end), place)


def _narrow(fig: Figure, before: str) -> None:
    """`（含上年结转11件）` / `其中上年结转11件`: the figure it belongs to includes the carry-over."""
    parent = fig.parent
    if parent is None or fig.quantity.key != "carried_over" or parent.quantity.key not in ("received", "handled"):
        return
    if re.search(r"含|包括|其中", before) and not re.search(r"不含|不包括", before):
        carried = set(Q["carried_over"].readings[0].rows())
        parent.only = tuple(r for r in parent.readings if carried <= set(r.rows()))


def _narrow_self(fig: Figure, after: str) -> None:
    """`受理申请200件（不含上年结转）`: the figure is the new applications only."""
    if fig.quantity.key in ("received", "handled") and re.match(r"\s*[（(]?\s*(?:不含|不包括)(?:上一?年度?结转|结转上年)", after):
        fig.only = (NEW,)


def _in_context(q: Quantity, masked: str, p1: int, s0: int, end: int, anchored: bool, part: str) -> bool:
    """Whether the sentence is about what the quantity counts: disclosure applications (and no other
    subject before the figure), or cases caused by disclosure work."""
    if q.context == APPLICATION:
        return anchored and not FOREIGN.search(masked[s0:end])
    if q.context == DISCLOSURE:
        stop = masked.find("。", end, p1)
        return part == "review_litigation" or bool(DISCLOSURE_ANCHOR.search(masked[s0:stop if stop != -1 else p1]))
    return True


def _excluded(masked: str, s0: int, c0: int, c1: int, end: int, year: int | None) -> bool:
    """A figure about another year, a comparison, a cumulative total, part of the year, or a wider scope."""
    before, clause = masked[s0:end], masked[c0:c1]
    if SCOPE.search(before) or SCOPE.search(clause):
        return True
    if OTHER_YEAR.search(before) or OTHER_YEAR.search(clause):
        return True
    if COMPARISON.search(clause) or CUMULATIVE.search(clause) or PART_OF_YEAR.search(clause):
        return True
    years = [int(y) for y in YEAR.findall(before)] + [int(y) for y in YEAR.findall(clause)]
    if years and (year is None or any(y != year for y in years)):
        return True
    return False


# ---------------------------------------------------------------------------------------------
# Judging the figures against the tables.


def _specs(reading: Reading, columns: tuple[str, ...]) -> list[tuple[Addend, list[nf.CellSpec]]]:
    by_pointer = nf.row_by_pointer()
    out = []
    for addend in reading.addends:
        specs = []
        for row_pointer, col in addend.cells:
            row = by_pointer[row_pointer]
            specs += [_column(row, c) for c in ((col,) if col else columns)]
        out.append((addend, specs))
    return out


def _evaluate(report: Report, reading: Reading, columns: tuple[str, ...]) -> tuple[Decimal | None, list]:
    """The reading's value (None when a cell is missing or blank) and its addends with their values."""
    parts: list[tuple[Addend, Decimal | None, list[nf.CellSpec]]] = []
    total: Decimal | None = Decimal(0)
    for addend, specs in _specs(reading, columns):
        cells = [report.cell(s.pointer) for s in specs]
        if any(c is None or c.value is None for c in cells):
            parts.append((addend, None, specs))
            total = None
            continue
        value = sum((Decimal(str(c.value)) for c in cells), Decimal(0))  # type: ignore[union-attr]
        parts.append((addend, value, specs))
        if total is not None:
            total += value
    return total, parts


def _judge(report: Report, fig: Figure) -> None:
    fig.values = [(r, *_evaluate(report, r, fig.columns)) for r in fig.readings]
    if any(v == fig.value for _, v, _ in fig.values):
        fig.verdict = "consistent"
    elif any(v is None for _, v, _ in fig.values):
        fig.verdict = "not_assessed"
    else:
        fig.verdict = "mismatch"


def _fmt(n: Decimal | None) -> str:
    if n is None:
        return "（空）"
    return str(int(n)) if n == n.to_integral() else format(n.normalize(), "f")


def _table_prefix(reading: Reading, columns: tuple[str, ...]) -> str:
    if reading.table == "三":
        return f"表三{T3_COLUMN_NAMES.get(columns, '总计')}列 "
    return f"表{reading.table} "


def _expression(reading: Reading, columns: tuple[str, ...], total: Decimal | None, parts: list) -> str:
    """`表三总计列 （一）予以公开 31 + （二）部分公开 50 = 81`."""
    body = " + ".join(f"{a.name} {_fmt(v)}" for a, v, _ in parts)
    tail = f" = {_fmt(total)}" if len(parts) > 1 and total is not None else ""
    return f"{_table_prefix(reading, columns)}{body}{tail}"


def _alternatives(report: Report, fig: Figure) -> list[tuple[str, Decimal, list]]:
    """Other cells and sums of the tables that equal the stated number: the likely cause of a mismatch."""
    if fig.value == 0:
        return []
    reading = fig.readings[0]
    seen = {(r.label, fig.columns) for r in fig.readings}
    candidates: list[tuple[Reading, tuple[str, ...]]] = []
    if reading.table == "三":
        colsets = [(_key(c),) for c in _T3_CELLS] + [T3_ORGS]
        candidates += [(reading, cs) for cs in colsets if cs != fig.columns]
        if len(reading.addends) > 1:
            candidates += [(Reading("三", (a,)), fig.columns) for a in reading.addends]
        # A slip to the next or previous row is likelier than a confusion with another quantity.
        order = [r.pointer for r in nf.table_rows("三")]
        for pointer in reading.rows():
            i = order.index(pointer)
            for j in (i + 1, i - 1):
                if 0 <= j < len(order):
                    row = nf.row_by_pointer()[order[j]]
                    candidates.append((Reading("三", (Addend(_short(row), ((row.pointer, None),)),)), fig.columns))
        candidates += [(r, fig.columns) for q in QUANTITIES for r in q.readings if r.table == "三"]
    else:
        rows = _T2 if reading.table == "二" else _T4
        candidates += [(_fixed(rows, reading.table, [(k, _key(c))]), fig.columns)
                       for k, row in rows.items() for c in row.cells if c.kind == "count"]
        candidates += [(r, fig.columns) for q in (*QUANTITIES, CORRECTED, LOST) for r in q.readings if r.table == reading.table]
    out = []
    for cand, cols in candidates:
        if (cand.label, cols) in seen:
            continue
        seen.add((cand.label, cols))
        total, parts = _evaluate(report, cand, cols)
        if total == fig.value:
            out.append((_expression(cand, cols, None, parts) if len(parts) == 1 else
                        f"{_table_prefix(cand, cols)}{cand.label}（{' + '.join(_fmt(v) for _, v, _ in parts)}）",
                        total, [s.pointer for _, _, specs in parts for s in specs]))
    return out[:3]


def _ratio(report: Report, num: Reading, num_cols: tuple[str, ...], den: Reading,
           den_cols: tuple[str, ...]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    n, _ = _evaluate(report, num, num_cols)
    d, _ = _evaluate(report, den, den_cols)
    if n is None or d is None or d == 0:
        return None, n, d
    return n * 100 / d, n, d


def _agrees(stated: Decimal, decimals: int, actual: Decimal) -> bool:
    """Rounded (half a unit of the last stated digit) or truncated to the stated digits."""
    unit = Decimal(1).scaleb(-decimals)
    return abs(actual - stated) <= unit / 2 or stated <= actual < stated + unit


def _pct(value: Decimal, decimals: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@dataclass
class RateVerdict:
    rate: Rate
    verdict: str                               # consistent | mismatch | folded | not_assessed
    table: list[tuple[str, Decimal, Decimal, Decimal]] = field(default_factory=list)   # (how, n, d, ratio)


def _rate_pairs(rate: Rate) -> list[tuple[str, Reading, tuple[str, ...], Reading, tuple[str, ...],
                                          Figure | None, Figure | None]]:
    """(description, numerator, its columns, denominator, its columns, stated numerator, stated denominator)."""
    if rate.kind == "completion":
        answered = next((f for f in reversed(rate.stated) if f.quantity.key == "answered"), None)
        received = next((f for f in reversed(rate.stated) if f.quantity.key in ("received", "new", "handled")), None)
        return [(f"表三（{r.numerator.label}）÷（{r.denominator.label}）", r.numerator, T3_TOTAL,
                 r.denominator, T3_TOTAL, answered, received) for r in COMPLETION_READINGS]
    num = rate.numerator
    assert num is not None
    nums = [r for r, v, _ in num.values if v == num.value] or list(num.readings)
    out = []
    for base in rate.bases:
        for nr in nums:
            for br in base.readings:
                how = (f"{_table_prefix(nr, num.columns)}（{nr.label}）÷ {_table_prefix(br, base.columns)}（{br.label}）"
                       if num.columns != base.columns else f"{_table_prefix(nr, num.columns)}（{nr.label}）÷（{br.label}）")
                out.append((how, nr, num.columns, br, base.columns, num, base))
    return out


def _judge_rate(report: Report, rate: Rate) -> RateVerdict:
    pairs = _rate_pairs(rate)
    out = RateVerdict(rate, "not_assessed")
    complete = True
    for how, nr, ncols, dr, dcols, _, _ in pairs:
        ratio, n, d = _ratio(report, nr, ncols, dr, dcols)
        if ratio is None or n is None or d is None:
            complete = complete and d == 0
            continue
        if _agrees(rate.value, rate.decimals, ratio):
            out.verdict, out.table = "consistent", [(how, n, d, ratio)]
            return out
        out.table.append((how, n, d, ratio))
    if not out.table or not complete:
        return out
    out.verdict = "mismatch"
    # A rate that follows from the prose's own figures, one of which disagrees with the table, has
    # one cause: it is reported with that figure, not a second time.
    for _, _, _, _, _, sn, sd in pairs:
        if sn is None or sd is None or sd.value == 0:
            continue
        if _agrees(rate.value, rate.decimals, sn.value * 100 / sd.value):
            wrong = next((f for f in (sn, sd) if f.verdict == "mismatch"), None)
            if wrong is not None:
                _, n, d, ratio = out.table[0]
                wrong.folded.append(
                    f"同句“{rate.text}”是按文中数字算的（{_fmt(sn.value)} ÷ {_fmt(sd.value)}），"
                    f"按统计表应为 {_pct(ratio, rate.decimals)}%（{_fmt(n)} ÷ {_fmt(d)}）。")
                out.verdict = "folded"
                return out
    return out


def analyse(report: Report) -> tuple[Parsed, list[RateVerdict]]:
    parsed = parse(report)
    for fig in parsed.figures:
        _judge(report, fig)
    return parsed, [_judge_rate(report, r) for r in parsed.rates]


# ---------------------------------------------------------------------------------------------
# Outcomes.


def _cells_evidence(report: Report, specs: list[nf.CellSpec]) -> list[dict]:
    out = []
    for s in specs:
        cell = report.cell(s.pointer)
        out.append({"pointer": s.pointer, "label": f"表{s.table} {s.row} × {s.column}",
                    "value": None if cell is None else cell.value})
    return out


def _figure_finding(report: Report, fig: Figure) -> Outcome:
    q = fig.quantity
    stated = _fmt(fig.value)
    if fig.zero:
        opening = f"{fig.place.where}称“{fig.text}”（即为 0），与统计表不符："
    else:
        opening = f"{fig.place.where}文中“{fig.text}”与统计表不符："
    primary, ptotal, pparts = fig.values[0]
    shown = [_expression(primary, fig.columns, ptotal, pparts)]
    # Other readings are named only where they give another number (二 = 0 makes 一+二 and 一 equal).
    shown += [f"若按“{r.label}”计，为 {_fmt(t)}" for r, t, _ in fig.values[1:] if t != ptotal]
    several = "；".join(shown) + ("，几种理解都与文中不符" if len(shown) > 1 else "")
    message = f"{opening}{several}，文中为 {stated}。"
    causes = _alternatives(report, fig)
    if causes:
        message += f"可能原因：{stated} 恰好等于{causes[0][0]}，疑为误用了该数字"
        message += (f"（也等于{'、'.join(c[0] for c in causes[1:])}）。" if len(causes) > 1 else "。")
    message += "".join(fig.folded)
    message += f"原句：“{fig.place.quote}”。"
    specs = [s for _, _, ss in pparts for s in ss]
    return finding(
        message, [fig.place.pointer, *[s.pointer for s in specs]], span=fig.place.segment,
        key=f"{q.key}:{fig.column_name}:{stated}",
        evidence={
            "quote": fig.place.quote, "statement": fig.text, "quantity": q.name, "column": fig.column_name,
            "stated": int(fig.value), "expected": None if ptotal is None else int(ptotal),
            "readings": [{"expression": f"{_table_prefix(r, fig.columns)}{r.label}",
                          "value": None if t is None else int(t),
                          "cells": _cells_evidence(report, [s for _, _, ss in p for s in ss])}
                         for r, t, p in fig.values],
            "likely_causes": [{"description": d, "value": int(v), "pointers": ps} for d, v, ps in causes],
            "rates": fig.folded,
        })


def _figure_note(fig: Figure) -> str:
    reading, total, parts = next((r, t, p) for r, t, p in fig.values if t == fig.value)
    what = f"（{fig.quantity.name}为 0）" if fig.zero else ""
    return f"{fig.place.where}“{fig.text}”{what}与{_expression(reading, fig.columns, total, parts)}，一致"


@rule(code="GK-P-001", name="正文数字与统计表一致", category="勾稽", severity="warning", basis=BASIS,
      examples=(
          bad("南通市政府办公室 2023 年报原文：“予以公开及部分公开75件”，表三（一）+（二）总计为 31+50=81"
              "（75 是自然人列的 28+47）"),
          bad("“结转下年10件”，表三“四、结转下年度继续办理”总计为 11",
              {"/parts/overview/text": "（二）依申请公开。2023年，共受理依申请公开211件（含上年结转11件）；"
                                       "答复200件；结转下年10件。"}),
          bad("“未发生因政府信息公开引起的行政复议”，表四行政复议总计为 1",
              {"/parts/overview/text": "（二）依申请公开。2023年，共受理政府信息公开申请211件，"
                                       "未发生因政府信息公开引起的行政复议。"}),
          good("文中各数与表一致：“共受理依申请公开211件（含上年结转11件），其中自然人申请190件、占比90%；"
               "答复200件，办结率94.8%，其中予以公开及部分公开81件、占比40.5%；结转下年11件；"
               "因政府信息公开产生的行政复议1件、行政诉讼5件，未发生结果纠正或败诉情形。”",
               {"/parts/overview/text": "（二）依法依规办理诉求。2023年,共受理依申请公开211件(含上年结转11件),"
                                        "其中自然人申请190件、占比90%;答复200件,办结率94.8%,其中予以公开及部分公开81件、"
                                        "占比40.5%;结转下年11件;因政府信息公开产生的行政复议1件、行政诉讼5件,"
                                        "未发生结果纠正或败诉情形。"}),
          good("“88件市政府文件（9件规章、79件行政规范性文件）”没有说现行有效，不与表二比较；"
               "“全市共受理依申请公开5000件”是全市口径，不比较",
               {"/parts/overview/text": "（二）依申请公开。全市共受理依申请公开5000件。88件市政府文件(9件规章、"
                                        "79件行政规范性文件)已在平台公开。"}),
      ))
def prose_figures(report: Report) -> Iterator[Outcome]:
    """正文中陈述的、统计表也有的数字，应与统计表一致。

    比较的数字：收到（受理）、本年新收、上年结转、答复（办结）、结转下年度、予以公开、部分公开、
    予以公开及部分公开、不予公开、无法提供、不予处理（表三，文中写明“自然人”“法人或其他组织”等的，
    比较该列）；因政府信息公开被申请行政复议、提起行政诉讼，以及“未发生结果纠正或败诉”（表四）；
    现行有效的规章、行政规范性文件，作出的行政许可、行政处罚、行政强制决定（表二）。
    “未收到申请”“未发生行政复议”等明确说“没有”的，按 0 比较。

    只比较句子把数字和一个表中数量无歧义地连在一起的情形：数量词紧挨着数字、在同一分句内；
    “其中”“含”指向它所属的数字。一句话可以有几种理解的（如“受理…211件”是否含上年结转），
    与每种理解都不符才报告。以下数字一概不比较：其他年份、同比增减、累计、半年或季度的数字；
    全市、各地各部门等更大范围的数字；信件、留言、建议提案、行政许可申请等其他事项的数字；
    以“条”“次”“期”“篇”“个”等计的信息条数；“发布”“印发”的文件数（除非写明“现行有效”）。
    表中单元格缺失或为空的，不比较（说明未能评估），不当作 0。
    文中数字恰好等于表中另一列、另一行或另一组合的，指出这一可能原因。

    正文的口径可能与统计表不同，工具无从判断，故默认为警告，评估方可在评分方案中调高。

    反例：表三（一）予以公开 31、（二）部分公开 50，正文却写“其中予以公开及部分公开75件”
    （75 是自然人列的 28+47）。
    正例：正文写“其中予以公开及部分公开81件、占比40.5%”。
    """
    parsed, rates = report.derived("gongkai.prose", analyse)
    if not parsed.texts:
        yield not_assessed("报告没有正文文字，无法比对正文数字与统计表", "/parts")
        return
    missing = []
    for fig in parsed.figures:
        if fig.verdict == "mismatch":
            yield _figure_finding(report, fig)
        elif fig.verdict == "consistent":
            yield passed(_figure_note(fig), fig.place.pointer, span=fig.span)
        else:
            missing.append(fig)
    if missing:
        texts = list(dict.fromkeys(f.text for f in missing))
        what = "、".join(f"“{t}”" for t in texts[:5]) + (f"等 {len(texts)} 处" if len(texts) > 5 else "")
        pointers = sorted({p for f in missing for _, t, parts in f.values if t is None
                           for _, v, specs in parts if v is None for p in (s.pointer for s in specs)})
        yield not_assessed(f"正文中{what}对应的统计表单元格缺失或为空，未比较", pointers or [missing[0].place.pointer])
    if not parsed.figures:
        yield passed("正文中没有能与统计表无歧义对应的数字", "/parts")


def _rate_finding(v: RateVerdict) -> Outcome:
    rate = v.rate
    shown = "；".join(f"{how} = {_fmt(n)} ÷ {_fmt(d)} = {_pct(ratio, rate.decimals)}%" for how, n, d, ratio in v.table[:3])
    message = (f"{rate.place.where}文中“{rate.text}”与统计表不符：按统计表，{shown}，文中为 {_fmt(rate.value)}%。"
               f"原句：“{rate.place.quote}”。")
    return finding(message, [rate.place.pointer], span=rate.place.segment,
                   key=f"{rate.kind}:{_fmt(rate.value)}",
                   evidence={"quote": rate.place.quote, "statement": rate.text, "stated": float(rate.value),
                             "table": [{"expression": how, "numerator": float(n), "denominator": float(d),
                                        "percent": float(round(ratio, 4))} for how, n, d, ratio in v.table]})


@rule(code="GK-P-002", name="正文比率与统计表一致", category="勾稽", severity="warning", basis=BASIS,
      examples=(
          bad("“办结率97.5%”，按表三（七）总计 200 ÷（一+二）211 = 94.8%",
              {"/parts/overview/text": "（二）依申请公开。2023年,共受理依申请公开211件(含上年结转11件);"
                                       "答复200件,办结率97.5%。"}),
          bad("“其中自然人申请190件、占比95%”，按表 190 ÷ 211 = 90.0%",
              {"/parts/overview/text": "（二）依申请公开。2023年,共受理依申请公开211件(含上年结转11件),"
                                       "其中自然人申请190件、占比95%。"}),
          good("“办结率94.8%”（200 ÷ 211 = 94.79%，按一位小数为 94.8%），“占比90%”（190 ÷ 211 = 90.05%）",
               {"/parts/overview/text": "（二）依申请公开。2023年,共受理依申请公开211件(含上年结转11件),"
                                        "其中自然人申请190件、占比90%;答复200件,办结率94.8%。"}),
      ))
def prose_rates(report: Report) -> Iterator[Outcome]:
    """正文中陈述的办结率、占比，应与按统计表计算的比率一致。

    办结率按表三（七）总计 ÷（一、本年新收 + 二、上年结转）计算（只计本年新收的口径也接受）；
    “其中…N件、占比P%”按该数字 ÷ 它所属的数字（如答复数、受理数）计算。按文中给出的小数位
    比较，四舍五入或截断均视为一致。“按时办结率”“按期办结率”等无法从统计表算出，不比较；
    信件、留言等其他事项的办结率不比较。

    比率是按文中另一个已与表不符的数字算出来的，只在该数字的问题（GK-P-001）中一并说明，不重复报告。

    反例：表三（七）总计 200，一+二 为 211，正文却写“办结率97.5%”（应为 94.8%）。
    正例：正文写“答复200件，办结率94.8%”。
    """
    parsed, rates = report.derived("gongkai.prose", analyse)
    if not parsed.texts:
        yield not_assessed("报告没有正文文字，无法比对正文比率与统计表", "/parts")
        return
    missing = []
    for v in rates:
        rate = v.rate
        if v.verdict == "mismatch":
            yield _rate_finding(v)
        elif v.verdict == "consistent":
            how, n, d, ratio = v.table[0]
            yield passed(f"{rate.place.where}“{rate.text}”与{how} = {_fmt(n)} ÷ {_fmt(d)} = {_pct(ratio, rate.decimals + 2)}%，一致",
                         rate.place.pointer, span=rate.span)
        elif v.verdict == "folded":
            yield passed(f"{rate.place.where}“{rate.text}”是按文中一个与表不符的数字算出的，已在 GK-P-001 中一并说明",
                         rate.place.pointer, span=rate.span)
        else:
            missing.append(rate)
    if missing:
        yield not_assessed("正文中" + "、".join(f"“{r.text}”" for r in missing[:5]) + "所需的统计表单元格缺失或为空，未比较",
                           missing[0].place.pointer)
    if not rates:
        yield passed("正文中没有能与统计表无歧义对应的办结率或占比", "/parts")


RULES = [prose_figures, prose_rates]
