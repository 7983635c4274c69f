"""内容 rules on the report's own words: the 信息处理费 statement and the contact details.

Contact details and fee statements sit at the end of a report; a copy that stops before part 六
(a truncated web excerpt) cannot show them, so what is not found there is "not assessed", not missing.
"""

from __future__ import annotations

import re
from typing import Iterator

from gongkai import nationalformat as nf
from gongkai.api import Outcome, Report, bad, finding, good, not_assessed, passed, rule

_FEE = re.compile(r"信息处理费")
_NONE_CHARGED = re.compile(r"(未|没有|无|不)(收取|产生|发生|发出|涉及)|收取[^。；;]{0,12}(0|零)(\.0+)?\s*(万?元)|为\s*(0|零)")
_AMOUNTS = re.compile(r"(收费通知|实际收取|收取)[^。；;]{0,30}?\d")
# Fee notices issued, their amount, and the amount collected ("应收取" is the notified amount).
_NOTICES = re.compile(r"(?:发出|开具|送达|出具|发送|下发)[^。；;\d]{0,12}?收费通知(?:书)?[^。；;\d]{0,6}?(?P<n>\d+)\s*(?:件|份|次|个)")
_NOTIFIED = re.compile(r"收费通知[^。；;]{0,30}?(?:金额|总额|合计|共计|计)[^。；;\d]{0,6}?(?P<v>\d+(?:\.\d+)?)\s*(?P<u>万元|元)"
                       r"|(?:应收取|应收|应缴纳?)[^。；;\d]{0,12}?(?P<v2>\d+(?:\.\d+)?)\s*(?P<u2>万元|元)")
_COLLECTED = re.compile(r"(?<![应拟需])(?:实际收取|实收|已收取|收取)[^。；;\d]{0,12}?(?P<v>\d+(?:\.\d+)?)\s*(?P<u>万元|元)")
_ALL_COLLECTED = re.compile(r"(?:全部|均已|已全部|全额)(?:缴纳|收取|缴清|到账)")
_PHONE = re.compile(r"(?<!\d)(?P<v>0\d{2,3}[-－—–\s]{0,3}\d{7,8}|[（(]0\d{2,3}[)）]\s*\d{7,8}|1[3-9]\d{9}"
                    r"|400[-－]?\d{3}[-－]?\d{4}|12345)(?!\d)")
# A landline given without its area code: "电话：85099125".
_LOCAL_PHONE = re.compile(r"(?:电话|热线|联系方式)[^。；;\d]{0,8}(?<![\d-])(?P<v>[2-9]\d{6,7})(?![\d-])")
_ADDRESS = re.compile(r"(?:地址|地点|办公地址|通讯地址|联系地址)\s*[:：]?\s*(?P<v>[^\s，,。；;）)]{4,})")
_POSTCODE = re.compile(r"(?:邮编|邮政编码)\s*[:：]?\s*(?P<v>\d{6})(?!\d)")


