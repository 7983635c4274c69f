"""Read access to a report document for rules and renderers.

Rules ask for cells by their place in the format (`report.t3("new_received", "total")`) or by
pointer; a cell the report does not have is None, never 0, so a rule can say it could not judge.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Iterator

from . import nationalformat as nf
from .pointer import get_at


@dataclass(frozen=True)
class Cell:
    spec: nf.CellSpec
    value: int | float | None     # None: blank, placeholder or not a valid number
    raw: str | None
    source: dict[str, Any] | None

    @property
    def pointer(self) -> str:
        return self.spec.pointer

    @property
    def label(self) -> str:
        """`表三 （三）不予公开/1.属于国家秘密 × 自然人`"""
        return f"表{self.spec.table} {self.spec.row} × {self.spec.column}"


class Report:
    """A report document with the source map of where each value came from.

    Rules read it and never change it (what they derive is cached per report, see `derived`)."""

    def __init__(self, document: dict[str, Any], source_map: dict[str, dict[str, Any]] | None = None):
        self.document = document
        self.source_map = source_map or {}
        self._derived: dict[str, Any] = {}
        self._cells: dict[str, Cell | None] = {}

    def derived(self, key: str, compute: Callable[["Report"], Any]) -> Any:
        """What several rules derive from the same report (a parse of the prose, say), computed once.

        `key` names the derivation (use your plugin's name as a prefix); `compute(report)` must only
        read the report.
        """
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]

    # -- metadata and prose ---------------------------------------------------------------------
    @property
    def meta(self) -> dict[str, Any]:
        return self.document.get("meta", {})

    @property
    def year(self) -> int | None:
        return self.meta.get("report_year")

    def part(self, key: str) -> dict[str, Any] | None:
        """A part by its key (`overview` … `other_matters`), or None when the report lacks it."""
        return self.document.get("parts", {}).get(key)

    def part_text(self, key: str) -> str | None:
        part = self.part(key)
        return None if part is None else part.get("text", "")

    # -- tables ---------------------------------------------------------------------------------
    def get(self, pointer: str) -> Any:
        """What a JSON Pointer names in the document, or None when it is not there."""
        return get_at(self.document, pointer)

    def has_table(self, table: str) -> bool:
        return nf.table_key(table) in self.document.get("tables", {})

    def cell(self, pointer: str) -> Cell | None:
        """The cell at a pointer, or None when the report does not have it at all."""
        # Every identity asks for its cells, and rules never change the document: look each up once.
        found = self._cells.get(pointer, _UNSEEN)
        if found is not _UNSEEN:
            return found
        # The rest of the row is asked for next (by the same identity, or the next rule): one walk
        # down to the row serves all its cells.
        row_pointer, row_cells = _row_cells()[pointer]
        row = self.get(row_pointer)
        for spec, step in row_cells:
            node = row.get(step) if isinstance(row, dict) else None
            self._cells[spec.pointer] = None if node is None else Cell(
                spec, node.get("value"), node.get("raw"), self.source_map.get(spec.pointer))
        return self._cells[pointer]

    def t3(self, row: str, column: str) -> Cell | None:
        """Table 三 by row key (`new_received`, `state_secret`, `total` of results …) and column key."""
        spec = _t3_row(row)
        return self.cell(f"{spec.pointer}/{column}")

    def cells(self, table: str | None = None) -> Iterator[tuple[nf.CellSpec, Cell | None]]:
        """Every cell of the format in order, with what the report has for it (None: not found)."""
        for t in ([table] if table else nf.TABLE_NAMES.values()):
            for row in nf.table_rows(t):
                for spec in row.cells:
                    yield spec, self.cell(spec.pointer)

    def locate(self, pointer: str) -> dict[str, Any] | None:
        return self.source_map.get(pointer)


_UNSEEN = object()   # not looked up yet (None is a cell the report does not have)


@cache
def _row_cells() -> dict[str, tuple[str, tuple[tuple[nf.CellSpec, str], ...]]]:
    """Cell pointer -> (its row's pointer, every cell of that row with its last pointer step)."""
    out = {}
    for table in nf.TABLE_NAMES.values():
        for row in nf.table_rows(table):
            cells = tuple((c, c.pointer.rsplit("/", 1)[1]) for c in row.cells)
            for c in row.cells:
                out[c.pointer] = (row.pointer, cells)
    return out


def _t3_row(key: str) -> nf.RowSpec:
    for row in nf.table_rows("三"):
        if row.key == key or row.pointer.endswith("/" + key):
            return row
    raise KeyError(f"表三没有这一行：{key}")
