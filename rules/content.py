"""结构 and 内容 rules on the report's own words: what part 一 covers, the headings and the title as
written, the statistical period and the report year, the citation of the format, the art. 50
government-only item, part 五, leftover template text, the publication deadline and 规章 reported
by bodies that cannot make them.

Reports are often read from truncated copies. A rule that looks for something *absent* says it
cannot judge when the part where it would be is missing, or when the text stops before part 六
(`_complete`); it reports only what is really there or really missing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import lru_cache
from typing import Any, Iterator

from gongkai import nationalformat as nf
from gongkai.api import Outcome, Report, bad, finding, good, not_assessed, passed, rule
from gongkai.extraction import HEADING_VARIANTS
from gongkai.normalize import key, t2s

from .bodies import CITY, COUNTY, DEPARTMENT, GOVERNMENT, OFFICE, PROVINCE, SUBDISTRICT, TOWNSHIP, classify, issuer
from .text import sentence_around

FORMAT = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》"
YEAR = r"(?:19|20)\d{2}"

# A government's own report, for the examples of the rules that depend on the issuer.
GOV_PATCH = {"/meta/issuing_body": "南通市人民政府", "/meta/title": "南通市人民政府2023年政府信息公开工作年度报告"}


# -- helpers ------------------------------------------------------------------------------------

def _complete(report: Report) -> bool:
    """The report reaches part 六: what a rule does not find in it is really not there."""
    return report.part("other_matters") is not None


def _followed(report: Report, part_key: str) -> bool:
    """Some later part was found, so this part's text ends where the author ended it."""
    keys = [p.key for p in nf.parts()]
    return any(report.part(k) is not None for k in keys[keys.index(part_key) + 1:])


def _texts(report: Report, with_title: bool = False) -> list[tuple[str, str]]:
    """(pointer, text) of every piece of prose, in reading order."""
    out: list[tuple[str, str]] = []
    if with_title:
        out += [(f"/meta/{k}", report.meta.get(k) or "") for k in ("title", "issuing_body")]
    out.append(("/preamble", report.document.get("preamble") or ""))
    for p in sorted((p for p in nf.parts() if report.part(p.key) is not None),
                    key=lambda p: report.part(p.key).get("position", 0)):
        if with_title:
            out.append((f"{p.pointer}/heading", report.part(p.key).get("heading") or ""))
        out.append((f"{p.pointer}/text", report.part_text(p.key) or ""))
    return [(ptr, t) for ptr, t in out if t]


# -- 结构: part 一's five aspects ----------------------------------------------------------------

# Each aspect with the wordings real reports use for it (sub-headings and the work they describe).
ASPECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("主动公开", re.compile(r"主动公开|主动发布|向社会公开|公开内容|应公开、?尽公开|公布[^。；\n]{0,20}信息"
                        r"|公开(?:了)?(?:各类|政府|政务)?信息\s*\d|发布(?:了)?(?:各类|政务|政府|工作)?(?:信息|动态|文件)"
                        r"|发布[^。；\n]{0,10}政策|公开[^。；\n]{0,10}\d+\s*(?:条|件|篇|项)")),
    ("依申请公开", re.compile(r"依申请|申请公开|公开申请")),
    ("政府信息管理", re.compile(r"信息管理|(?:政府|政务)信息[^。；\n]{0,10}管理|管理(?:政府|政务)信息|保密审查|保密审核|公开属性"
                          r"|发布审核|发布审查|审核发布|三审|公开审查|信息审核|规范性文件[^。；\n]{0,10}(?:清理|管理|备案|统一公开)")),
    ("平台建设", re.compile(r"平台|网站|新媒体|公众号|微博|公开栏|公示栏|专栏|专区|客户端|查阅点|公开渠道")),
    ("监督保障", re.compile(r"监督(?!权)|保障机制|组织保障|制度保障|考核|考评|督查|督导|督促|培训|责任追究|问责|追责"
                        r"|(?:社会|群众|公众|民主)评议|领导小组|专人负责|工作机制|责任制"
                        r"|(?:完善|健全|建立|修订|制定)[^。；\n]{0,12}制度")),
)
# Part names as a report's opening sentence lists them ("本报告由总体情况、主动公开政府信息情况……组成").
_CONTENTS_WORDS = ("总体情况", "主动公开政府信息", "收到和处理", "行政复议", "存在的主要问题", "问题及改进", "其他需要报告")


def _without_contents_list(text: str) -> str:
    """Part 一 without the sentence that lists the report's six parts: naming 主动公开 there does not
    report on it."""
    kept = []
    for sentence in re.split(r"(?<=[。；;\n])", text):
        named = sum(w in sentence for w in _CONTENTS_WORDS)
        if named >= 3 or (named >= 2 and "组成" in sentence):
            continue
        kept.append(sentence)
    return "".join(kept)


@rule(code="GK-S-010", name="总体情况涵盖五个方面", category="结构", severity="warning",
      basis=f"《条例》第五十条；{FORMAT}第一部分：总体情况主要包括主动公开、依申请公开、政府信息管理、"
            "政府信息公开平台建设、监督保障",
      examples=(
          bad("总体情况只写了一段套话，没有依申请公开、政府信息管理、平台建设和监督保障",
              {"/parts/overview/text": "2023年，本办认真贯彻落实《条例》，依法主动公开政府信息，政府信息公开工作取得积极成效。"}),
          good("总体情况分（一）主动公开（二）依申请公开（三）政府信息管理（四）平台建设（五）监督保障五个方面",
               {"/parts/overview/text": "（一）主动公开。全年主动公开政府信息1200条。\n（二）依申请公开。依法办理政府信息公开申请。\n"
                                        "（三）政府信息管理。严格落实保密审查。\n（四）平台建设。加强政府网站建设。\n"
                                        "（五）监督保障。开展业务培训，纳入绩效考核。"}),
          good("南通市人民政府办公室的总体情况：五个方面都写到了，小标题用的是本单位自己的说法"),
      ))
def overview_aspects(report: Report) -> Iterator[Outcome]:
    """第一部分“总体情况”应概述本机关政府信息公开工作的五个方面：主动公开、依申请公开、政府信息管理、
    政府信息公开平台建设、监督保障。

    为什么：格式规定总体情况“主要包括”这五个方面，内容“不能遗漏”。
    检查什么：第一部分的文字是否写到每个方面。接受常见的写法，不要求用格式的原话作小标题：
    例如“依申请公开”也可写作“政府信息公开申请”，平台建设可写政府网站、政务新媒体、公开栏，
    监督保障可写考核、培训、督查、领导小组等。只列出报告由哪六部分组成的那句话不算写到。
    不报告什么：找不到第一部分，或第一部分之后的内容都找不到（文本可能被截断）时，只说无法判断。

    反例：总体情况只有一句“依法主动公开政府信息，政府信息公开工作取得积极成效”。
    正例：分（一）主动公开（二）依申请公开（三）政府信息管理（四）平台建设（五）监督保障五段叙述。
    """
    text = report.part_text("overview")
    if text is None:
        yield not_assessed("未找到第一部分“总体情况”，无法检查其内容", "/parts/overview")
        return
    body = _without_contents_list(text)
    found = {name: m for name, pattern in ASPECTS if (m := pattern.search(body))}
    missing = [name for name, _ in ASPECTS if name not in found]
    if not missing:
        yield passed("第一部分写到了主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面", "/parts/overview")
    elif not _followed(report, "overview"):
        yield not_assessed(f"第一部分之后的内容都未找到（文本可能不完整），无法判断是否写到{'、'.join(missing)}",
                           "/parts/overview")
    else:
        yield finding(f"第一部分“总体情况”没有写到{'、'.join(missing)}方面的情况。", "/parts/overview",
                      key=",".join(missing), evidence={"missing": missing, "found": {k: m.group(0) for k, m in found.items()}},
                      fix=f"在总体情况中补写{'、'.join(missing)}方面的工作情况（格式要求总体情况包括主动公开、依申请公开、"
                          "政府信息管理、政府信息公开平台建设、监督保障五个方面）。")


