"""Findings + profile -> score, grade, verdict.

Each category starts at 100. A finding takes its deduction (by rule, else by severity) from its
category; one rule takes at most its cap; a category never drops below 0. The total is the
weighted mean of the categories. Because every deduction is non-negative and the caps and floor
are monotone, removing a finding can never lower the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .api import CATEGORIES, SEVERITIES
from .errors import ProfileError
from .yamlfile import load_yaml


_GRADING_KEYS = frozenset({"enabled", "severity", "deduction", "cap"})


@dataclass(frozen=True)
class Profile:
    name: str
    version: str
    weights: dict[str, float]
    deductions: dict[str, float]
    rule_cap: float
    rules: dict[str, dict[str, Any]]
    grades: list[tuple[str, float]]
    max_not_assessed_share: float

    def enabled(self, code: str) -> bool:
        return self.rules.get(code, {}).get("enabled", True)

    def severity(self, code: str, default: str) -> str:
        return self.rules.get(code, {}).get("severity", default)

    def deduction(self, code: str, severity: str) -> float:
        return float(self.rules.get(code, {}).get("deduction", self.deductions[severity]))

    def cap(self, code: str) -> float:
        return float(self.rules.get(code, {}).get("cap", self.rule_cap))

    def options(self, code: str) -> dict[str, Any]:
        """A rule's own settings from the profile (e.g. `tolerance`), without the grading keys."""
        return {k: v for k, v in self.rules.get(code, {}).items() if k not in _GRADING_KEYS}


@cache
def _default_data() -> dict[str, Any]:
    text = resources.files("gongkai.profiles").joinpath("default.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def default_profile() -> Profile:
    return parse_profile(_default_data(), "默认评分方案")


def load_profile(path: str | Path | None) -> Profile:
    if path is None:
        return default_profile()
    return parse_profile(load_yaml(path, "评分方案文件", ProfileError), str(path))


def parse_profile(data: Any, where: str) -> Profile:
    """Validate a profile; a profile may give only what it changes, the rest comes from the default."""
    if not isinstance(data, dict):
        raise ProfileError(f"评分方案 {where} 的内容应是一个映射（键: 值）")
    # A user's profile gives only what it changes; everything else is the default's.
    base = {} if where == "默认评分方案" else _default_data()
    merged = {**base, **data}
    try:
        weights = {str(k): float(v) for k, v in merged["categories"].items()}
        deductions = {**base.get("deductions", {}), **merged["deductions"]}
        deductions = {str(k): float(v) for k, v in deductions.items()}
        rules = {**base.get("rules", {}), **(merged.get("rules") or {})}
        grades = sorted(((str(g["name"]), float(g["min"])) for g in merged["grades"]), key=lambda g: -g[1])
        profile = Profile(str(merged.get("name", where)), str(merged.get("version", "")), weights, deductions,
                          float(merged.get("rule_cap", 100)), {str(k): dict(v or {}) for k, v in rules.items()},
                          grades, float(merged.get("verdict", {}).get("max_not_assessed_share", 0.5)))
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ProfileError(f"评分方案 {where} 格式不对（{type(err).__name__}: {err}）。请对照 README 中的默认评分方案。") from None
    unknown = set(weights) - set(CATEGORIES)
    if unknown:
        raise ProfileError(f"评分方案 {where} 中有未知类别：{'、'.join(sorted(unknown))}（可用：结构、勾稽、内容）")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ProfileError(f"评分方案 {where} 的类别权重应为非负数，且不能全为 0")
    if set(SEVERITIES) - set(deductions) or any(v < 0 for v in deductions.values()):
        raise ProfileError(f"评分方案 {where} 的 deductions 应给出 error、warning、info 三级的非负扣分")
    for code, opts in profile.rules.items():
        if "severity" in opts and opts["severity"] not in SEVERITIES:
            raise ProfileError(f"评分方案 {where} 中规则 {code} 的 severity 应为 error、warning 或 info")
        if float(opts.get("deduction", 0)) < 0 or float(opts.get("cap", 0)) < 0:
            raise ProfileError(f"评分方案 {where} 中规则 {code} 的扣分和封顶不能为负数")
    if not grades or grades[-1][1] > 0:
        raise ProfileError(f"评分方案 {where} 的等级应覆盖到 0 分（最低一档 min: 0）")
    return profile


def grade(findings: list[dict[str, Any]], not_assessed: list[dict[str, Any]], rules_run: int,
          profile: Profile) -> dict[str, Any]:
    per_rule: dict[tuple[str, str], float] = {}
    for f in findings:
        k = (f["category"], f["code"])
        per_rule[k] = per_rule.get(k, 0.0) + profile.deduction(f["code"], f["severity"])
    lost = {c: 0.0 for c in profile.weights}
    for (cat, code), points in per_rule.items():
        if cat in lost:
            lost[cat] += min(points, profile.cap(code))
    categories = []
    for cat, weight in profile.weights.items():
        score = max(0.0, 100.0 - lost[cat])
        counts = {s: sum(1 for f in findings if f["category"] == cat and f["severity"] == s) for s in SEVERITIES}
        categories.append({"name": cat, "weight": weight, "score": round(score, 2), "deduction": round(100 - score, 2),
                           "findings": counts})
    total_weight = sum(profile.weights.values())
    total = round(sum(c["score"] * c["weight"] for c in categories) / total_weight, 1)
    band = next(name for name, low in profile.grades if total >= low)
    unassessed_rules = {n["code"] for n in not_assessed}
    share = len(unassessed_rules) / rules_run if rules_run else 1.0
    errors = sum(1 for f in findings if f["severity"] == "error")
    if share > profile.max_not_assessed_share:
        verdict = "无法评定"
    elif errors:
        verdict = "需整改"
    else:
        verdict = "通过"
    return {
        "score": total,
        "max": 100,
        "grade": band,
        "verdict": verdict,
        "categories": categories,
        "counts": {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES},
        "not_assessed": not_assessed,
        "assessed_share": round(1 - share, 3),
        "profile": {"name": profile.name, "version": profile.version},
    }
