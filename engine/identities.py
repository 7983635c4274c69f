"""Arithmetic identities between cells: the one mechanism behind every 勾稽 rule.

An identity compares two sums of cells: `left op right`, where `left` is what the report states
(its "actual" side) and `right` what it should agree with ("expected"). Cells are named the way
people read them — `表三 一、本年新收政府信息公开申请数量 × 自然人` — so that an evaluator can write
identities in YAML without Python (`rules_from_yaml`); the built-in 勾稽 rules are written the same way
(`rules/arithmetic.yaml`). A missing or blank cell is never taken as 0: the identity is then not
assessed, and says which cells it lacked. Counts are compared exactly, money as decimals.
"""

from __future__ import annotations

import fnmatch
import itertools
import operator
import re
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import nationalformat as nf
from .api import CATEGORIES, SEVERITIES, Context, Example, Outcome, Rule, finding, not_assessed, passed
from .document import Cell, Report
from .errors import GongkaiError
from .normalize import key
from .yamlfile import load_yaml


class RuleFileError(GongkaiError):
    """A rules file (YAML identities) is malformed; the message says where, in Chinese."""


OPS = {"==": operator.eq, "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
OP_SIGNS = {"==": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}


@dataclass(frozen=True)
class Term:
    pointer: str
    sign: int = 1           # -1 subtracts the cell
    prior: bool = False     # the cell of the previous year's report


@dataclass(frozen=True)
class Identity:
    left: tuple[Term, ...]
    op: str
    right: tuple[Term, ...]
    relation: str           # how people write it, e.g. "一 + 二 = （七）总计 + 四"
    scope: str              # which instance, e.g. "自然人 列"
    tolerance: Decimal = Decimal(0)

    # Every report asks these of every identity; worked out once (cached_property writes the
    # instance's __dict__ directly, so it works on a frozen dataclass and leaves == and hash alone).
    @cached_property
    def needs_prior(self) -> bool:
        return any(t.prior for t in (*self.left, *self.right))

    @cached_property
    def pointers(self) -> tuple[str, ...]:
        return tuple(t.pointer for t in (*self.left, *self.right))


# -- evaluation ---------------------------------------------------------------------------------

def _fmt(n: Decimal) -> str:
    return format(n.normalize(), "f") if n != n.to_integral() else str(int(n))


def _num(n: Decimal) -> int | float:
    return int(n) if n == n.to_integral() else float(n)


def _holds(left: Decimal, op: str, right: Decimal, tol: Decimal) -> bool:
    if op == "==":
        return abs(left - right) <= tol
    if op in ("<=", "<"):
        return OPS[op](left - tol, right)
    return OPS[op](left + tol, right)


def evaluate(report: Report, ident: Identity, prior: Report | None = None,
             tolerance: Decimal | None = None) -> Outcome | None:
    """A Finding when the identity fails, NotAssessed when it cannot be judged, None when it holds."""
    if ident.needs_prior:
        if prior is None:
            return not_assessed(f"{ident.scope}：需要上一年度的报告（--prior）才能核对 {ident.relation}")
    elif _holds_in_whole_numbers(report, ident, tolerance):
        return None
    return _evaluate(report, ident, prior, tolerance)


def _holds_in_whole_numbers(report: Report, ident: Identity, tolerance: Decimal | None) -> bool:
    """Whether the identity holds, when all its cells are whole numbers (every count is).

    A batch evaluates some 50 identities per report and nearly all of them hold: summing ints is
    exact, so the Decimal arithmetic, and the wording of a finding, are left to `_evaluate`, which
    gives the answer for everything else (a missing, blank or decimal cell; a failed identity)."""
    values = []
    for pointer in ident.pointers:
        c = report.cell(pointer)
        if c is None or type(c.value) is not int:
            return False
        values.append(c.value)
    n = len(ident.left)
    left = sum(t.sign * v for t, v in zip(ident.left, values))
    right = sum(t.sign * v for t, v in zip(ident.right, values[n:]))
    return _holds(Decimal(left), ident.op, Decimal(right), ident.tolerance if tolerance is None else tolerance)


def _evaluate(report: Report, ident: Identity, prior: Report | None, tolerance: Decimal | None) -> Outcome | None:
    tol = ident.tolerance if tolerance is None else tolerance

    def cell(t: Term) -> Cell | None:
        return (prior if t.prior else report).cell(t.pointer)

    cells = [(t, cell(t)) for t in (*ident.left, *ident.right)]
    absent = [t.pointer for t, c in cells if c is None]
    blank = [t.pointer for t, c in cells if c is not None and c.value is None]
    if absent or blank:
        what = []
        if absent:
            what.append(f"{len(absent)} 个单元格未找到")
        if blank:
            what.append(f"{len(blank)} 个单元格为空或不是有效数字")
        return not_assessed(f"{ident.scope}：{'，'.join(what)}，无法核对 {ident.relation}", absent + blank)
    value = {t: Decimal(str(c.value)) for t, c in cells}
    left = sum((t.sign * value[t] for t in ident.left), Decimal(0))
    right = sum((t.sign * value[t] for t in ident.right), Decimal(0))
    if _holds(left, ident.op, right, tol):
        return None

    everything = [c for _, c in cells]
    same_column = len({(c.spec.table, c.spec.column) for c in everything}) == 1
    same_row = len({(c.spec.table, c.spec.row) for c in everything}) == 1

    def name(t: Term, c: Cell) -> str:
        base = c.label
        if same_column:
            base = c.spec.row.rsplit("/", 1)[-1] if len(cells) > 8 else c.spec.row
        elif same_row:
            base = c.spec.column
        return ("上年" if t.prior else "") + base

    def side(terms: tuple[Term, ...]) -> str:
        # Long sums name only their non-zero terms; the evidence keeps every term.
        shown = terms if len(terms) <= 7 else tuple(t for t in terms if value[t]) or terms[:1]
        text = ""
        for i, t in enumerate(shown):
            sign = ("-" if t.sign < 0 else "") if i == 0 else (" - " if t.sign < 0 else " + ")
            text += f"{sign}{name(t, cell(t))}（{_fmt(value[t])}）"
        rest = len(terms) - len(shown)
        return text + (f"（其余 {rest} 项均为 0）" if rest else "")

    diff = left - right
    sign = OP_SIGNS[ident.op]
    if ident.op == "==":
        message = (f"{ident.scope}：{side(ident.left)} = {_fmt(left)}，而 {side(ident.right)} = {_fmt(right)}，"
                   f"相差 {_fmt(diff)}。应满足 {ident.relation}。")
    else:
        message = (f"{ident.scope}：{side(ident.left)} = {_fmt(left)}，{side(ident.right)} = {_fmt(right)}，"
                   f"不满足 {_fmt(left)} {sign} {_fmt(right)}。应满足 {ident.relation}。")

    def term_json(t: Term) -> dict[str, Any]:
        c = cell(t)
        out: dict[str, Any] = {"pointer": t.pointer, "label": ("上年 " if t.prior else "") + c.label,
                               "value": c.value, "sign": t.sign}
        if t.prior:
            out["prior"] = True
        if c.source and not t.prior:
            out["source"] = {k: v for k, v in c.source.items() if k != "text"}
        return out

    own = [t.pointer for t in (*ident.left, *ident.right) if not t.prior]
    return finding(message, own, key=ident.scope, evidence={
        "relation": ident.relation, "scope": ident.scope, "operator": ident.op,
        "actual": _num(left), "expected": _num(right), "difference": _num(diff),
        "actual_terms": [term_json(t) for t in ident.left],
        "expected_terms": [term_json(t) for t in ident.right],
    })


def check_all(report: Report, identities: Iterable[Identity], what: str, tables: Iterable[str],
              prior: Report | None = None, tolerance: Decimal | None = None) -> Iterator[Outcome]:
    """Evaluate a rule's identities; one 'not assessed' per missing table, a note of what held."""
    identities = list(identities)
    if prior is None and any(i.needs_prior for i in identities):
        yield not_assessed(f"{what}需要同一机关上一年度的报告（gongkai check --prior 上年报告）")
        return
    missing = [t for t in tables if not report.has_table(t)]
    for t in missing:
        yield not_assessed(f"未找到表{t}，无法核对{what}", f"/tables/{nf.table_key(t)}")
    if missing:
        return
    held = 0
    for ident in identities:
        outcome = evaluate(report, ident, prior, tolerance)
        if outcome is None:
            held += 1
        else:
            yield outcome
    if held:
        yield passed(f"{what}：{held} 处关系成立")


# -- naming cells by their labels ---------------------------------------------------------------

_REF = re.compile(r"^\s*(?P<prior>上年\s*)?(?P<minus>-\s*)?表(?P<table>[二三四])\s+(?P<row>.+?)\s*[×x*]\s*(?P<col>[^×]+?)\s*$")


def resolve(ref: str) -> list[Term]:
    """`表三 （三）不予公开/* × 自然人` -> the terms it names (a `*` in the row matches several rows)."""
    m = _REF.match(ref)
    if not m:
        raise ValueError(f"无法理解的单元格写法“{ref}”（应写作“表三 行标签 × 列标签”，例如“表三 （七）总计 × 自然人”）")
    rows = nf.table_rows(m["table"])
    want = m["row"].strip()
    if "*" in want:
        matched = [r for r in rows if fnmatch.fnmatchcase(key(r.label), key(want))]
    else:
        matched = [r for r in rows if key(r.label) == key(want)] or [r for r in rows if key(r.title) == key(want)]
    if not matched:
        raise ValueError(f"表{m['table']}中没有“{want}”这一行")
    if len(matched) > 1 and "*" not in want:
        raise ValueError(f"表{m['table']}中“{want}”指向多行，请写出完整的行标签（含分组，如“（三）不予公开/1.属于国家秘密”）")
    terms = []
    for r in matched:
        col = next((c for c in r.cells if key(c.column) == key(m["col"])), None)
        if col is None:
            raise ValueError(f"表{m['table']}“{r.label}”行没有“{m['col']}”这一列（可用：{'、'.join(c.column for c in r.cells)}）")
        terms.append(Term(col.pointer, -1 if m["minus"] else 1, bool(m["prior"])))
    return terms


# -- YAML rules files ---------------------------------------------------------------------------

def rules_from_yaml(source: str | Path, text: str | None = None) -> list[Rule]:
    """Rules declared as identities in a YAML file (see `rules/arithmetic.yaml` for the format)."""
    where = str(source)
    data = load_yaml(source, "规则文件", RuleFileError, text)
    if not isinstance(data, dict) or not isinstance(data.get("identities"), list):
        raise RuleFileError(f"规则文件 {where} 应有一个 identities 列表")
    return [_rule(entry, i, where) for i, entry in enumerate(data["identities"], start=1)]


def _rule(entry: Any, index: int, where: str) -> Rule:
    label = f"规则文件 {where} 第 {index} 条"
    if not isinstance(entry, dict):
        raise RuleFileError(f"{label} 应是一个映射")
    try:
        code, name = str(entry["code"]), str(entry["name"])
        label += f"（{code}）"
        left, right = entry["left"], entry["right"]
    except KeyError as err:
        raise RuleFileError(f"{label} 缺少 {err.args[0]}") from None
    if not re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+", code):
        raise RuleFileError(f"{label} 的编号应写作大写字母、数字和连字符，如 GK-T3-01 或 JS-001")
    category = entry.get("category", "勾稽")
    severity = entry.get("severity", "error")
    op = str(entry.get("op", "=="))
    if category not in CATEGORIES or severity not in SEVERITIES or op not in OPS:
        raise RuleFileError(f"{label}：category 应为 结构/勾稽/内容，severity 应为 error/warning/info，"
                            f"op 应为 {'、'.join(OPS)}")
    try:
        tolerance = Decimal(str(entry.get("tolerance", 0)))
    except InvalidOperation:
        raise RuleFileError(f"{label}：tolerance 应是数字") from None
    for_each = entry.get("for_each") or {}
    left = [left] if isinstance(left, str) else list(left)
    right = [right] if isinstance(right, str) else list(right)
    try:
        identities = list(_expand(left, right, op, for_each, entry.get("scope"), entry.get("relation"), tolerance))
        examples = tuple(_example(e) for e in entry.get("examples") or ())
    except (ValueError, KeyError, TypeError) as err:
        raise RuleFileError(f"{label}：{err}") from None
    tables = sorted({nf.cell_by_pointer()[t.pointer].table for i in identities for t in (*i.left, *i.right)},
                    key="二三四".index)
    what = entry.get("what", name)

    def check(report: Report, ctx: Context) -> Iterator[Outcome]:
        tol = ctx.options.get("tolerance")
        yield from check_all(report, identities, what, tables, ctx.prior,
                             None if tol is None else Decimal(str(tol)))

    check.__doc__ = entry.get("doc") or f"{name}。"
    check.__name__ = code.replace("-", "_").lower()
    return Rule(code, name, category, severity, str(entry.get("basis", "")), check,
                tuple(entry.get("aliases") or ()), examples)


def _expand(left: list[str], right: list[str], op: str, for_each: dict[str, Any], scope: str | None,
            relation: str | None, tolerance: Decimal) -> Iterator[Identity]:
    names = list(for_each)
    values = []
    for var in names:
        v = for_each[var]
        if v == "*":
            v = _star(var, left + right)
        if not isinstance(v, list) or not v:
            raise ValueError(f"for_each 的 {var} 应是列表或 \"*\"")
        values.append([str(x) for x in v])
    for combo in itertools.product(*values) if names else [()]:
        env = dict(zip(names, combo))
        lt = tuple(t for ref in left for t in resolve(ref.format(**env)))
        rt = tuple(t for ref in right for t in resolve(ref.format(**env)))
        rel = (relation or f"{_brief(left)} {OP_SIGNS[op]} {_brief(right)}").format(**env)
        if scope:
            where = scope.format(**env)
        elif combo:
            where = "、".join(combo) + (" 列" if names == ["column"] else "")
        else:
            where = "本表"
        yield Identity(lt, op, rt, rel, where, tolerance)


def _star(var: str, refs: list[str]) -> list[str]:
    """`column: "*"` means every column of the table the references name; `row: "*"` every row."""
    m = re.search(r"表([二三四])", refs[0])
    if not m:
        raise ValueError(f"无法从“{refs[0]}”推出 {var} 的取值")
    rows = nf.table_rows(m[1])
    if var == "row":
        return [r.label for r in rows]
    return [c.column for c in rows[0].cells]


def _brief(refs: list[str]) -> str:
    out = []
    for ref in refs:
        m = _REF.match(ref)
        row = m["row"].split("/")[-1] if m else ref
        out.append(("上年" if m and m["prior"] else "") + row.replace("{row}", "本行").replace("*", "各细项"))
    return " + ".join(out)


def _example(e: dict[str, Any]) -> Example:
    kind = "bad" if "bad" in e else "good"
    patch = {}
    for ref, value in (e.get("patch") or {}).items():
        pointers = [ref] if ref.startswith("/") else [t.pointer for t in resolve(ref)]
        for p in pointers:
            patch[p] = value
    prior = None
    if "prior" in e:
        prior = {}
        for ref, value in (e.get("prior") or {}).items():
            for p in ([ref] if ref.startswith("/") else [t.pointer for t in resolve(ref)]):
                prior[p] = value
    return Example(kind, str(e[kind]), patch, prior)
