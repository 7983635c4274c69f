"""Plain-text reports, as copied from web pages.

Table cells arrive flattened: one per line followed by ` |` (the seed's layout), as markdown-like
pipe rows (`| a | b |`), or as bare lines. Lines made only of pipes stand for merged cells and carry
no cell of their own.
"""

from __future__ import annotations

import re

from ..layout import Block, Layout, Location, SourceInfo
from ..normalize import clean

_ONLY_PIPES = re.compile(r"^[\s|]*$")


def read_text(text: str, source: SourceInfo) -> Layout:
    layout = Layout(source)
    for number, line in enumerate(text.splitlines(), start=1):
        if "|" not in line:
            if line.strip():
                layout.blocks.append(Block("paragraph", clean(line), Location(line=number)))
            continue
        if _ONLY_PIPES.match(line):
            continue
        body = line.strip()
        # A leading pipe opens a row and a trailing one closes the last cell; neither is a cell.
        if body.startswith("|"):
            body = body[1:]
        if body.endswith("|"):
            body = body[:-1]
        for piece in body.split("|"):
            layout.blocks.append(Block("cell", clean(piece), Location(line=number)))
    return layout