# -- 结构: headings as written -------------------------------------------------------------------

# The six canonical headings and their variants are keyed for every report: once per process will do.
@lru_cache(maxsize=1024)
def _heading_key(text: str) -> str:
    """Compare headings ignoring width, spaces, traditional characters, final punctuation and the
    separator after the number (`一、` `一.` `一，`)."""
    k = key(t2s(text)).rstrip("。:：.;；")
    return re.sub(r"^([一二三四五六])[、.，,．]", r"\1、", k)


@rule(code="GK-S-011", name="部分标题写法", category="结构", severity="warning",
      basis=f"{FORMAT}：六个部分的标题",
      examples=(
          bad("第五部分标题写作“五、问题和下一步打算”", {"/parts/problems/heading": "五、问题和下一步打算"}),
          bad("第一部分标题写作“一、基本情况”", {"/parts/overview/heading": "一、基本情况"}),
          good("第四部分用常见的写法“四、因政府信息公开工作被申请行政复议、提起行政诉讼情况”",
               {"/parts/review_litigation/heading": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"}),
          good("六个部分的标题都与格式一致"),
      ))
def heading_wording(report: Report) -> Iterator[Outcome]:
    """六个部分的标题应使用格式规定的写法；实际报告中常见的几种写法（如“五、政府信息公开工作存在的主要问题及改进情况”）
    可以接受并注明。

    为什么：标题是读者和评估者定位内容的依据，格式对六个标题有统一写法。
    检查什么：每个找到的部分，其标题原文与格式标题或已知变体是否一致（不计全角半角、空格、繁简、句末标点，
    以及序号后用“、”还是“.”）。只多一两个字或少一两个字（如“主动公开政府信息的情况”）为提示，其他写法为警告。
    不报告什么：缺少的部分（由 GK-S-001 报告）；已知变体只作说明，不算问题。

    反例：“五、问题和下一步打算”。
    正例：“五、存在的主要问题及改进情况”，或已知变体“五、政府信息公开工作存在的主要问题及改进情况”。
    """
    present = [p for p in nf.parts() if report.part(p.key) is not None]
    if not present:
        yield not_assessed("未找到任何部分标题", "/parts")
        return
    variants = []
    for p in present:
        written = report.part(p.key).get("heading") or ""
        k = _heading_key(written)
        accepted = [_heading_key(v) for v in HEADING_VARIANTS.get(p.number, (p.heading,))]
        if k == _heading_key(p.heading):
            continue
        if k in accepted:
            variants.append(f"“{written}”")
            continue
        # A word added or dropped (`主动公开政府信息的情况`) is a slip worth a note; other wordings are a warning.
        close = max(difflib.SequenceMatcher(None, k, a).ratio() for a in accepted) >= 0.9
        yield finding(f"第{p.number}部分的标题写作“{written}”，与格式规定的“{p.heading}”{'略有出入' if close else '不一致'}。",
                      f"{p.pointer}/heading", key=p.key, severity="info" if close else None,
                      evidence={"written": written, "expected": p.heading}, fix=f"标题改为“{p.heading}”。")
    if variants:
        yield passed(f"使用了可接受的标题写法：{'、'.join(variants)}", "/parts")
    else:
        yield passed("找到的部分标题与格式一致", "/parts")


# -- 结构: the report's title --------------------------------------------------------------------

_TITLE_LIKE = re.compile(r"(政府信息公开|政务公开)[^。；]{0,12}(年度报告|工作报告|年报|报告)$")


def _title_candidates(report: Report) -> list[tuple[str, str, tuple[int, int] | None]]:
    """The title the extractor found, and lines before part 一 that read as the report's title
    (web copies put page furniture such as a column name above the real title)."""
    out: list[tuple[str, str, tuple[int, int] | None]] = []
    title = report.meta.get("title")
    if title:
        out.append(("/meta/title", title.strip(), None))
    pre = report.document.get("preamble") or ""
    pos = 0
    for line in pre.split("\n"):
        s = line.strip().rstrip("》").lstrip("《")
        if 6 <= len(s) <= 80 and _TITLE_LIKE.search(s) and not s.startswith(("根据", "按照", "依据", "现将", "本报告")):
            out.append(("/preamble", line.strip(), (pos, pos + len(line))))
        pos += len(line) + 1
    return out


def _title_score(title: str) -> int:
    return (2 * bool(re.search(YEAR + r"\s*年", title)) + bool("年度报告" in title)
            + bool(_body_in_title(title)))


def _body_in_title(title: str) -> str | None:
    m = re.match(r"^《?(?P<body>.{2,60}?)\s*" + YEAR + r"\s*年", title.strip())
    if m:
        b = classify(m["body"])
        return m["body"] if b and b.kind else None
    return None


@rule(code="GK-S-012", name="报告标题", category="结构", severity="warning",
      basis="标题应为“机关名称＋年份＋政府信息公开工作年度报告”；用“工作报告”代替“年度报告”曾被通报批评"
            "（莆田市2010年年报问题通报）",
      examples=(
          bad("标题写作“南通市人民政府办公室2023年度政府信息公开工作报告”",
              {"/meta/title": "南通市人民政府办公室2023年度政府信息公开工作报告"}),
          bad("标题没有年份：“南通市人民政府办公室政府信息公开工作年度报告”",
              {"/meta/title": "南通市人民政府办公室政府信息公开工作年度报告"}),
          good("“南通市人民政府办公室2023年政府信息公开工作年度报告”"),
      ))
def report_title(report: Report) -> Iterator[Outcome]:
    """报告标题应写明发布机关、年份和“政府信息公开工作年度报告”，例如“南通市人民政府办公室2023年政府信息公开工作年度报告”。

    为什么：标题是报告的身份，评估和检索都按机关和年份找报告；把“年度报告”写成“工作报告”曾被通报批评。
    检查什么：标题含年份（警告）；含“政府信息公开工作年度报告”——写成“工作报告”为警告，其他写法
    （如“政府信息公开年度报告”“年报”）为提示；写明发布机关（警告）。
    不报告什么：找不到标题时只说无法判断；机关名称单独排在标题上一行（“桃江县松木塘镇人民政府／2022年政府信息公开工作年度报告”）
    视为写明了机关；网页转载时标题上方的栏目名（如“政府信息公开年报”）不当作标题。

    反例：“南通市人民政府办公室2023年度政府信息公开工作报告”。
    正例：“南通市人民政府办公室2023年政府信息公开工作年度报告”。
    """
    candidates = _title_candidates(report)
    if not candidates:
        yield not_assessed("未找到报告标题", "/meta/title")
        return
    pointer, title, span = max(candidates, key=lambda c: _title_score(c[1]))
    problems = 0
    if not re.search(YEAR + r"\s*年", title):
        problems += 1
        yield finding(f"报告标题“{title}”没有写明年份。", pointer, span=span, key="year", evidence={"title": title},
                      fix="标题写明报告年度，如“××2023年政府信息公开工作年度报告”。")
    plain = re.sub(r"\s+", "", title)
    if "政府信息公开工作年度报告" not in plain:
        problems += 1
        if "工作报告" in plain and "年度报告" not in plain:
            yield finding(f"报告标题“{title}”把“年度报告”写成了“工作报告”。", pointer, span=span, key="wording",
                          evidence={"title": title}, fix="标题写作“……政府信息公开工作年度报告”。")
        else:
            yield finding(f"报告标题“{title}”与格式的标准写法“……政府信息公开工作年度报告”不同。", pointer, span=span,
                          key="wording", severity="info", evidence={"title": title},
                          fix="标题写作“……政府信息公开工作年度报告”。")
    named = _body_in_title(title)
    nearby = None
    if named is None:
        body = report.meta.get("issuing_body")
        head = [ln.strip() for ln in (report.document.get("preamble") or "").split("\n")[:4]]
        nearby = body or next((ln for ln in head if ln and ln != title and (b := classify(ln)) and b.kind), None)
        if not nearby:
            problems += 1
            yield finding(f"报告标题“{title}”没有写明发布机关。", pointer, span=span, key="body", evidence={"title": title},
                          fix="标题以机关全称开头，如“××县人民政府2023年政府信息公开工作年度报告”。")
    if problems:
        return
    if nearby:
        yield passed(f"报告标题“{title}”写明了年份和“政府信息公开工作年度报告”；机关名称“{nearby}”另起一行排在标题附近",
                     pointer, span=span)
    else:
        yield passed(f"报告标题“{title}”写明了机关、年份和“政府信息公开工作年度报告”", pointer, span=span)


# -- 内容: statistical period --------------------------------------------------------------------

_PERIOD_DAY = re.compile(
    rf"(?P<y1>{YEAR})\s*年\s*(?P<m1>\d{{1,2}})\s*月\s*(?P<d1>\d{{1,2}})\s*日\s*(?:起|零时|0时)?\s*(?:至|到|—|–|-|－|~|～)+\s*"
    rf"(?:(?P<y2>{YEAR})\s*年\s*)?(?P<m2>\d{{1,2}})\s*月\s*(?P<d2>\d{{1,2}})\s*日")
_PERIOD_MONTH = re.compile(
    rf"(?P<y1>{YEAR})\s*年\s*(?P<m1>\d{{1,2}})\s*月份?\s*(?:至|到|—|–|-|－|~|～)+\s*(?:(?P<y2>{YEAR})\s*年\s*)?(?P<m2>\d{{1,2}})\s*月(?!\s*\d)")
_PERIOD_YEAR = re.compile(rf"统计(?:期限|时限|时间|期间|区间|范围|周期)[^。；\n\d]{{0,6}}(?P<y1>{YEAR})\s*年度?(?!\s*\d{{1,2}}\s*月)")
# "数据统计截至2023年12月31日": the end of the period only, taken as that calendar year.
_PERIOD_END = re.compile(rf"(?:截至|截止到?)\s*(?P<y1>{YEAR})\s*年\s*12\s*月\s*31\s*日")
_PERIOD_CONTEXT = re.compile(r"统计|数据|期限|时限|报告期|时间范围")


def _periods(report: Report) -> list[dict[str, Any]]:
    """Statistical-period statements: where, what, and the dates (missing days are a whole month)."""
    out: list[dict[str, Any]] = []
    for order, (pointer, text) in enumerate(_texts(report)):
        for pattern in (_PERIOD_DAY, _PERIOD_MONTH, _PERIOD_YEAR, _PERIOD_END):
            for m in pattern.finditer(text):
                quote, span = sentence_around(text, m.start(), m.end())
                if pattern is not _PERIOD_YEAR and not _PERIOD_CONTEXT.search(quote):
                    continue
                if any(p["pointer"] == pointer and p["start"] <= m.start() < p["end"] for p in out):
                    continue
                g = m.groupdict()
                y1 = int(g["y1"])
                y2 = int(g["y2"]) if g.get("y2") else y1
                m1, m2 = int(g.get("m1") or 1), int(g.get("m2") or 12)
                d1 = int(g.get("d1") or 1)
                d2 = int(g["d2"]) if g.get("d2") else (31 if m2 == 12 else 0)
                out.append({"pointer": pointer, "quote": quote, "span": span, "start": m.start(), "end": m.end(),
                            "text": m.group(0), "from": (y1, m1, d1), "to": (y2, m2, d2), "order": order})
    return sorted(out, key=lambda p: (p["order"], p["start"]))


@rule(code="GK-C-011", name="统计期限", category="内容", severity="warning",
      basis="年报所列数据的统计期限为报告年度1月1日至12月31日（《政府信息公开工作年度报告编制发布规范》DB51/T 2660—2019 §2.1；"
            "各地年报通行写法）",
      examples=(
          bad("2023年度报告写“统计期限从2022年1月1日起到2022年12月31日止”",
              {"/preamble": "报告所列数据的统计期限从2022年1月1日起到2022年12月31日止。"}),
          bad("统计期限只写到11月30日", {"/preamble": "报告所列数据的统计期限从2023年1月1日起到2023年11月30日止。"}),
          bad("全文没有说明统计期限", {"/preamble": "现发布本机关2023年政府信息公开工作年度报告。"}),
          good("“报告所列数据的统计期限从2023年1月1日起到2023年12月31日止。”"),
      ))
def statistical_period(report: Report) -> Iterator[Outcome]:
    """报告应说明所列数据的统计期限，且为报告年度的1月1日至12月31日。

    为什么：表中数据的口径取决于统计期限；评估要求写明统计期限，期限与报告年度不符说明数据或文字沿用了别的年度。
    检查什么：引言和正文中第一处“统计期限／统计时限／所列数据……”所写的起止日期（或“数据截至……12月31日”）：
    是否为一个完整的自然年度，年份是否等于报告年度。
    不报告什么：文本只到第六部分之前（可能被截断）而没有找到统计期限时，只说无法判断；报告年度未知时只核对是否为完整年度。

    反例：2023年度报告写“统计期限从2022年1月1日起到2022年12月31日止”。
    正例：“报告所列数据的统计期限从2023年1月1日起到2023年12月31日止。”
    """
    periods = _periods(report)
    year = report.year
    if not periods:
        if _complete(report):
            yield finding("报告没有说明所列数据的统计期限。", "/preamble", key="absent",
                          fix=f"在报告开头写明“本报告所列数据的统计期限自{year or 'YYYY'}年1月1日起至{year or 'YYYY'}年12月31日止”。")
        else:
            yield not_assessed("未找到统计期限的说明，且报告不完整（未找到第六部分），无法判断是否写明", "/preamble")
        return
    # The report's own statement is the first one; a later date range (a comparison with last year,
    # a campaign's dates) is not the statistical period.
    for p in periods[:1]:
        (y1, m1, d1), (y2, m2, d2) = p["from"], p["to"]
        whole = y1 == y2 and (m1, d1) == (1, 1) and (m2, d2) == (12, 31)
        ev = {"quote": p["quote"], "stated": p["text"], "report_year": year}
        if not whole:
            yield finding(f"统计期限“{p['text']}”不是一个完整的自然年度：“{p['quote']}”", p["pointer"], span=p["span"],
                          key=f"partial-{p['text']}", evidence=ev,
                          fix=f"统计期限应为{year or y1}年1月1日至{year or y1}年12月31日。")
        elif year is not None and y1 != year:
            yield finding(f"统计期限写的是{y1}年，而报告年度是{year}年：“{p['quote']}”", p["pointer"], span=p["span"],
                          key=f"year-{y1}", evidence={**ev, "period_year": y1},
                          fix=f"改为“{year}年1月1日至{year}年12月31日”，并核对表中数据是否为{year}年度的数据。")
        else:
            yield passed(f"统计期限：{p['text']}", p["pointer"], span=p["span"])


# -- 内容: the report year stated consistently ---------------------------------------------------

_SELF_QUOTED = re.compile(r"《(?P<q>[^《》]{0,80}?(?P<y>" + YEAR + r")\s*年度?[^《》]{0,40}?(?:年度报告|工作报告|年报))》")
_SELF_PRESENT = re.compile(r"现将[^。；《]{0,40}?(?P<y>" + YEAR + r")\s*年度?[^。；]{0,30}?报告如下"
                           r"|现(?:发布|公布|印发)[^。；《]{0,40}?(?P<y2>" + YEAR + r")\s*年度?[^。；《]{0,30}?(?:年度报告|工作报告|年报)")
_OPENING = re.compile(r"^\s*(?P<y>" + YEAR + r")\s*年度?(?!以来|以前|之前|底|末)(?=[，,、])")


def _year_sources(report: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    title = report.meta.get("title") or ""
    m = re.search(rf"({YEAR})\s*年", title)
    if m:
        out.append({"where": "标题", "year": int(m[1]), "pointer": "/meta/title", "quote": title, "span": None})
    places = [("/preamble", report.document.get("preamble") or "")]
    overview = report.part_text("overview")
    if overview:
        places.append(("/parts/overview/text", "\n".join(overview.split("\n")[:2])))
    for pointer, text in places:
        place = "引言" if pointer == "/preamble" else "第一部分"
        for pattern, where in ((_SELF_QUOTED, f"{place}所写的报告名称"), (_SELF_PRESENT, f"{place}所写的报告名称")):
            for m in pattern.finditer(text):
                y = m["y"] if m["y"] else m.groupdict().get("y2")
                quote, span = sentence_around(text, m.start(), m.end())
                out.append({"where": where, "year": int(y), "pointer": pointer, "quote": quote, "span": span})
        pos = 0
        for line in text.split("\n"):
            m = _OPENING.match(line)
            if m:
                out.append({"where": f"{place}开头", "year": int(m["y"]), "pointer": pointer,
                            "quote": sentence_around(text, pos, pos + 1)[0], "span": (pos, pos + len(line))})
                break
            pos += len(line) + 1
    return out


@rule(code="GK-C-012", name="报告年度前后一致", category="内容", severity="warning",
      basis="《条例》第四十九条、第五十条：年度报告报告的是上一年度的工作；标题与正文所写年度应一致",
      examples=(
          bad("标题是2023年，引言却写“现发布《南通市人民政府办公室2022年政府信息公开工作年度报告》”",
              {"/preamble": "现发布《南通市人民政府办公室2022年政府信息公开工作年度报告》。"
                            "报告所列数据的统计期限从2023年1月1日起到2023年12月31日止。"}),
          bad("第一部分开头写“2022年，南通市人民政府办公室……”",
              {"/parts/overview/text": "2022年,南通市人民政府办公室坚持以习近平新时代中国特色社会主义思想为指导。"}),
          good("标题、引言和第一部分开头都是2023年"),
      ))
def year_consistent(report: Report) -> Iterator[Outcome]:
    """标题、引言中的报告名称（“现发布《……2023年政府信息公开工作年度报告》”“现将……2023年度……报告如下”）
    和第一部分开头（“2023年，……”）所写的年度应当一致。

    为什么：年度写错往往是沿用上一年报告时没有改全，数据和文字可能也是上一年的。
    检查什么：上述几处写明的年份与报告年度（标题年份）是否相同；统计期限的年份由 GK-C-011 核对。
    不报告什么：正文其他地方出现的年份（上年度对比、下一年计划、引用的通知名称等）；“2022年以来”这类写法；
    只找到一处年份时无从比较，只说无法判断。

    反例：标题是2023年，第一部分开头写“2022年，……”。
    正例：标题、引言、第一部分开头都是2023年。
    """
    sources = _year_sources(report)
    reference = report.year or next((s["year"] for s in sources if s["where"] == "标题"), None)
    if reference is None or len(sources) < 2:
        yield not_assessed("写明报告年度的地方不足两处，无从比较", "/meta/report_year")
        return
    odd = [s for s in sources if s["year"] != reference]
    if not odd:
        yield passed(f"标题、引言和正文开头所写年度一致（{reference}年）", "/meta/report_year")
        return
    listed = "；".join(f"{s['where']}：{s['year']}年" for s in sources)
    for s in odd:
        yield finding(f"{s['where']}写的是{s['year']}年，与报告年度{reference}年不一致：“{s['quote']}”（{listed}）",
                      s["pointer"], span=s["span"], key=f"{s['where']}-{s['year']}",
                      evidence={"report_year": reference, "stated": s["year"], "quote": s["quote"],
                                "sources": [{k: v for k, v in x.items() if k in ("where", "year", "quote")} for x in sources]},
                      fix=f"核对后统一为{reference}年；若报告年度本身写错，改正标题。")


# -- 内容: the citation of the format ------------------------------------------------------------

_DOCNO = re.compile(r"(?P<lb>[〔\[【(（［{｛〈<])\s*(?P<year>(?:19|20)\d{2})\s*(?P<rb>[〕\]】)）］}｝〉>])\s*(?P<num>\d{1,4})\s*号")
_FORMAT_NAME = re.compile(r"年度报告格式|年报格式")


def _issuer_before(text: str, start: int) -> str:
    """The issuer part of a document number (`国办公开办函`) from the Chinese run before the bracket."""
    run = re.search(r"[\u4e00-\u9fff]{1,12}$", text[max(0, start - 12):start].rstrip())
    if not run:
        return ""
    word = run.group(0)
    i = word.rfind("国办")
    return word[i:] if i != -1 else ""


def _citations(report: Report) -> list[dict[str, Any]]:
    out = []
    for pointer, text in _texts(report):
        for m in _DOCNO.finditer(text):
            iss = _issuer_before(text, m.start())
            before = text[max(0, m.start() - 80):m.start()]
            about_format = bool(_FORMAT_NAME.search(before[before.rfind("《") if "《" in before else 0:]))
            if not iss and not about_format:
                continue
            # A 国办 number that is not the format's is judged only where the sentence is about the report
            # itself (国办发〔2021〕30号 may be cited for something else).
            quote, _ = sentence_around(text, m.start(), m.end())
            about_report = about_format or bool(re.search(r"年度报告|年报|编制|格式", quote))
            start = m.start() - len(iss) if iss else m.start()
            out.append({"pointer": pointer, "raw": text[start:m.end()], "issuer": iss, "year": int(m["year"]),
                        "num": int(m["num"]), "brackets": m["lb"] + m["rb"], "about_format": about_format,
                        "about_report": about_report,
                        "span": (start, m.end())})
    return out


@rule(code="GK-C-013", name="格式文号引用", category="内容", severity="error",
      basis=f"{FORMAT}（2021年9月26日印发，自2021年度报告起适用，取代国办公开办函〔2019〕60号试行格式）",
      examples=(
          bad("引用为“国办发〔2021〕30号”",
              {"/preamble": "根据《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
                            "(国办发〔2021〕30号)要求，现发布本报告。报告所列数据的统计期限从2023年1月1日起到2023年12月31日止。"}),
          bad("2023年度报告仍依据“国办公开办函〔2019〕60号”编制",
              {"/preamble": "根据国办公开办函〔2019〕60号要求编制本报告。报告所列数据的统计期限从2023年1月1日起到2023年12月31日止。"}),
          good("引用为“国办公开办函〔2021〕30号”"),
          good("引用为“国办公开办函〔2021〕30 号”（号前有空格，不算错）",
               {"/preamble": "根据国办公开办函〔2021〕30 号要求，现发布本报告。"}),
      ))
def format_citation(report: Report) -> Iterator[Outcome]:
    """报告引用年报格式时，文号应写作“国办公开办函〔2021〕30号”。

    为什么：文号写错是文字不严谨；2021年度起仍依据2019年试行格式（国办公开办函〔2019〕60号）编制，说明格式没有更新。
    检查什么：紧跟在“……年度报告格式”之后的文号，以及在说到本报告编制的句子里以“国办”开头的〔2021〕30号：
    发文字号写错（如“国办发〔2021〕30号”“国办函〔2021〕30号”）为错误；年份括号不是六角括号〔〕
    （如“[2021]”“(2021)”）、漏写发文机关代字（只写“〔2021〕30号”）为警告；2021年度及以后的报告只引用〔2019〕60号、没有引用〔2021〕30号为错误。
    不报告什么：没有引用格式文号（不要求必须引用）；“30 号”这类空格；地方文件的文号（如“苏政办发〔2021〕30号”）；
    同时引用了〔2021〕30号时对〔2019〕60号不再追究。

    反例：“（国办发〔2021〕30号）”；2023年度报告“根据国办公开办函〔2019〕60号要求编制”。
    正例：“（国办公开办函〔2021〕30号）”。
    """
    cites = []
    for c in _citations(report):
        c["is_2019"] = (c["year"], c["num"]) == (2019, 60) and (c["issuer"] == "国办公开办函" or c["about_format"])
        c["is_format"] = ((c["year"], c["num"]) == (2021, 30) and c["about_report"]) or c["about_format"]
        if c["is_2019"] or c["is_format"]:
            cites.append(c)
    if not cites:
        yield passed("报告没有引用年报格式的文号，无需核对", "/preamble")
        return
    year = report.year
    modern = year >= 2021 if year is not None else (report.meta.get("template_version") == "2021" or None)
    right = [c for c in cites if (c["issuer"], c["year"], c["num"]) == ("国办公开办函", 2021, 30)]
    bad_found = False
    seen: set[str] = set()
    for c in cites:
        if c["raw"] in seen:
            continue
        seen.add(c["raw"])
        ev = {"cited": c["raw"], "expected": "国办公开办函〔2021〕30号"}
        if c["is_2019"]:
            if modern is None:
                yield not_assessed(f"报告引用了“{c['raw']}”，但未能确定报告年度，无法判断是否已过时", c["pointer"])
            elif modern and not right:
                bad_found = True
                yield finding(f"{year or '2021年及以后'}年度报告引用的是已被取代的2019年试行格式文号“{c['raw']}”。", c["pointer"],
                              span=c["span"], key=f"outdated-{c['raw']}", evidence={**ev, "report_year": year},
                              fix="按国办公开办函〔2021〕30号格式编制，并引用“国办公开办函〔2021〕30号”。")
            continue
        wrong_number = (c["issuer"], c["year"], c["num"]) != ("国办公开办函", 2021, 30)
        wrong_brackets = c["brackets"] != "〔〕"
        if not c["issuer"] and (c["year"], c["num"]) == (2021, 30):
            bad_found = True
            yield finding(f"格式文号“{c['raw']}”缺少发文机关代字，应为“国办公开办函〔2021〕30号”。", c["pointer"],
                          span=c["span"], key=f"no-issuer-{c['raw']}", severity="warning", evidence=ev,
                          fix="改为“国办公开办函〔2021〕30号”。")
        elif wrong_number:
            bad_found = True
            yield finding(f"年报格式的文号写成了“{c['raw']}”，应为“国办公开办函〔2021〕30号”。", c["pointer"], span=c["span"],
                          key=f"misquote-{c['raw']}", evidence=ev, fix="改为“国办公开办函〔2021〕30号”。")
        elif wrong_brackets:
            bad_found = True
            yield finding(f"文号“{c['raw']}”的年份应使用六角括号〔〕，写作“国办公开办函〔2021〕30号”。", c["pointer"],
                          span=c["span"], key=f"brackets-{c['raw']}", severity="warning", evidence=ev,
                          fix="改为“国办公开办函〔2021〕30号”。")
    if not bad_found:
        yield passed(f"格式文号引用正确：{'、'.join(sorted({c['raw'] for c in cites}))}", cites[0]["pointer"], span=cites[0]["span"])


# -- 内容: art. 50(4), a people's government's own report ---------------------------------------

ART50_ITEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("工作考核", re.compile(r"考核|考评|绩效(?:评估|评价|考评|管理)|目标管理")),
    ("社会评议", re.compile(r"(?:社会|群众|公众|民主|政务公开)评议|评议(?:结果|活动|工作)|社会评价|群众评价|公众评价|满意度"
                        r"|第三方评估")),
    ("责任追究", re.compile(r"责任追究|追究[^。；]{0,6}责任|追责|问责")),
)


@rule(code="GK-C-014", name="工作考核、社会评议和责任追究结果", category="内容", severity="error",
      basis="《条例》第五十条第四项：各级人民政府的年度报告还应当包括工作考核、社会评议和责任追究结果情况；"
            f"《条例》第四十六条；{FORMAT}第一部分（五）监督保障",
      examples=(
          bad("南通市人民政府本级的报告，监督保障只写了考核，没有社会评议和责任追究",
              {**GOV_PATCH, "/parts/overview/text": "（五）监督保障。将政务公开纳入绩效考核，考核结果及时公开。"}),
          good("南通市人民政府本级的报告写明了考核、评议和责任追究结果",
               {**GOV_PATCH, "/parts/overview/text": "（五）监督保障。将政务公开纳入年度绩效考核；开展社会评议，"
                                                      "群众满意度95%；全年未发生政府信息公开工作责任追究情况。"}),
          good("南通市人民政府办公室的报告（政府办公室不是人民政府本级，不适用）"),
      ))
def art50_results(report: Report) -> Iterator[Outcome]:
    """人民政府本级（省、市、县、乡镇人民政府）的年度报告，应写明政府信息公开工作考核、社会评议和责任追究的结果情况。

    为什么：《条例》第五十条第四项对各级人民政府另有这一要求；格式把它放在总体情况的“监督保障”中。
    检查什么：发布机关是人民政府本级时，第一部分、第五部分（及第六部分、引言）是否分别写到考核、评议、责任追究，
    并指出缺了哪一项。
    不报告什么：政府办公室（厅）、部门、街道、功能区的报告（不适用）；发布机关类型不明时只说无法判断；
    报告不完整（缺第一、第五或第六部分）而没有找到时只说无法判断。

    反例：县人民政府的报告只写“将政务公开纳入绩效考核”。
    正例：“开展社会评议，群众满意度95%；全年未发生政府信息公开工作责任追究情况；考核结果已公开。”
    """
    body = issuer(report)
    if body is None or body.kind is None:
        yield not_assessed("未能判断发布机关是否为人民政府本级，无法判断是否须报告考核、评议和责任追究结果", "/meta/issuing_body")
        return
    if not body.is_government:
        yield passed(f"发布机关为{body.describe()}，不是人民政府本级，不适用第五十条第四项的这一要求", "/meta/issuing_body")
        return
    keys = ("overview", "problems", "other_matters")
    text = "\n".join(filter(None, [report.document.get("preamble")] + [report.part_text(k) for k in keys]))
    found = {name: m.group(0) for name, pattern in ART50_ITEMS if (m := pattern.search(text))}
    missing = [name for name, _ in ART50_ITEMS if name not in found]
    if not missing:
        yield passed(f"写明了工作考核、社会评议和责任追究情况（{'、'.join(found.values())}）", "/parts/overview")
        return
    absent = [nf_part for nf_part in keys if report.part(nf_part) is None]
    if absent:
        names = "、".join(p.heading for p in nf.parts() if p.key in absent)
        yield not_assessed(f"未找到{names}，无法判断是否写明{'、'.join(missing)}结果情况", "/parts")
        return
    yield finding(f"{body.name}是人民政府本级，报告未写明{'、'.join(missing)}结果情况（《条例》第五十条第四项）。",
                  "/parts/overview", key=",".join(missing), evidence={"issuer": body.to_json(), "missing": missing,
                                                                      "found": found},
                  fix="在总体情况“监督保障”中写明本年度政府信息公开工作考核、社会评议和责任追究的结果；没有发生的，写明“未发生”。")


# -- 内容: part 五 -----------------------------------------------------------------------------

_PROBLEM = re.compile(r"问题|不足|短板|差距|薄弱|有待|不够|欠缺|不到位|滞后|不规范|不及时|不全面|不平衡|不充分|不高|不强|较少|单一"
                      r"|仍需|尚需|还需|亟需|亟待")
_NO_PROBLEM = re.compile(r"(?:未|没有|无)(?:发现|存在)?[^。；，,]{0,6}问题|不存在[^。；，,]{0,6}问题")
_MEASURE = re.compile(r"改进|整改|下一步|今后|下一年|下年度|明年|新的一年|将(?:进一步|继续|持续|不断|认真|严格|积极|着力|加强|加大|强化|完善|推进|提升|做好)"
                      r"|加强|强化|提升|完善|健全|优化|推进|落实|加大|建立|规范|措施")
_NOT_MEASURE = ("有待", "需要", "需", "不够", "仍需", "尚需", "还需", "亟待", "亟需")


def _measures(text: str) -> list[str]:
    """Improvement measures: a verb of action not used to describe the problem (`有待加强` is a problem)."""
    out = []
    for m in _MEASURE.finditer(text):
        before = text[max(0, m.start() - 4):m.start()]
        if before.endswith("不") or any(before.endswith(w) or w in before[-3:] for w in _NOT_MEASURE):
            continue
        out.append(m.group(0))
    return out


@rule(code="GK-C-015", name="存在的主要问题及改进情况", category="内容", severity="warning",
      basis="《条例》第五十条第四项：政府信息公开工作存在的主要问题及改进情况；"
            f"{FORMAT}第五部分；评估机构批评问题部分空泛、雷同",
      examples=(
          bad("第五部分只有一句“无”", {"/parts/problems/text": "无。"}),
          bad("只写了问题，没有改进措施", {"/parts/problems/text": "2023年，本办政府信息公开工作还存在一些问题和不足，主要是公开内容不够全面，"
                                                                    "政策解读形式较为单一，基层工作人员业务能力有待提高。"}),
          bad("只写了下一步工作，没有指出问题", {"/parts/problems/text": "2024年，我办将进一步加强政府信息公开工作，"
                                                                          "持续完善工作机制，不断提升政务公开质效，推动各项工作落到实处。"}),
          good("写明了问题（牵头抓总能力有待提升等）和改进措施（一是……二是……三是……）"),
      ))
def problems_and_improvements(report: Report) -> Iterator[Outcome]:
    """第五部分应写明政府信息公开工作存在的主要问题，以及改进的措施或情况，不能只有一句空话。

    为什么：《条例》第五十条第四项要求报告“存在的主要问题及改进情况”；评估机构批评只写成绩、不谈问题，
    或问题部分空泛、年年雷同的报告。
    检查什么：第五部分是否指出了问题（问题、不足、短板、有待、不够……，“未发现问题”不算），
    是否写了改进措施（下一步、将、加强、完善、整改……，“有待加强”不算措施），以及是否过于简略（不足40字）。
    不报告什么：找不到第五部分，或第五部分是找到的最后一部分（文本可能被截断）而内容不全时，只说无法判断；
    不评判问题写得是否深刻。

    反例：第五部分只写“无”；或只写“2024年我办将进一步加强政府信息公开工作”。
    正例：“主要是……有待进一步提升……。2024年，我办将……一是……二是……”。
    """
    text = report.part_text("problems")
    pointer = "/parts/problems/text"
    if text is None:
        yield not_assessed("未找到第五部分“存在的主要问题及改进情况”", "/parts/problems")
        return
    stripped = _NO_PROBLEM.sub("", text)
    problems = _PROBLEM.findall(stripped)
    measures = _measures(text)
    chars = len(re.findall(r"[\u4e00-\u9fff]", text))
    lacking = []
    if not problems:
        lacking.append("存在的问题")
    if not measures:
        lacking.append("改进措施")
    short = chars < 40
    if not lacking and not short:
        yield passed(f"第五部分写明了问题和改进措施（{chars} 字）", "/parts/problems")
        return
    if not _followed(report, "problems"):
        yield not_assessed("第五部分是找到的最后一部分，文本可能被截断，无法判断其内容是否完整", "/parts/problems")
        return
    ev = {"chars": chars, "problems": sorted(set(problems))[:5], "measures": sorted(set(measures))[:5], "text": text[:200]}
    if lacking:
        yield finding(f"第五部分没有写明{'和'.join(lacking)}。", pointer, key=",".join(lacking), evidence=ev,
                      fix="具体写明本年度政府信息公开工作存在的主要问题，以及针对问题的改进措施和上年度问题的整改情况。")
    elif short:
        yield finding(f"第五部分只有 {chars} 个字，过于简略：“{text.strip()}”", pointer, key="short", evidence=ev,
                      fix="具体写明存在的主要问题，以及针对问题的改进措施和上年度问题的整改情况。")


# -- 内容: leftover template text ---------------------------------------------------------------

PLACEHOLDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("年份占位符", re.compile(r"(?:19|20)[Xx×]{2}\s*年|YYYY\s*年|(?<![A-Za-z])[Xx×]{2}\s*年")),
    ("“XX”占位符", re.compile(r"(?<![A-Za-z0-9./:_@-])(?:[Xx]{2,}|×{2,})(?![A-Za-z0-9./_@-])")),
    ("日期占位符", re.compile(r"[Xx×]\s*月\s*[Xx×]\s*日|(?<![A-Za-z])MM\s*月|(?<![A-Za-z])DD\s*日")),
    ("数量占位符", re.compile(r"(?<![A-Za-z0-9×])[Xx×](?=\s*(?:件|条|个|项|次|篇|期|人次|万元|元|%|％))")),
    ("“某某”占位符", re.compile(r"某某(?:省|市|县|区|镇|乡|街道|局|委|办|单位|机关|部门)")),
    ("空括号", re.compile(r"【\s*】|〔\s*〕")),
    ("填写说明", re.compile(r"[（(【\[][^）)】\]\n]{0,12}(?:填写|填报|填入|补充完整)[^）)】\]\n]{0,12}[）)】\]]"
                         r"|请(?:在此)?填写|请在此|此处(?:填写|填入|输入|插入|添加)|请输入|请根据实际|请补充")),
    # Only in brackets: "模板内容" and "示例" also occur in plain prose (网站模板、典型示例).
    ("模板说明", re.compile(r"[（(【\[]\s*(?:示例|样例|范例|模板|样本)\s*[）)】\]:：]")),
    ("下划线空格", re.compile(r"_{3,}|＿{2,}")),
)
# Strings at least one of which every match of a pattern contains: a text with none of them cannot
# match, and a few `in` tests are much cheaper than running the patterns over a report's prose.
# Keep in step with PLACEHOLDERS (a test draws matches of each pattern and checks them).
_TWO_XS = tuple(a + b for a in "Xx×" for b in "Xx×")
PLACEHOLDER_NEEDS: dict[str, tuple[str, ...]] = {
    "年份占位符": (*_TWO_XS, "YYYY"),
    "“XX”占位符": _TWO_XS,
    "日期占位符": ("X", "x", "×", "MM", "DD"),
    "数量占位符": ("X", "x", "×"),
    "“某某”占位符": ("某某",),
    "空括号": ("【", "〔"),
    "填写说明": ("填写", "填报", "填入", "补充完整", "请在此", "此处", "请输入", "请根据实际", "请补充"),
    "模板说明": ("示例", "样例", "范例", "模板", "样本"),
    "下划线空格": ("___", "＿＿"),
}
# One search for any of them: cheaper than a Python-level loop of `in` tests over short texts.
_NEEDED = {name: re.compile("|".join(map(re.escape, words))) for name, words in PLACEHOLDER_NEEDS.items()}


@rule(code="GK-C-016", name="模板残留和占位符", category="内容", severity="warning",
      basis=f"{FORMAT}（四）明确责任：内容不准确、不完整、内容雷同、敷衍应付的，依照《条例》第四十七条追究责任",
      examples=(
          bad("第六部分留着“XX年度本机关共收取信息处理费X元”",
              {"/parts/other_matters/text": "XX年度本机关共收取信息处理费X元。如对年报有疑问，请联系政务公开处（电话：0513-85099125，"
                                            "地址：南通市崇川区世纪大道6号，邮编：226018）。"}),
          bad("总体情况里留着填写说明“（请填写本年度主动公开信息条数）”",
              {"/parts/overview/text": "（一）主动公开。全年主动公开政府信息（请填写本年度主动公开信息条数）条。"}),
          good("全文没有占位符和模板说明"),
      ))
def template_leftovers(report: Report) -> Iterator[Outcome]:
    """报告中不应残留模板文字或占位符，如“XX”“××”“20XX年”“某某县”“【】”“（填写……）”“请填写”“此处填写”“（示例）”“____”。

    为什么：照抄模板、没有填完的报告内容不准确、不完整，格式的“明确责任”一节要求对此追责。
    检查什么：标题、引言、各部分标题和正文中的上述字样。
    不报告什么：网址、邮箱等英文字母串中的 x（如 xxgk.gov.cn）；数字之间的乘号；单独的“某”（如“张某”）；
    表格单元格（由 GK-S-004 检查）。

    反例：“XX年度本机关共收取信息处理费X元”；“全年主动公开政府信息（请填写本年度主动公开信息条数）条”。
    正例：“2023年度本机关未收取信息处理费。”
    """
    places = _texts(report, with_title=True)
    if not places:
        yield not_assessed("报告中没有可检查的文字", "/parts")
        return
    hits = 0
    for pointer, text in places:
        taken: list[tuple[int, int]] = []
        for name, pattern in PLACEHOLDERS:
            needs = _NEEDED.get(name)
            if needs is not None and not needs.search(text):
                continue
            for m in pattern.finditer(text):
                # "XX年" is one leftover, not a year placeholder and an XX placeholder.
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                hits += 1
                quote, _ = sentence_around(text, m.start(), m.end())
                yield finding(f"疑似模板残留（{name}）“{m.group(0).strip()}”：“{quote}”", pointer, span=(m.start(), m.end()),
                              key=f"{name}-{m.start()}", evidence={"match": m.group(0), "quote": quote},
                              fix="按本机关实际情况填写，删除模板中的占位符和说明文字。")
    if not hits:
        yield passed("未发现模板残留或占位符", "/parts")


# -- 内容: publication deadline -----------------------------------------------------------------

DEADLINE_DEFAULTS: dict[str, str | None] = {
    "deadline_department": "01-31",   # 《条例》第四十九条：县级以上人民政府部门
    "deadline_government": "03-31",   # 《条例》第四十九条：县级以上地方人民政府
    "deadline_township": None,        # 乡镇、街道：条例未规定，由地方规定
    "deadline_zone": None,            # 功能区：条例未规定，由地方规定
}


def _month_day(value: Any) -> tuple[int, int] | None:
    """`01-31`, `1-31`, `1月31日` -> (1, 31); None for anything else."""
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?\s*", value)
    if not m:
        return None
    try:
        dt.date(2000, int(m[1]), int(m[2]))
    except ValueError:
        return None
    return int(m[1]), int(m[2])


@rule(code="GK-C-017", name="按时发布", category="内容", severity="error",
      basis="《条例》第四十九条：县级以上人民政府部门每年1月31日前公布本机关上一年度年度报告；"
            "县级以上地方人民政府的政府信息公开工作主管部门每年3月31日前公布本级政府上一年度年度报告",
      examples=(
          bad("政府办公室的2023年度报告2024年2月6日才发布", {"/meta/publication_date": "2024-02-06"}),
          good("政府办公室的2023年度报告2024年1月31日发布", {"/meta/publication_date": "2024-01-31"}),
          good("市人民政府本级的2023年度报告2024年3月28日发布", {**GOV_PATCH, "/meta/publication_date": "2024-03-28"}),
      ))
def published_on_time(report: Report, ctx: Any) -> Iterator[Outcome]:
    """年度报告应按期发布：部门（含政府办公室）在次年1月31日前，县级以上人民政府本级在次年3月31日前。

    为什么：《条例》第四十九条规定了发布期限，评估把按时发布作为评分项。
    检查什么：报告的发布日期已知时，按发布机关类型取期限，晚于期限即报告逾期天数。
    期限可在评分方案中按规则设置：deadline_department（默认 01-31）、deadline_government（默认 03-31）、
    deadline_township（乡镇、街道，默认不设）、deadline_zone（功能区，默认不设）。
    不报告什么：发布日期或报告年度未知；乡镇、街道、功能区而评分方案未设期限（条例未规定）；发布机关类型不明。

    反例：市人民政府办公室的2023年度报告2024年2月6日发布（应在1月31日前）。
    正例：2024年1月31日发布。
    """
    options = {**DEADLINE_DEFAULTS, **{k: v for k, v in (getattr(ctx, "options", None) or {}).items()
                                         if k in DEADLINE_DEFAULTS}}
    date_text = report.meta.get("publication_date")
    if not date_text:
        yield not_assessed("未找到报告的发布日期，无法判断是否按时发布", "/meta/publication_date")
        return
    try:
        published = dt.date.fromisoformat(str(date_text))
    except ValueError:
        yield not_assessed(f"发布日期“{date_text}”不是有效日期", "/meta/publication_date")
        return
    year = report.year
    if year is None:
        yield not_assessed("未能确定报告年度，无法判断发布期限", "/meta/report_year")
        return
    body = issuer(report)
    if body is None or body.kind is None:
        yield not_assessed("未能判断发布机关的类型，无法确定发布期限", "/meta/issuing_body")
        return
    township = body.county_or_above is False
    if body.in_zone:
        option, who = "deadline_zone", "功能区"
    elif body.kind in (DEPARTMENT, OFFICE) and not township:
        # Departments exist at county level and above; a name without a place is still one of them.
        option, who = "deadline_department", "县级以上人民政府部门"
    elif body.kind in (SUBDISTRICT, GOVERNMENT, OFFICE, DEPARTMENT) and township:
        option, who = "deadline_township", "乡镇人民政府、街道办事处"
    elif body.kind == GOVERNMENT and body.county_or_above:
        option, who = "deadline_government", "县级以上地方人民政府"
    else:
        yield not_assessed(f"未能判断{body.describe()}适用哪一发布期限", "/meta/issuing_body")
        return
    setting = options.get(option)
    if setting is None:
        yield not_assessed(f"《条例》第四十九条未规定{who}年度报告的发布期限，评分方案也未设置（{option}）", "/meta/publication_date")
        return
    md = _month_day(setting)
    if md is None:
        yield not_assessed(f"评分方案中的发布期限 {option}={setting!r} 不是“月-日”格式", "/meta/publication_date")
        return
    deadline = dt.date(year + 1, *md)
    if published <= dt.date(year, 12, 31):
        yield not_assessed(f"发布日期 {published.isoformat()} 早于报告年度结束，日期可能有误", "/meta/publication_date")
        return
    ev = {"published": published.isoformat(), "deadline": deadline.isoformat(), "issuer": body.to_json(), "option": option}
    if published > deadline:
        late = (published - deadline).days
        yield finding(f"报告 {published.isoformat()} 发布，晚于{who}的发布期限 {deadline.isoformat()}（逾期 {late} 天）。",
                      "/meta/publication_date", evidence={**ev, "days_late": late}, key=option,
                      fix="今后在期限前发布年度报告。")
    else:
        yield passed(f"报告 {published.isoformat()} 发布，未超过{who}的发布期限 {deadline.isoformat()}", "/meta/publication_date")


# -- 内容: 规章 reported by a body that cannot make them -----------------------------------------

def _rules_row() -> nf.RowSpec:
    return next(r for r in nf.table_rows("二") if r.title == "规章")


# The 规章 row's cells by column label, for the examples.
REG = {c.column: c.pointer for c in _rules_row().cells}
TOWNSHIP_PATCH = {"/meta/issuing_body": "桃江县松木塘镇人民政府",
                  "/meta/title": "桃江县松木塘镇人民政府2023年政府信息公开工作年度报告"}


@rule(code="GK-C-018", name="规章制定主体", category="内容", severity="warning",
      basis="《立法法》：规章由国务院部门和省、自治区、直辖市及设区的市、自治州人民政府制定；"
            f"{FORMAT}表二第二十条第（一）项",
      examples=(
          bad("镇人民政府在表二填报“规章”本年制发2件、现行有效2件",
              {**TOWNSHIP_PATCH, REG["本年制发件数"]: 2, REG["本年废止件数"]: 0, REG["现行有效件数"]: 2}),
          good("镇人民政府的“规章”一行全为 0",
               {**TOWNSHIP_PATCH, REG["本年制发件数"]: 0, REG["本年废止件数"]: 0, REG["现行有效件数"]: 0}),
          good("省人民政府办公厅填报规章", {"/meta/issuing_body": "江苏省人民政府办公厅",
                                           "/meta/title": "江苏省人民政府办公厅2023年政府信息公开工作年度报告"}),
      ))
def rules_by_competent_body(report: Report) -> Iterator[Outcome]:
    """县级和乡级的机关（县、区人民政府及其办公室和部门，乡镇、街道）没有规章制定权，表二“规章”一行的
    本年制发件数、现行有效件数一般应为 0；填报了非 0 的数字，多半是把本机关的规范性文件或内部制度计成了规章。

    为什么：只有国务院部门和省级、设区的市级人民政府能制定规章。
    检查什么：表二“规章”的本年制发件数或现行有效件数不为 0，而发布机关是县级或乡级（按名称判断）时给出警告。
    不报告什么：省级、市级机关（设区的市人民政府可以制定规章，其办公室、部门也常填报本级政府的规章）；
    不在地级市名录中的“XX市”机关（多为县级市，也可能是名录之后新设的地级市）和功能区，只说无法判断。

    反例：“桃江县松木塘镇人民政府”填报规章本年制发2件、现行有效2件。
    正例：镇人民政府的“规章”一行为 0。
    """
    row = _rules_row()
    cells = {c.column: report.cell(c.pointer) for c in row.cells}
    issued, in_force = cells.get("本年制发件数"), cells.get("现行有效件数")
    values = [c.value for c in (issued, in_force) if c is not None and c.value is not None]
    if not any(v > 0 for v in values):
        if len(values) == 2:
            yield passed("表二“规章”的本年制发件数、现行有效件数均为 0", row.pointer)
        else:
            yield not_assessed("表二“规章”一行未找到或未填有效数字", row.pointer)
        return
    body = issuer(report)
    ev = {"issued": issued.value if issued else None, "in_force": in_force.value if in_force else None}
    if body is None or body.kind is None:
        yield not_assessed("表二填报了规章，但未能判断发布机关，无法判断其有无规章制定权", row.pointer)
        return
    ev["issuer"] = body.to_json()
    if body.level in (COUNTY, TOWNSHIP):
        target = issued if issued is not None and issued.value else in_force
        yield finding(f"{body.name}（{body.level}）没有规章制定权，表二“规章”却填报了本年制发 {ev['issued']} 件、"
                      f"现行有效 {ev['in_force']} 件。", target.pointer, evidence=ev,
                      fix="核对后更正：本机关的行政规范性文件计入“行政规范性文件”一行，内部制度不计入；没有规章的填 0。")
    elif body.level in (PROVINCE, CITY):
        yield passed(f"{body.describe()}填报规章，不属于无规章制定权的县级、乡级机关", row.pointer)
    else:
        yield not_assessed(f"表二填报了规章，但无法从名称判断{body.describe()}的级别（设区的市可以制定规章）", row.pointer)


RULES = [overview_aspects, heading_wording, report_title, statistical_period, year_consistent, format_citation,
         art50_results, problems_and_improvements, template_leftovers, published_on_time, rules_by_competent_body]