def sentence_around(text: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The sentence around a match, for quoting as evidence."""
    left = max(text.rfind(c, 0, start) for c in "。；;\n") + 1
    rights = [i for i in (text.find(c, end) for c in "。；;\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip(), (left, right)


def _yuan(value: str, unit: str) -> float:
    return float(value) * (10000 if unit == "万元" else 1)


def _amount(m: re.Match[str] | None) -> tuple[float, str] | None:
    """(amount in 元, as written) from a match with groups v/u (or v2/u2)."""
    if m is None:
        return None
    v, u = (m["v"], m["u"]) if m["v"] else (m["v2"], m["u2"])
    return _yuan(v, u), f"{v}{u}"


def _fee_sentences(text: str) -> str:
    """The sentences about the 信息处理费, and a sentence right after one that goes on with what was
    collected ("……金额600元。实际收取600元。"); never a sentence about another fee (行政事业性收费)."""
    sentences = [x for x in re.split(r"(?<=[。；;\n])", text) if x.strip()]
    kept: list[str] = []
    for i, sentence in enumerate(sentences):
        if re.search(r"信息处理费|处理费|收费通知", sentence):
            kept.append(sentence)
        elif (i and kept and kept[-1] is sentences[i - 1] and re.search(r"收取|缴纳|实收", sentence)
              and not re.search(r"行政事业性收费|收费项目|税", sentence)):
            kept.append(sentence)
    return "".join(kept)


@rule(code="GK-C-001", name="信息处理费说明", category="内容", severity="warning",
      basis="《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）；年报第六部分“其他需要报告的事项”",
      examples=(
          bad("第六部分只写“无其他需要报告的事项”", {"/parts/other_matters/text": "无其他需要报告的事项。"}),
          bad("提到信息处理费，却没有说收了没有",
              {"/parts/other_matters/text": "本机关严格执行《政府信息公开信息处理费管理办法》，规范信息处理费管理。"}),
          bad("实际收取的金额大于收费通知的金额",
              {"/parts/other_matters/text": "2023年度共发出信息处理费收费通知2件，金额600元，实际收取800元。"}),
          good("“2023年度本机关未收取政府信息公开信息处理费。”"),
          good("“共发出信息处理费收费通知2件，金额600元，实际收取600元。”",
               {"/parts/other_matters/text": "2023年度共发出信息处理费收费通知2件，金额600元，实际收取600元。"}),
      ))
def fee_statement(report: Report) -> Iterator[Outcome]:
    """第六部分应说明本年度收取政府信息公开信息处理费的情况：发出收费通知的件数和金额、实际收取的金额，
    或者明确说明未收取。

    为什么：《政府信息公开信息处理费管理办法》要求在年度报告中公开信息处理费的收取情况。
    检查什么：第六部分是否提到信息处理费并说明了收取情况（未收取，或通知件数、金额、实际收取金额）；
    写了发出收费通知而没有写实际收取多少，给出警告；实际收取的金额大于收费通知的金额，是错误。
    不报告什么：找不到第六部分时，若别处说明了信息处理费即视为已说明，否则只说无法判断。

    反例：第六部分只写“无其他需要报告的事项”；或“发出收费通知2件，金额600元，实际收取800元”。
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
    quote, span = sentence_around(text, m.start(), m.end())
    fee_text = _fee_sentences(text)
    notices = _NOTICES.search(fee_text)
    notified = _amount(_NOTIFIED.search(fee_text))
    collected = _amount(_COLLECTED.search(fee_text))
    if notified and collected and collected[0] > notified[0]:
        yield finding(f"实际收取的信息处理费（{collected[1]}）多于收费通知的金额（{notified[1]}）：“{quote}”", pointer,
                      span=span, key="collected>notified", severity="error",
                      evidence={"notified": notified[0], "collected": collected[0], "unit": "元",
                                "difference": round(collected[0] - notified[0], 2), "quote": fee_text},
                      fix="核对收费通知金额和实际收取金额：实际收取的不能多于通知的金额。")
        return
    if not (_NONE_CHARGED.search(quote) or _AMOUNTS.search(quote) or notices or collected):
        yield finding(f"第六部分提到信息处理费，但没有说明收取情况：“{quote}”", pointer, span=span, key="no-amount",
                      evidence={"quote": quote},
                      fix="写明发出收费通知的件数和金额、实际收取的金额，或写明未收取。")
        return
    if notices and int(notices["n"]) > 0 and not collected and not _ALL_COLLECTED.search(fee_text) \
            and not _NONE_CHARGED.search(fee_text):
        yield finding(f"第六部分写了发出收费通知 {notices['n']} 件，但没有说明实际收取的金额：“{quote}”", pointer, span=span,
                      key="no-collected", evidence={"notices": int(notices["n"]), "quote": fee_text},
                      fix="写明实际收取的信息处理费金额（未收取的写明未收取）。")
        return
    yield passed(f"第六部分说明了信息处理费：“{quote}”", pointer, span=span)


def _prose(report: Report) -> list[tuple[str, str]]:
    places = [("/preamble", report.document.get("preamble") or "")]
    return places + [(f"{p.pointer}/text", report.part_text(p.key) or "") for p in nf.parts()]


@rule(code="GK-C-002", name="联系方式", category="内容", severity="warning",
      basis="年报惯例与评估要求：公布咨询电话（含区号）、地址、邮编，便于公众查询",
      examples=(
          bad("全文没有任何电话和地址", {"/parts/other_matters/text": "2023年度本机关未收取信息处理费。"}),
          bad("电话没有区号：“电话：85099125”",
              {"/parts/other_matters/text": "如对年报有疑问，请联系政务公开处（电话：85099125，地址：南通市崇川区世纪大道6号，邮编：226018）。"}),
          good("“如对年报有疑问，请联系市政府办公室政务公开处（电话：0513-85099125，地址：南通市崇川区世纪大道6号，邮编：226018）。”"),
      ))
def contact_details(report: Report) -> Iterator[Outcome]:
    """报告应留有联系方式，便于公众就年报内容咨询：联系电话（固定电话含区号）、通讯地址、邮政编码。

    为什么：公众对报告有疑问时要能找到编制机关；评估把联系方式作为报告要素。
    检查什么：全文是否有电话（固定电话含区号，手机、12345 热线也可）、地址、邮编；固定电话没有区号给出警告。
    不报告什么：报告不完整（未找到第六部分，联系方式通常写在末尾）时，找不到的项目只说无法判断。

    反例：全文没有任何电话和地址；或“电话：85099125”没有区号。
    正例：“如对年报有疑问，请联系市政府办公室政务公开处（电话：0513-85099125，地址：南通市崇川区世纪大道6号，邮编：226018）。”
    """
    places = _prose(report)
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
    local = None
    if "电话" not in found:
        local = next(((ptr, m) for ptr, text in places if (m := _LOCAL_PHONE.search(text))), None)
    missing = [n for n in wanted if n not in found and not (n == "电话" and local)]
    if local:
        ptr, m = local
        yield finding(f"联系电话“{m['v']}”没有写区号。", ptr, span=(m.start("v"), m.end("v")), key="area-code",
                      evidence={"phone": m["v"]}, fix="固定电话写明区号，如“0513-85099125”。")
    if missing and report.part("other_matters") is None:
        yield not_assessed(f"未找到联系{'、'.join(missing)}；报告不完整（未找到第六部分），无法判断是否提供", "/parts/other_matters")
    elif missing:
        yield finding(f"报告未提供联系{'、'.join(missing)}。", "/parts/other_matters", key=",".join(missing),
                      evidence={"found": {k: v[1] for k, v in found.items()}, "missing": missing},
                      fix="在报告末尾写明咨询电话（含区号）、通讯地址和邮政编码。")
    for name, (pointer, text, span) in found.items():
        yield passed(f"联系{name}：{text}", pointer, span=span)


_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])(?P<v>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_WEBSITE = re.compile(r"(?P<v>(?:https?://|www\.)[A-Za-z0-9./_%#?=&:~-]+|(?<![A-Za-z0-9@.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.gov\.cn"
                      r"(?:/[A-Za-z0-9./_%#?=&:~-]*)?)")


@rule(code="GK-C-010", name="电子邮箱和网址", category="内容", severity="info",
      basis="评估机构的年报要素（北京大学公众参与研究与支持中心示范年报）：联系方式、报告的查阅和下载地址",
      examples=(
          bad("全文既没有电子邮箱，也没有网址",
              {"/parts/other_matters/text": "2023年度本机关未收取信息处理费。如对年报有疑问，请联系政务公开处（电话：0513-85099125，"
                                            "地址：南通市崇川区世纪大道6号，邮编：226018）。"}),
          good("写明了报告电子版的下载网址（没有电子邮箱，只作说明）"),
          good("写明了下载网址和电子邮箱",
               {"/parts/other_matters/text": "本报告的电子版可在南通市人民政府门户网站（www.nantong.gov.cn）下载。"
                                             "如对年报有疑问，请发送邮件至 zwgk@nantong.gov.cn。"}),
      ))
def email_and_website(report: Report) -> Iterator[Outcome]:
    """报告宜提供网址（报告电子版的查阅或下载地址）或电子邮箱，便于公众获取报告和联系编制机关。提示级别：格式没有明确要求。

    为什么：评估机构把联系方式和报告的获取途径列为年报要素。
    检查什么：全文是否有电子邮箱地址、网址（http、www 开头或 .gov.cn 域名）。两者都没有时给出提示；
    只有其中一项时通过，并注明缺哪一项。
    不报告什么：报告不完整（未找到第六部分）时只说无法判断；“门户网站”之类没有地址的说法不算网址。

    反例：全文既没有电子邮箱，也没有网址。
    正例：“本报告的电子版可在南通市人民政府门户网站（www.nantong.gov.cn）下载。”“邮箱：zwgk@nantong.gov.cn”。
    """
    places = _prose(report)
    if not any(text for _, text in places):
        yield not_assessed("报告中没有可检查的文字", "/parts")
        return
    found: dict[str, tuple[str, str, tuple[int, int]]] = {}
    for pointer, text in places:
        for name, pattern in (("电子邮箱", _EMAIL), ("网址", _WEBSITE)):
            # An e-mail address's domain is not a website of its own.
            searched = _EMAIL.sub(lambda e: " " * len(e.group(0)), text) if name == "网址" else text
            if name not in found and (m := pattern.search(searched)):
                found[name] = (pointer, m["v"], (m.start("v"), m.end("v")))
    if not found:
        if report.part("other_matters") is None:
            yield not_assessed("未找到电子邮箱和网址；报告不完整（未找到第六部分），无法判断是否提供", "/parts/other_matters")
        else:
            yield finding("报告既没有提供电子邮箱，也没有提供网址。", "/parts/other_matters", key="none",
                          fix="在报告末尾写明报告电子版的网址和咨询用的电子邮箱。")
        return
    for name, (pointer, value, span) in found.items():
        yield passed(f"{name}：{value}", pointer, span=span)
    for name in ("电子邮箱", "网址"):
        if name not in found:
            yield passed(f"未提供{name}（可选）", "/parts/other_matters")


RULES = [fee_statement, contact_details, email_and_website]
