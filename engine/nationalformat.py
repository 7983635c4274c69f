"""The national format as data, derived from `schemas/annual-report.schema.json`.

The schema is the single definition of the format: every property's `title` is the format's own
label. This module walks it once and offers the tables as rows and cells with their labels and
JSON Pointers, so that readers, rules and renderers never spell a label or a path themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

TABLE_NAMES = {"t2": "二", "t3": "三", "t4": "四"}


@dataclass(frozen=True)
class CellSpec:
    table: str          # "二", "三" or "四"
    row: str            # the row's label path, e.g. "（三）不予公开/1.属于国家秘密"
    column: str         # the column's label, e.g. "自然人"
    pointer: str        # JSON Pointer into the report document
    kind: str           # "count" (件, integer) or "fee" (万元, decimal)


@dataclass(frozen=True)
class RowSpec:
    table: str
    key: str            # last key of the row's pointer, e.g. "state_secret"
    label: str          # label path as above
    title: str          # the row's own label, e.g. "1.属于国家秘密"
    group: str | None   # the enclosing group's label, e.g. "（三）不予公开"
    pointer: str
    cells: tuple[CellSpec, ...]


@dataclass(frozen=True)
class PartSpec:
    key: str            # e.g. "overview"
    number: str         # "一" … "六"
    heading: str        # canonical heading, e.g. "一、总体情况"
    pointer: str


@cache
def schema() -> dict[str, Any]:
    return load_schema("annual-report.schema.json")


def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("gongkai.schemas").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


def _resolve(node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    ref = node.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return schema()["$defs"][name], name
    return node, None


def _is_cell(node: dict[str, Any]) -> bool:
    return _resolve(node)[1] in ("count_cell", "fee_cell")


def _rows(table: str, node: dict[str, Any], pointer: str, labels: list[str]) -> list[RowSpec]:
    rows: list[RowSpec] = []
    for key, child in node["properties"].items():
        target, _ = _resolve(child)
        label = list(labels)
        if child.get("x-group"):
            label.append(child["x-group"])
        if not child.get("x-omit-from-label"):
            label.append(child["title"])
        path = f"{pointer}/{key}"
        if not all(_is_cell(p) for p in target["properties"].values()):
            rows.extend(_rows(table, target, path, label))
            continue
        cells = tuple(
            CellSpec(table, "/".join(label), col["title"], f"{path}/{ck}",
                     "fee" if _resolve(col)[1] == "fee_cell" else "count")
            for ck, col in target["properties"].items())
        group = label[-2] if len(label) > 1 else None
        rows.append(RowSpec(table, key, "/".join(label), child["title"], group, path, cells))
    return rows


@cache
def table_rows(table: str) -> tuple[RowSpec, ...]:
    """Rows of table "二", "三" or "四" in the format's order."""
    tkey = next(k for k, v in TABLE_NAMES.items() if v == table)
    node = schema()["properties"]["tables"]["properties"][tkey]
    return tuple(_rows(table, node, f"/tables/{tkey}", []))


@cache
def all_cells() -> tuple[CellSpec, ...]:
    return tuple(c for t in TABLE_NAMES.values() for r in table_rows(t) for c in r.cells)


@cache
def cell_by_pointer() -> dict[str, CellSpec]:
    return {c.pointer: c for c in all_cells()}


@cache
def row_by_pointer() -> dict[str, RowSpec]:
    return {r.pointer: r for t in TABLE_NAMES.values() for r in table_rows(t)}


@cache
def parts() -> tuple[PartSpec, ...]:
    props = schema()["properties"]["parts"]["properties"]
    return tuple(PartSpec(k, v["x-number"], v["title"], f"/parts/{k}") for k, v in props.items())


def table_key(table: str) -> str:
    return next(k for k, v in TABLE_NAMES.items() if v == table)


def t3_columns() -> tuple[str, ...]:
    return tuple(c.column for c in table_rows("三")[0].cells)
