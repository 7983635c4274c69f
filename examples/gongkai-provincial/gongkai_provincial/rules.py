"""The two rules of the example plugin. Codes use the plugin's own prefix `SJ-` (省级): `GK-` belongs to gongkai.

SJ-001 reads its dates from the profile (`ctx.options`), so that one plugin serves any province: the
defaults are an example, not a quotation of a real notice.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterator

from gongkai.api import Context, Outcome, Report, bad, finding, good, not_assessed, passed, rule

# -- SJ-001 --------------------------------------------------------------------------------------

# Option name in the profile -> (default, who it applies to). None: the province sets no earlier date,
# the national one applies and the built-in rules check it.
DEADLINE_OPTIONS: dict[str, tuple[str | None, str]] = {
    "deadline": ("1月20日", "部门"),
    "government_deadline": (None, "县级以上人民政府"),
    "township_deadline": (None, "乡镇人民政府和街道办事处"),
}

_TOWNSHIP = re.compile(r"(乡|镇|苏木)人民政府$|街道办事处$|街道$")
_MONTH_DAY = re.compile(r"^\s*(?:(\d{1,2})\s*月\s*(\d{1,2})\s*日?|(\d{1,2})\s*[-/.]\s*(\d{1,2}))\s*$")


def body_kind(body: str) -> str:
    """Which deadline option applies to the issuing body: its own report decides, not its parent."""
    body = body.strip()
    if _TOWNSHIP.search(body):
        return "township_deadline"
    if body.endswith("人民政府"):
        return "government_deadline"
    return "deadline"   # 工作部门, including a government's own 办公室 (办公厅)


def month_day(value: Any, option: str) -> tuple[int, int]:
    """`1月20日`, `01-20` or `1/20` -> (1, 20); a clear Chinese error for anything else."""
    m = _MONTH_DAY.match(str(value))
    month, day = (int(m[1] or m[3]), int(m[2] or m[4])) if m else (0, 0)
    try:
        date(2001, month, day)   # a year without 29 February: a deadline must exist every year
    except ValueError:
        raise ValueError(f"评分方案中 SJ-001 的 {option} 应写作“1月20日”或“01-20”，实际为“{value}”") from None
    return month, day


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@rule(code="SJ-001", name="省级发布时限", category="内容", severity="warning",
      basis="本省年报编制发布通知规定的时限（在评分方案中设置；默认部门年报1月20日前发布，仅为示例）；"
            "全国时限见《政府信息公开条例》第四十九条",
      examples=(
          bad("部门（南通市人民政府办公室）2023年度报告2024年1月25日发布，晚于本省的1月20日",
              {"/meta/publication_date": "2024-01-25"}),
          good("同一报告2024年1月18日发布", {"/meta/publication_date": "2024-01-18"}),
          good("县人民政府的报告：本省未规定更早的时限，不适用",
               {"/meta/issuing_body": "某某县人民政府", "/meta/publication_date": "2024-03-01"}),
      ))
def provincial_deadline(report: Report, ctx: Context) -> Iterator[Outcome]:
    """年度报告应在本省规定的时限前发布；本省对工作部门的要求（默认次年1月20日）早于全国的1月31日。

    《条例》第四十九条规定部门年报1月31日前、县级以上人民政府年报3月31日前公布，不少省份和地市的年报通知
    规定了更早的日期。本规则按发布机关的名称区分工作部门（含政府办公室）、县级以上人民政府、乡镇和街道，
    分别使用评分方案中的 `deadline`、`government_deadline`、`township_deadline`（写作“1月20日”或“01-20”）；
    未设置的一类不适用本规则，由内置规则按全国时限检查。

    发布日期取自年报文档的 `meta.publication_date`。报告正文很少写明发布日期，评估时可以先用
    `gongkai extract --format document` 导出文档，填上网站上的发布日期，再检查这份 JSON。
    没有发布日期时记为“未能评估”，不会当作按时发布。

    反例：南通市人民政府办公室的2023年度报告于2024年1月25日发布，晚于本省规定的1月20日。
    正例：同一报告于2024年1月18日发布。
    """
    body = report.meta.get("issuing_body")
    if not body:
        yield not_assessed("未识别出发布机关，无法判断适用哪一个发布时限", "/meta/issuing_body")
        return
    option = body_kind(body)
    default, who = DEADLINE_OPTIONS[option]
    setting = ctx.options.get(option, default)
    if setting is None:
        yield passed(f"{body}属于{who}，本省未规定更早的发布时限（适用全国时限）", "/meta/issuing_body")
        return
    month, day = month_day(setting, option)
    if report.year is None:
        yield not_assessed("未识别出报告年度，无法计算发布时限", "/meta/report_year")
        return
    published = report.meta.get("publication_date")
    if not published:
        yield not_assessed("报告中未写明发布日期，无法核对本省发布时限（可在年报文档的 meta.publication_date 中给出）",
                           "/meta/publication_date")
        return
    try:
        pub = date.fromisoformat(str(published))
    except ValueError:
        yield not_assessed(f"发布日期“{published}”无法识别", "/meta/publication_date")
        return
    deadline = date(report.year + 1, month, day)
    if pub > deadline:
        late = (pub - deadline).days
        yield finding(f"{body}的{report.year}年度报告于{_cn(pub)}发布，晚于本省对{who}规定的发布时限"
                      f"{_cn(deadline)}（晚 {late} 天）。", "/meta/publication_date",
                      evidence={"publication_date": pub.isoformat(), "deadline": deadline.isoformat(),
                                "days_late": late, "applies_to": who, "option": option},
                      key=option)
    else:
        yield passed(f"{_cn(pub)}发布，未晚于本省对{who}规定的{_cn(deadline)}", "/meta/publication_date")


# -- SJ-002 --------------------------------------------------------------------------------------

_UNITS = "次|件|篇|期|条|场|个|项|份"
_NUMBER = r"\d+|[零〇一二两三四五六七八九十百千]+"
# A count tied to 解读 within one clause: "开展政策解读95次", "解读文件23件", "发布12篇政策解读".
_AFTER = re.compile(rf"解读[^。；;，,、]{{0,20}}?(?P<n>{_NUMBER})\s*(?P<u>{_UNITS})")
_BEFORE = re.compile(rf"(?P<n>{_NUMBER})\s*(?P<u>{_UNITS})[^。；;，,、]{{0,8}}解读")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_POWERS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """`95` -> 95, `十二` -> 12, `一百零五` -> 105; None for what is not a number."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _POWERS:
            total += (1 if digit is None else digit) * _POWERS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _sentences(text: str) -> Iterator[tuple[str, int, int]]:
    start = 0
    for m in re.finditer(r"[。；;！!？?\n]", text):
        if m.end() - start > 1:
            yield text[start:m.end()], start, m.end()
        start = m.end()
    if start < len(text):
        yield text[start:], start, len(text)


