"""Plain-text reports, as copied from web pages or converted from PDF.

Table cells arrive flattened in several ways: one per line followed by ` |` (the seed's layout),
markdown-like pipe rows (`| a | b |`), bare lines (one cell per line, often with blank lines
between), or `pdftotext -layout` rows where a label and its numbers stand in columns separated
by runs of spaces.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..layout import Block, Layout, Location, SourceInfo
from ..normalize import clean

_ONLY_PIPES = re.compile(r"^[\s|]*$")
_COLUMNS = re.compile(r"\s{2,}|\t+")
_VALUE = re.compile(r"^([+-]?\d[\d,]*(\.\d+)?|/|-|—|——|无)$")


def read_text(text: str, source: SourceInfo) -> Layout:
    layout = Layout(source)
    blocks = layout.blocks
    for number, line in enumerate(text.splitlines(), start=1):
        pieces = _known_line(line) if len(line) <= _CACHED_LINE else _line_blocks(line)
        if pieces:
            loc = Location(line=number)
            blocks.extend([Block(kind, piece, loc) for kind, piece in pieces])
    return layout


# Batch scoring reads thousands of reports whose table lines are the same few hundred labels and
# small numbers: what a line becomes depends on nothing but its text, so it is worked out once per
# process. Long lines are prose, different in every report: caching them would only hold memory.
_CACHED_LINE = 120


def _line_blocks(line: str) -> tuple[tuple[str, str], ...]:
    """The (kind, text) of each block a line gives, in order; nothing for a blank line."""
    if "|" not in line:
        return _plain_line(line) if line.strip() else ()
    if _ONLY_PIPES.match(line):
        # Each pipe closes one cell: a line of pipes is empty cells (or merged ones; the
        # extractor counts blanks only where a row would otherwise be short).
        return (("cell", ""),) * line.count("|")
    body = line.strip()
    # A leading pipe opens a row and a trailing one closes the last cell; neither is a cell.
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return tuple(("cell", clean(piece)) for piece in body.split("|"))


_known_line = lru_cache(maxsize=8192)(_line_blocks)


def _plain_line(line: str) -> tuple[tuple[str, str], ...]:
    """A line of prose is one paragraph; a `pdftotext -layout` table row is a row of cells."""
    pieces = [p for p in _COLUMNS.split(line.strip()) if p]
    if len(pieces) >= 2 and sum(bool(_VALUE.match(p.replace(" ", ""))) for p in pieces[1:]) >= len(pieces[1:]) / 2:
        return tuple(("cell", clean(p)) for p in pieces)
    return (("paragraph", clean(line)),)
