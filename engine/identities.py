"""Arithmetic identities between cells: the one mechanism behind every 勾稽 rule.

An identity says sum(left) == sum(right). The right side holds the total as the report states it
("actual"); the left side holds the parts it should equal ("expected"). A missing or blank cell is
never taken as 0: the identity is then not assessed, and says which cells it lacked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .api import Finding, NotAssessed, Outcome, finding, not_assessed
from .document import Cell, Report


@dataclass(frozen=True)
class Identity:
    left: tuple[str, ...]        # pointers whose sum is expected
    right: tuple[str, ...]       # pointers whose sum the report states
    relation: str                # how people write it, e.g. "一+二 = 三（七）+四"
    scope: str                   # which instance, e.g. "自然人 列"
    tolerance: Decimal = Decimal(0)


def _term(report: Report, cell: Cell) -> dict[str, Any]:
    term: dict[str, Any] = {"pointer": cell.pointer, "label": cell.label, "value": cell.value}
    if cell.source:
        term["source"] = {k: v for k, v in cell.source.items() if k != "text"}
    return term


def _fmt(n: Decimal) -> str:
    return format(n.normalize(), "f") if n != n.to_integral() else str(int(n))


def evaluate(report: Report, ident: Identity) -> Outcome | None:
    """A Finding when the identity fails, NotAssessed when it cannot be judged, None when it holds."""
    cells = {p: report.cell(p) for p in (*ident.left, *ident.right)}
    absent = [p for p, c in cells.items() if c is None]
    blank = [p for p, c in cells.items() if c is not None and c.value is None]
    if absent or blank:
        what = []
        if absent:
            what.append(f"{len(absent)} 个单元格未找到")
        if blank:
            what.append(f"{len(blank)} 个单元格为空或不是有效数字")
        return not_assessed(f"{ident.scope}：{'，'.join(what)}，无法核对 {ident.relation}", absent + blank)
    left = [cells[p] for p in ident.left]
    right = [cells[p] for p in ident.right]
    expected = sum((Decimal(str(c.value)) for c in left), Decimal(0))
    actual = sum((Decimal(str(c.value)) for c in right), Decimal(0))
    diff = actual - expected
    if abs(diff) <= ident.tolerance:
        return None

    everything = left + right
    same_column = len({(c.spec.table, c.spec.column) for c in everything}) == 1
    same_row = len({(c.spec.table, c.spec.row) for c in everything}) == 1

    def name(c: Cell) -> str:
        if same_column:
            return c.spec.row.rsplit("/", 1)[-1] if len(left) > 4 else c.spec.row
        if same_row:
            return c.spec.column
        return c.label

    def side(cs: list[Cell]) -> str:
        # Long sums name only their non-zero terms; the evidence keeps every term.
        shown = cs if len(cs) <= 7 else [c for c in cs if c.value] or cs[:1]
        text = " + ".join(f"{name(c)}（{_fmt(Decimal(str(c.value)))}）" for c in shown)
        rest = len(cs) - len(shown)
        return text + (f"（其余 {rest} 项均为 0）" if rest else "")

    message = (f"{ident.scope}：{side(left)} = {_fmt(expected)}，但 {side(right)} = {_fmt(actual)}，"
               f"相差 {_fmt(diff)}。应满足 {ident.relation}。")
    return finding(
        message, [*ident.right, *ident.left],
        evidence={
            "relation": ident.relation,
            "scope": ident.scope,
            "expected": float(expected) if expected != expected.to_integral() else int(expected),
            "actual": float(actual) if actual != actual.to_integral() else int(actual),
            "difference": float(diff) if diff != diff.to_integral() else int(diff),
            "expected_terms": [_term(report, c) for c in left],
            "actual_terms": [_term(report, c) for c in right],
        },
        key=ident.scope)


__all__ = ["Finding", "Identity", "NotAssessed", "evaluate"]