@rule(code="SJ-002", name="政策解读数量", category="内容", severity="warning",
      basis="评估指标：第一部分“总体情况”的主动公开情况应报告政策解读的数量"
            "（依据中办发〔2016〕8号《关于全面推进政务公开工作的意见》关于做好政策解读的要求）",
      examples=(
          bad("第一部分只说“做好政策解读”，没有数量",
              {"/parts/overview/text": "2023年，本机关认真贯彻落实《条例》，扎实推进主动公开，同步做好政策解读工作。"}),
          bad("第一部分根本没有提到政策解读",
              {"/parts/overview/text": "2023年，本机关认真贯彻落实《条例》，主动公开政府信息1200条。"}),
          good("“开展政策解读95次(其中:文字解读39次、一张图解33次……)”（种子报告原文）"),
          good("“全年发布政策解读材料十二篇”",
               {"/parts/overview/text": "2023年，本机关扎实推进主动公开，全年发布政策解读材料十二篇。"}),
      ))
def policy_interpretation(report: Report) -> Iterator[Outcome]:
    """第一部分“总体情况”应报告本年度政策解读的情况，并给出数量（如“开展政策解读95次”“解读文件23件”）。

    评估机构把政策解读列为主动公开的指标之一，只写“做好政策解读”而不给数量，无法评估其工作量。
    本规则在第一部分找提到“解读”的句子，并要求同一分句中有一个带量词（次、件、篇、期、条等）的数量；
    数字可以是阿拉伯数字，也可以是“十二”这样的中文数字。

    反例：第一部分只写“同步做好政策解读工作”。
    正例：“开展政策解读95次（其中：文字解读39次、一张图解33次……）”。
    """
    text = report.part_text("overview")
    pointer = "/parts/overview/text"
    if text is None:
        yield not_assessed("未找到第一部分“总体情况”，无法检查政策解读情况", "/parts/overview")
        return
    mentions = []
    for sentence, start, end in _sentences(text):
        if "解读" not in sentence:
            continue
        mentions.append((sentence, start, end))
        for pattern in (_AFTER, _BEFORE):
            m = pattern.search(sentence)
            count = chinese_number(m["n"]) if m else None
            if count is not None:
                # Quote the clause, not the whole sentence: reports write sentences of several hundred characters.
                left = max(sentence.rfind(c, 0, m.start()) for c in "，,") + 1
                rights = [i for i in (sentence.find(c, m.end()) for c in "，,") if i != -1]
                right = min(rights) if rights else len(sentence)
                quote = sentence[left:right].strip("。；; \n")
                yield passed(f"第一部分报告了政策解读数量（{count}{m['u']}）：“{quote}”", pointer,
                             span=(start + left, start + right))
                return
    if not mentions:
        yield finding("第一部分没有报告政策解读情况。", "/parts/overview", key="absent",
                      fix="在第一部分主动公开情况中写明本年度政策解读的数量，如“开展政策解读95次，其中文字解读39次、图解33次”。")
        return
    sentence, start, end = mentions[0]
    quote = sentence.strip()
    yield finding(f"第一部分提到了政策解读，但没有给出数量：“{quote}”", pointer, span=(start, end), key="no-count",
                  evidence={"quote": quote, "sentences": len(mentions)},
                  fix="写明本年度政策解读的数量，如“开展政策解读95次”。")


RULES = [provincial_deadline, policy_interpretation]
