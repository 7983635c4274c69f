"""The public API for rule authors. Everything a plugin needs is importable from here.

A rule is a function decorated with `@rule(...)`; its docstring (in Chinese) is its documentation,
with a bad and a good example. It receives the `Report` and yields outcomes:

    from gongkai.api import rule, finding, passed, not_assessed

    @rule(code="GK-X-001", name="示例规则", category="内容", severity="warning",
          basis="《条例》第五十条")
    def my_rule(report):
        '''一句话说明。

        反例：……
        正例：……
        '''
        text = report.part_text("other_matters")
        if text is None:
            yield not_assessed("未找到第六部分", "/parts/other_matters")
        elif "信息处理费" in text:
            yield passed("已说明信息处理费")
        else:
            yield finding("第六部分未说明信息处理费", "/parts/other_matters")

A plugin module then returns its rules from the `gongkai_rules` hook (see `gongkai.hookspecs`).

This module is the public API for rule authors, together with `gongkai.hookspecs`, `gongkai.testing`
and `gongkai.identities.rules_from_yaml` (reference in Chinese: docs/api.md; guide: docs/guide.md).
Names not in `__all__`, and the other modules of the engine, are internal and may change.
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal, Union

from .document import Cell, Report
from .hookspecs import hookimpl

Severity = Literal["error", "warning", "info"]
Category = Literal["结构", "勾稽", "内容"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
CATEGORIES: tuple[Category, ...] = ("结构", "勾稽", "内容")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Finding:
    """A problem a rule found. The engine adds code, category, severity, location and fingerprint."""

    message: str
    pointers: tuple[str, ...] = ()          # JSON Pointers; the first one is where the problem is
    evidence: dict[str, Any] = field(default_factory=dict)
    fix: str | None = None
    span: tuple[int, int] | None = None     # character range in the text at pointers[0], if prose
    key: str = ""                           # extra discriminator for the fingerprint
    severity: Severity | None = None        # overrides the rule's default for this finding


@dataclass(frozen=True)
class NotAssessed:
    """The rule could not judge, because what it needs is missing or unreadable."""

    reason: str
    pointers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passed:
    """What the rule found when all is well (shown to the user as evidence of the pass)."""

    note: str
    pointers: tuple[str, ...] = ()
    span: tuple[int, int] | None = None


Outcome = Union[Finding, NotAssessed, Passed]


def _pointers(p: str | Iterable[str] | None) -> tuple[str, ...]:
    if p is None:
        return ()
    return (p,) if isinstance(p, str) else tuple(p)


def finding(message: str, pointers: str | Iterable[str] | None = None, *, evidence: dict[str, Any] | None = None,
            fix: str | None = None, span: tuple[int, int] | None = None, key: str = "",
            severity: Severity | None = None) -> Finding:
    """A problem: a Chinese `message`, where it is (`pointers`, the first is primary; `span` a character
    range when the place is prose), the values involved (`evidence`), a `fix` only when it is certain, a
    `key` that tells apart several findings of one rule at one place, and a per-finding `severity`."""
    return Finding(message, _pointers(pointers), evidence or {}, fix, span, key, severity)


def not_assessed(reason: str, pointers: str | Iterable[str] | None = None) -> NotAssessed:
    """The rule cannot judge (what it needs is missing or unreadable): never guess, never take a blank as 0."""
    return NotAssessed(reason, _pointers(pointers))


def passed(note: str, pointers: str | Iterable[str] | None = None, *, span: tuple[int, int] | None = None) -> Passed:
    """All is well; `note` says what was found (shown with `gongkai check -v`)."""
    return Passed(note, _pointers(pointers), span)


REMOVE = object()   # in an example's patch: delete what the pointer names


@dataclass(frozen=True)
class Example:
    """A bad or good example of a rule, which is also its test.

    The example is the seed report (a real, clean 2023 report) with `patch` applied: each JSON
    Pointer is set to its value (a bare number for a table cell is written as that cell), or
    deleted when the value is `REMOVE`. `prior_patch`, when given, builds a previous-year report
    from the seed the same way (for cross-year rules). A bad example must make the rule report a
    finding; a good one must make it pass.
    """

    kind: Literal["bad", "good"]
    description: str
    patch: dict[str, Any] = field(default_factory=dict)
    prior_patch: dict[str, Any] | None = None


def bad(description: str, patch: dict[str, Any] | None = None, *, prior: dict[str, Any] | None = None) -> Example:
    return Example("bad", description, patch or {}, prior)


def good(description: str, patch: dict[str, Any] | None = None, *, prior: dict[str, Any] | None = None) -> Example:
    return Example("good", description, patch or {}, prior)


@dataclass
class Context:
    """What a rule may know besides the report: the previous year's report, options from the profile.

    `prior` is the same body's previous report (`gongkai check --prior`), or None. `options` is the rule's
    own entry in the profile without the grading keys (enabled, severity, deduction, cap): with
    `rules: {SJ-001: {deduction: 10, deadline: 1月20日}}` the rule sees `{"deadline": "1月20日"}`.
    A rule takes `ctx` by declaring a second parameter: `def check(report, ctx)`."""

    prior: Report | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """A declared rule (made by `@rule`, or by `rules_from_yaml`). `check(report)` or `check(report, ctx)`
    yields outcomes; `doc` is its Chinese docstring and `summary` the first sentence of it."""

    code: str
    name: str
    category: Category
    severity: Severity
    basis: str
    check: Callable[..., Iterable[Outcome]]
    aliases: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The docstring's first sentence (its first paragraph may wrap over several lines)."""
        if not self.doc:
            return self.name
        first = "".join(line.strip() for line in self.doc.split("\n\n", 1)[0].splitlines())
        end = first.find("。")
        return first[: end + 1] if end != -1 else first

    def run(self, report: Report, ctx: Context) -> list[Outcome]:
        result = self.check(report, ctx) if _takes_context(self.check) else self.check(report)
        return list(result or ())


@lru_cache(maxsize=None)
def _takes_context(check: Callable[..., Any]) -> bool:
    """Whether a rule's function asks for the Context too (looked up once per function)."""
    return len(inspect.signature(check).parameters) > 1


def rule(*, code: str, name: str, category: Category, severity: Severity, basis: str,
         aliases: Iterable[str] = (), examples: Iterable[Example] = ()) -> Callable[[Callable[..., Iterable[Outcome]]], Rule]:
    """Declare a rule. `code` is stable forever; a renamed rule keeps its old code in `aliases`.

    `examples` are at least one `bad(...)` and one `good(...)`: they document the rule and are run as
    its tests (`gongkai.testing.run_example`)."""
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {CATEGORIES}: {category!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}: {severity!r}")

    def wrap(fn: Callable[..., Iterable[Outcome]]) -> Rule:
        return Rule(code, name, category, severity, basis, fn, tuple(aliases), tuple(examples))

    return wrap


__all__ = ["REMOVE", "Cell", "Category", "Context", "Example", "Finding", "NotAssessed", "Outcome", "Passed", "Report",
           "Rule", "Severity", "bad", "finding", "good", "hookimpl", "not_assessed", "passed", "rule"]
