"""内容 rules on the report's own words: the 信息处理费 statement and the contact details."""

from __future__ import annotations

import re
from typing import Iterator

from gongkai import nationalformat as nf
from gongkai.api import Outcome, Report, bad, finding, good, not_assessed, passed, rule

_FEE = re.compile(r"信息处理费")
_NONE_CHARGED = re.compile(r"(未|没有|无|不)(收取|产生|发生|发出|涉及)|收取[^。；;]{0,12}(0|零)(\.0+)?\s*(万?元)|为\s*(0|零)")
_AMOUNTS = re.compile(r"(收费通知|实际收取|收取)[^。；;]{0,30}?\d")
_PHONE = re.compile(r"(?<!\d)(?P<v>0\d{2,3}[-－—\s]?\d{7,8}|1[3-9]\d{9}|400[-－]?\d{3}[-－]?\d{4}|12345)(?!\d)")
_ADDRESS = re.compile(r"(?:地址|地点|办公地址|通讯地址|联系地址)\s*[:：]?\s*(?P<v>[^\s，,。；;）)]{4,})")
_POSTCODE = re.compile(r"(?:邮编|邮政编码)\s*[:：]?\s*(?P<v>\d{6})(?!\d)")


def _sentence(text: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The sentence around a match, for quoting as evidence."""
    left = max(text.rfind(c, 0, start) for c in "。；;\n") + 1
    rights = [i for i in (text.find(c, end) for c in "。；;\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip(), (left, right)


@rule(code="GK-C-001", name="信息处理费说明", category="内容", severity="warning",
      basis="《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）；年报第六部分“其他需要报告的事项”",
      examples=(
          bad("第六部分只写“无其他需要报告的事项”", {"/parts/other_matters/text": "无其他需要报告的事项。"}),
          bad("提到信息处理费，却没有说收了没有",
              {"/parts/other_matters/text": "本机关严格执行《政府信息公开信息处理费管理办法》，规范信息处理费管理。"}),
          good("“2023年度本机关未收取政府信息公开信息处理费。”"),
          good("“共发出信息处理费收费通知2件，金额600元，实际收取600元。”",
               {"/parts/other_matters/text": "2023年度共发出信息处理费收费通知2件，金额600元，实际收取600元。"}),
      ))
def fee_statement(report: Report) -> Iterator[Outcome]:
    """第六部分应说明本年度收取政府信息公开信息处理费的情况：发出收费通知的件数和金额、实际收取的金额，
    或者明确说明未收取。

    反例：第六部分只写“无其他需要报告的事项”。
    正例：“2023年度本机关未收取政府信息公开信息处理费。”或“共发出收费通知2件，金额600元，实际收取600元。”
    """
    text = report.part_text("other_matters")
    pointer = "/parts/other_matters/text"
    if text is None:
        elsewhere = _FEE.search("\n".join(filter(None, (report.part_text(p.key) for p in nf.parts()))))
        if elsewhere:
            yield passed("报告未找到第六部分，但在其他部分说明了信息处理费", "/parts")
        else:
            yield not_assessed("未找到第六部分“其他需要报告的事项”，无法检查信息处理费说明", "/parts/other_matters")
        return
    m = _FEE.search(text)
    if not m:
        yield finding("第六部分没有说明信息处理费的收取情况。", "/parts/other_matters",
                      fix="在第六部分写明本年度发出收费通知的件数和金额、实际收取的金额；未收取的，写明“本年度未收取信息处理费”。")
        return
    quote, span = _sentence(text, m.start(), m.end())
    if _NONE_CHARGED.search(quote) or _AMOUNTS.search(quote):
        yield passed(f"第六部分说明了信息处理费：“{quote}”", pointer, span=span)
    else:
        yield finding(f"第六部分提到信息处理费，但没有说明收取情况：“{quote}”", pointer, span=span, key="no-amount",
                      evidence={"quote": quote},
                      fix="写明发出收费通知的件数和金额、实际收取的金额，或写明未收取。")


@rule(code="GK-C-002", name="联系方式", category="内容", severity="warning",
      basis="年报惯例与评估要求：公布咨询电话（含区号）、地址、邮编，便于公众查询",
      examples=(
          bad("全文没有任何电话和地址", {"/parts/other_matters/text": "2023年度本机关未收取信息处理费。"}),
          good("“如对年报有疑问，请联系市政府办公室政务公开处（电话：0513-85099125，地址：南通市崇川区世纪大道6号，邮编：226018）。”"),
      ))
def contact_details(report: Report) -> Iterator[Outcome]:
    """报告应留有联系方式，便于公众就年报内容咨询：联系电话（固定电话含区号）、通讯地址、邮政编码。

    反例：全文没有任何电话和地址。
    正例：“如对年报有疑问，请联系市政府办公室政务公开处（电话：0513-85099125，地址：南通市崇川区世纪大道6号，邮编：226018）。”
    """
    places = [("/preamble", report.document.get("preamble", ""))]
    places += [(f"{p.pointer}/text", report.part_text(p.key) or "") for p in nf.parts()]
    wanted = {"电话": _PHONE, "地址": _ADDRESS, "邮编": _POSTCODE}
    found: dict[str, tuple[str, str, tuple[int, int]]] = {}
    for pointer, text in places:
        for name, pattern in wanted.items():
            if name in found:
                continue
            m = pattern.search(text)
            if m:
                found[name] = (pointer, m["v"], (m.start(), m.end()))
    if not any(text for _, text in places):
        yield not_assessed("报告中没有可检查的文字", "/parts")
        return
    missing = [n for n in wanted if n not in found]
    if missing:
        yield finding(f"报告未提供联系{'、'.join(missing)}。", "/parts/other_matters", key=",".join(missing),
                      evidence={"found": {k: v[1] for k, v in found.items()}, "missing": missing},
                      fix="在报告末尾写明咨询电话（含区号）、通讯地址和邮政编码。")
    for name, (pointer, text, span) in found.items():
        yield passed(f"联系{name}：{text}", pointer, span=span)


RULES = [fee_statement, contact_details]
