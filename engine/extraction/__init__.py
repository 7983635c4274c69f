"""Layout -> report document (valid against annual-report.schema.json) + source map.

What cannot be found is left out of the document and named in `missing`; nothing is ever filled
in with 0. Where the report departs from the format but can still be read (a typo in a label,
`合计` for `总计`, a subtotal row), the value is read and the departure recorded under
`deviations`, for the rules to report.
"""

from __future__ import annotations

from .. import nationalformat as nf
from ..layout import Layout
from ..normalize import key
from .headings import HEADING_VARIANTS, find_headings, find_title, read_meta, read_parts
from .model import PLACEHOLDERS, Extraction, Token, label_key, parse_value
from .tables import TEMPLATE_2019_MARKERS, is_2019, read_t2, read_t3, read_t4

__all__ = ["HEADING_VARIANTS", "PLACEHOLDERS", "TEMPLATE_2019_MARKERS", "Extraction", "extract", "label_key",
           "parse_value"]


def extract(layout: Layout) -> Extraction:
    tokens = [Token(i, b.text, key(b.text), b.loc, b.kind) for i, b in enumerate(layout.blocks)]
    ex = Extraction({"schema_version": "1", "meta": {}, "parts": {}, "tables": {}}, {}, notes=list(layout.notes))
    headings = find_headings(tokens, ex)
    consumed: set[int] = set()
    template = "2019" if is_2019(tokens) else "2021"
    if template == "2019":
        ex.notes.append("报告使用的是已废止的 2019 年试行格式（国办公开办函〔2019〕60号），其表格不按 2021 年格式读取。")
    else:
        end3 = read_t3(tokens, ex, consumed, headings)
        read_t2(tokens, ex, consumed, headings)
        read_t4(tokens, ex, consumed, headings, end3)
    title = find_title(tokens, headings)
    consumed.update(t.index for t in title)
    read_parts(tokens, headings, consumed, ex)
    read_meta(tokens, headings, ex, template, title)
    for tkey, name in nf.TABLE_NAMES.items():
        if tkey not in ex.document["tables"]:
            ex.missing.append(f"表{name}")
    for part in nf.parts():
        if part.key not in ex.document["parts"]:
            ex.missing.append(part.heading)
    return ex
