"""Helpers shared by the built-in rule modules."""

from __future__ import annotations

from typing import Iterable, Iterator

from gongkai import nationalformat as nf
from gongkai.api import Outcome, Report, not_assessed, passed
from gongkai.identities import Identity, evaluate


def check_identities(report: Report, table: str, identities: Iterable[Identity], what: str) -> Iterator[Outcome]:
    """Evaluate identities of one table; one 'not assessed' for a missing table, a note when all hold."""
    if not report.has_table(table):
        yield not_assessed(f"未找到表{table}，无法核对{what}", f"/tables/{nf.table_key(table)}")
        return
    held = 0
    for ident in identities:
        outcome = evaluate(report, ident)
        if outcome is None:
            held += 1
        else:
            yield outcome
    if held:
        yield passed(f"表{table}{what}：{held} 处关系成立", f"/tables/{nf.table_key(table)}")
