"""Where a finding is, in words a reader of the report can follow (shared by the renderers)."""

from __future__ import annotations

from typing import Any


def describe(loc: dict[str, Any]) -> str:
    """`表三 一、本年新收… × 自然人，原文第 55 行`, or the pointer when nothing better is known."""
    bits = []
    if loc.get("label"):
        bits.append(loc["label"])
    src = loc.get("source") or {}
    place = []
    if src.get("page"):
        place.append(f"第 {src['page']} 页")
    if src.get("line"):
        place.append(f"第 {src['line']} 行")
    if src.get("table") and src.get("row") and src.get("col"):
        place.append(f"表格 {src['table']} 第 {src['row']} 行第 {src['col']} 列")
    if place:
        bits.append("原文" + " ".join(place))
    if not bits and loc.get("pointer"):
        bits.append(loc["pointer"])
    return "，".join(bits)
