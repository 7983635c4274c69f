"""Running the rules over a report: each rule isolated, every outcome located and fingerprinted."""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from . import nationalformat as nf
from .api import Context, Finding, NotAssessed, Passed, Rule
from .document import Report

ENGINE_CODE = "GK-E-001"   # a rule that raised; its own finding, so the run goes on
PLUGIN_CODE = "GK-E-002"   # a plugin that failed to load
ENGINE_CATEGORY = "引擎"   # findings about the tool itself: reported, never deducted from the report


@dataclass
class RuleRun:
    rule: Rule
    status: str                                   # passed | failed | not_assessed | error
    findings: list[dict[str, Any]] = field(default_factory=list)
    not_assessed: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)


def run_rules(report: Report, rules: list[Rule], ctx: Context | None = None,
              options: Callable[[str], dict[str, Any]] | None = None) -> list[RuleRun]:
    """Run each rule isolated; `options(code)` gives a rule its settings from the profile."""
    ctx = ctx or Context()
    return [_run_one(report, r, replace(ctx, options=options(r.code)) if options else ctx) for r in rules]


def _run_one(report: Report, rule: Rule, ctx: Context) -> RuleRun:
    try:
        outcomes = rule.run(report, ctx)
    except Exception as err:  # one failing rule never takes the run down
        where = traceback.extract_tb(err.__traceback__)[-1]
        msg = f"规则 {rule.code}（{rule.name}）运行出错，未能完成检查：{type(err).__name__}: {err}"
        found = _finding(report, rule, Finding(msg, evidence={
            "exception": f"{type(err).__name__}: {err}", "at": f"{where.filename}:{where.lineno}"}, severity="warning",
            key=rule.code), code=ENGINE_CODE)
        run = RuleRun(rule, "error", findings=[found])
        run.not_assessed.append({"code": rule.code, "name": rule.name, "reason": "规则运行出错", "pointers": []})
        return run
    run = RuleRun(rule, "passed")
    for o in outcomes:
        if isinstance(o, Finding):
            run.findings.append(_finding(report, rule, o))
        elif isinstance(o, NotAssessed):
            run.not_assessed.append({"code": rule.code, "name": rule.name, "reason": o.reason,
                                     "pointers": list(o.pointers)})
        elif isinstance(o, Passed):
            run.notes.append({"note": o.note, "location": locate(report, o.pointers, o.span)})
    if run.findings:
        run.status = "failed"
    elif run.not_assessed:
        run.status = "not_assessed"
    return run


def _finding(report: Report, rule: Rule, f: Finding, code: str | None = None) -> dict[str, Any]:
    code = code or rule.code
    out: dict[str, Any] = {
        "code": code,
        "rule": rule.code,
        "name": rule.name if code == rule.code else "规则运行出错",
        "severity": f.severity or rule.severity,
        "category": rule.category if code == rule.code else ENGINE_CATEGORY,
        "message": f.message,
        "location": locate(report, f.pointers, f.span),
        "evidence": f.evidence,
        "fingerprint": fingerprint(code, f.pointers, f.key),
    }
    if f.fix:
        out["fix"] = f.fix
    return out


def fingerprint(code: str, pointers: tuple[str, ...], key: str = "") -> str:
    """Stable across runs and wording changes: the rule, the places, and the rule's own key."""
    text = "\x1f".join([code, *sorted(pointers), key])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def locate(report: Report, pointers: tuple[str, ...], span: tuple[int, int] | None = None) -> dict[str, Any]:
    """Where in the document and in the source file: pointer, the format's label, line/page/cell."""
    if not pointers:
        return {}
    primary = pointers[0]
    loc: dict[str, Any] = {"pointer": primary}
    if len(pointers) > 1:
        loc["pointers"] = list(pointers)
    spec = nf.cell_by_pointer().get(primary)
    if spec:
        loc["label"] = f"表{spec.table} {spec.row} × {spec.column}"
    source = report.locate(primary)
    if source is None:
        # A part's text or a row: fall back to the nearest enclosing place we know.
        parent = primary
        while parent and source is None:
            parent = parent.rsplit("/", 1)[0]
            source = report.locate(parent) if parent else None
    if source:
        src = {k: v for k, v in source.items() if k != "paragraphs"}
        if span is not None and source.get("paragraphs"):
            para = [p for p in source["paragraphs"] if p["offset"] <= span[0]]
            if para:
                src.update({k: v for k, v in para[-1].items() if k != "offset"})
        loc["source"] = src
    if span is not None:
        loc["span"] = list(span)
    return loc


def plugin_finding(problem: str) -> dict[str, Any]:
    return {"code": PLUGIN_CODE, "rule": PLUGIN_CODE, "name": "插件加载失败", "severity": "warning",
            "category": ENGINE_CATEGORY, "message": problem, "location": {}, "evidence": {},
            "fingerprint": fingerprint(PLUGIN_CODE, (), problem)}
