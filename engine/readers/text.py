"""Plain-text reports, as copied from web pages or converted from PDF.

Table cells arrive flattened in several ways: one per line followed by ` |` (the seed's layout),
markdown-like pipe rows (`| a | b |`), bare lines (one cell per line, often with blank lines
between), or `pdftotext -layout` rows where a label and its numbers stand in columns separated
by runs of spaces.
"""

from __future__ import annotations

import re

from ..layout import Block, Layout, Location, SourceInfo
from ..normalize import clean

_ONLY_PIPES = re.compile(r"^[\s|]*$")
_COLUMNS = re.compile(r"\s{2,}|\t+")
_VALUE = re.compile(r"^([+-]?\d[\d,]*(\.\d+)?|/|-|—|——|无)$")


def read_text(text: str, source: SourceInfo) -> Layout:
    layout = Layout(source)
    for number, line in enumerate(text.splitlines(), start=1):
        loc = Location(line=number)
        if "|" not in line:
            if line.strip():
                layout.blocks.extend(_plain_line(line, loc))
            continue
        if _ONLY_PIPES.match(line):
            # Each pipe closes one cell: a line of pipes is empty cells (or merged ones; the
            # extractor counts blanks only where a row would otherwise be short).
            layout.blocks.extend(Block("cell", "", loc) for _ in range(line.count("|")))
            continue
        body = line.strip()
        # A leading pipe opens a row and a trailing one closes the last cell; neither is a cell.
        if body.startswith("|"):
            body = body[1:]
        if body.endswith("|"):
            body = body[:-1]
        for piece in body.split("|"):
            layout.blocks.append(Block("cell", clean(piece), loc))
    return layout


def _plain_line(line: str, loc: Location) -> list[Block]:
    """A line of prose is one paragraph; a `pdftotext -layout` table row is a row of cells."""
    pieces = [p for p in _COLUMNS.split(line.strip()) if p]
    if len(pieces) >= 2 and sum(bool(_VALUE.match(p.replace(" ", ""))) for p in pieces[1:]) >= len(pieces[1:]) / 2:
        return [Block("cell", clean(p), loc) for p in pieces]
    return [Block("paragraph", clean(line), loc)]
