"""Part headings, the prose of each part, and the report's title, issuing body, year and date."""

from __future__ import annotations

import re
from typing import Any

from .. import nationalformat as nf
from ..normalize import key
from .model import Extraction, Token, closest

# Headings as the 2021 format gives them, and the variants seen in real reports.
HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    "一": ("一、总体情况",),
    "二": ("二、主动公开政府信息情况",),
    "三": ("三、收到和处理政府信息公开申请情况",),
    "四": ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
          "四、政府信息公开行政复议和行政诉讼情况"),
    "五": ("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"),
    "六": ("六、其他需要报告的事项",),
}
_HEADING_KEYS = {key(v): num for num, vs in HEADING_VARIANTS.items() for v in vs}
_TRAILING = "。:：."
_NUMBERED = re.compile(r"^[一二三四五六]、")

_YEAR_NAME = re.compile(r"(?P<body>[^《》\s,，。:：;；、()（）|]{2,40}?)(?P<year>(?:19|20)\d{2})\s*年度?(?:政府信息公开|政务公开)")
_LEAD = re.compile(r"^(现将|现发布|现予公布|现公布|发布|公布|编制了|编制)")
_ANNOUNCED = re.compile(r"(?:现将|现发布|现予公布|现公布|特发布|编制了?)《?(?P<body>[^《》\s,，。:：;；、()（）|]{2,40}?)(?P<year>(?:19|20)\d{2})\s*年度?(?:政府信息公开|政务公开)")
# Words that stand for the body without naming it, and names of notices rather than bodies.
_NOT_A_NAME = re.compile(r"^(我|本)(办|局|委|厅|乡|镇|街道|区|县|市|单位|机关|部门|院|中心|处)?$|关于|通知|意见|方案")
_PERIOD = re.compile(r"统计(?:期限|时限|期间|时间).{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_PUBDATE = re.compile(r"(?:发布|公开|成文)(?:日期|时间)\s*[:：|]?\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_PUBLISHER = re.compile(r"发布机构\s*[:：|]?\s*([^\s|:：]{2,30})")
_BODY_END = re.compile(r"(人民政府|办公室|办公厅|局|委员会|委|厅|街道办事处|街道|管理委员会|管委会|中心|乡|镇|院|署|处)$")


def find_headings(tokens: list[Token], ex: Extraction) -> dict[str, int]:
    """Index of each part heading found, by part number (一 … 六).

    Known headings and their accepted variants match exactly; a heading that differs from all of
    them by a word or two (`二、主动公开政府信息的情况`) is matched by similarity and kept as written,
    so that a rule can point the difference out.
    """
    found: dict[str, int] = {}
    candidates = list(_HEADING_KEYS)
    for t in tokens:
        k = t.key.rstrip(_TRAILING)
        num = _HEADING_KEYS.get(k)
        if num is None and t.kind == "paragraph" and len(k) <= 40 and _NUMBERED.match(k):
            near = closest(k, [c for c in candidates if c[0] == k[0]], cutoff=0.82)
            num = _HEADING_KEYS.get(near) if near else None
        if num and num not in found:
            found[num] = t.index
    return found


def read_parts(tokens: list[Token], headings: dict[str, int], consumed: set[int], ex: Extraction) -> None:
    order = sorted(headings.items(), key=lambda kv: kv[1])
    starts = [idx for _, idx in order]
    by_number = {p.number: p for p in nf.parts()}
    first = starts[0] if starts else len(tokens)
    preamble = [t for t in tokens[:first] if t.kind == "paragraph" and t.index not in consumed]
    ex.document["preamble"] = "\n".join(t.text for t in preamble)
    ex.source_map["/preamble"] = text_map(preamble)
    for position, (num, idx) in enumerate(order, start=1):
        nxt = starts[position] if position < len(starts) else len(tokens)
        body = [t for t in tokens[idx + 1:nxt] if t.kind == "paragraph" and t.index not in consumed]
        spec = by_number[num]
        ex.document["parts"][spec.key] = {"heading": tokens[idx].text, "text": "\n".join(t.text for t in body),
                                          "position": position}
        ex.source_map[spec.pointer] = {**tokens[idx].loc.to_json(), "text": tokens[idx].text}
        ex.source_map[f"{spec.pointer}/text"] = text_map(body)


def text_map(paras: list[Token]) -> dict[str, Any]:
    """Where each paragraph of a joined text starts, so a character offset maps back to a line."""
    offsets, pos = [], 0
    for t in paras:
        offsets.append({"offset": pos, **t.loc.to_json()})
        pos += len(t.text) + 1
    return {**(paras[0].loc.to_json() if paras else {}), "paragraphs": offsets}


def find_title(tokens: list[Token], headings: dict[str, int]) -> list[Token]:
    """The line or lines near the top that name the report (a title is often broken in two)."""
    first = min(headings.values(), default=len(tokens))
    head = [t for t in tokens[:first] if t.kind == "paragraph" and len(t.text) <= 60][:16]

    def score(text: str) -> int:
        s = 2 * bool(re.search(r"(19|20)\d{2}\s*年", text)) + 2 * ("政府信息公开" in text or "政务公开" in text)
        return s + 2 * bool(re.search(r"(年度报告|工作报告|年报)$", text.rstrip("》")))

    best: tuple[int, list[Token]] = (0, [])
    for i, t in enumerate(head):
        options = [[t]]
        if i + 1 < len(head) and head[i + 1].index == t.index + 1:
            options.append([t, head[i + 1]])
        for opt in options:
            text = "".join(x.text for x in opt)
            s = score(text) - (len(opt) - 1)   # one line beats two of the same worth
            if len(opt) == 2 and _BODY_END.search(opt[0].text) and re.match(r"(19|20)\d{2}\s*年", opt[1].text):
                s += 2   # the body's name on its own line above "2023年…年度报告"
            if s > best[0] and s >= 4 and not text.startswith(("根据", "依据", "按照")):
                best = (s, opt)
    return best[1]


def read_meta(tokens: list[Token], headings: dict[str, int], ex: Extraction, template: str,
              title: list[Token]) -> None:
    meta = ex.document["meta"]
    first = min(headings.values(), default=len(tokens))
    head = tokens[:first]
    preamble = ex.document.get("preamble", "")
    quoted = re.findall(r"《([^《》]{4,80}年度报告)》", preamble)
    title_text = "".join(t.text for t in title) if title else None
    if title_text:
        meta["title"] = title_text
        ex.source_map["/meta/title"] = {**title[0].loc.to_json(), "text": title_text}
    else:
        # Many reports carry no title line and name themselves in the opening sentence instead.
        meta["title"] = quoted[0] if quoted else None
        if quoted:
            ex.source_map["/meta/title"] = {**ex.source_map["/preamble"], "text": quoted[0]}

    body = year = None
    opening = preamble.split("\n")[:3]
    named = [m for text in opening for m in _ANNOUNCED.finditer(text)]
    for text in ([title_text] if title_text else []) + [q for q in quoted if not _NOT_A_NAME.search(q)] + opening:
        named += list(_YEAR_NAME.finditer(text))
    for m in named:
        name = _LEAD.sub("", m["body"])
        year = year or int(m["year"])
        if len(name) >= 2 and not _NOT_A_NAME.search(name):
            body, year = name, int(m["year"])
            break
    if body is None:
        # A title that starts with the year names the body on a neighbouring line.
        for t in head[:6]:
            if t.kind == "paragraph" and t not in title and len(t.text) <= 30 and _BODY_END.search(t.text):
                body = t.text
                break
    if year is None and title_text:
        m = re.search(r"((?:19|20)\d{2})\s*年", title_text)
        year = int(m[1]) if m else None
    head_text = " ".join(t.text for t in head[:60])
    if body is None:
        m = _PUBLISHER.search(head_text)
        body = m[1] if m else None
    overview = ex.document["parts"].get("overview", {}).get("text", "")
    if year is None:
        m = _PERIOD.search(preamble + "\n" + overview)
        year = int(m[1]) if m else None
    meta["issuing_body"] = body
    meta["report_year"] = year
    m = _PUBDATE.search(head_text) or _PUBDATE.search("\n".join(t.text for t in tokens if t.kind == "paragraph"))
    meta["publication_date"] = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31 else None
    meta["template_version"] = template if ex.document["tables"] or template == "2019" else "unknown"
