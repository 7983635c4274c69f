"""What a reader hands to the extractor: blocks of text in reading order, each with its source location.

A table read from a grid (HTML, Word) and a table flattened into lines of text both arrive as a
stream of `cell` blocks in row-major order, so one extractor serves every input format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


# Slotted and not frozen: a report makes hundreds of these, and a frozen dataclass's __init__ costs
# several times as much. Treat them as values all the same: nothing changes one after it is made.
@dataclass(slots=True)
class Location:
    """Where a piece of text stands in the source; fields that do not apply stay None."""

    line: int | None = None      # 1-based line of a text file
    page: int | None = None      # 1-based page of a PDF
    table: int | None = None     # 1-based table number in a grid source (HTML, Word, PDF)
    row: int | None = None       # 1-based row within that table
    col: int | None = None       # 1-based column within that table

    def to_json(self) -> dict[str, int]:
        # Called for every value and paragraph read (the hottest line of a check): plain tests, no
        # asdict, no getattr loop.
        out = {}
        if self.line is not None:
            out["line"] = self.line
        if self.page is not None:
            out["page"] = self.page
        if self.table is not None:
            out["table"] = self.table
        if self.row is not None:
            out["row"] = self.row
        if self.col is not None:
            out["col"] = self.col
        return out


@dataclass(slots=True)
class Block:
    kind: Literal["paragraph", "cell"]
    text: str
    loc: Location


@dataclass(frozen=True)
class SourceInfo:
    name: str
    format: str           # "text", "json", …
    sha256: str
    size: int
    encoding: str | None = None


@dataclass
class Layout:
    source: SourceInfo
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # what the reader changed or doubted, in Chinese
