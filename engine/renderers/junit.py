"""The findings document as JUnit XML, for CI systems that show test reports.

One `testsuite` per rule category (结构, 勾稽, 内容; 引擎 when a plugin failed to load), one
`testcase` per rule. A failed rule is a `failure` listing its findings; a rule that could not judge
is `skipped` with its reasons; a rule that raised is an `error`. What a passing rule found goes to
the testcase's `system-out`. Times are 0: the document carries no timings, and the same report gives
the same XML.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..api import CATEGORIES, SEVERITIES, SEVERITY_NAMES
from ..checking import ENGINE_CATEGORY
from .location import describe


# Characters XML 1.0 cannot hold; a report pasted from a PDF may carry them into a quoted message.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _finding_text(i: int, f: dict[str, Any]) -> str:
    lines = [f"{i}. [{SEVERITY_NAMES[f['severity']]}] {f['code']} {f['message']}"]
    where = describe(f.get("location") or {})
    if where:
        lines.append(f"   位置：{where}")
    if f.get("fix"):
        lines.append(f"   建议：{f['fix']}")
    return "\n".join(lines)


def _worst(findings: list[dict[str, Any]]) -> str:
    return min((f["severity"] for f in findings), key=SEVERITIES.index)


def render(output: dict[str, Any]) -> str:
    rep, score = output["report"], output["score"]
    by_rule: dict[str, list[dict[str, Any]]] = {}
    loose: list[dict[str, Any]] = []
    codes = {r["code"] for r in output["rules"]}
    for f in output["findings"]:
        owner = f.get("rule") or f["code"]
        (by_rule.setdefault(owner, []) if owner in codes else loose).append(f)
    reasons: dict[str, list[str]] = {}
    for n in score.get("not_assessed") or []:
        reasons.setdefault(n["code"], []).append(n["reason"])

    root = etree.Element("testsuites", name=_x(f"gongkai {rep['file']}"))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for cat in (*CATEGORIES, ENGINE_CATEGORY):
        rules = [r for r in output["rules"] if r["category"] == cat]
        extra = [f for f in loose if f["category"] == cat]
        if not rules and not extra:
            continue
        suite = etree.SubElement(root, "testsuite", name=cat)
        props = etree.SubElement(suite, "properties")
        for k, v in (("file", rep["file"]), ("sha256", rep["sha256"]), ("issuing_body", rep.get("issuing_body")),
                     ("report_year", rep.get("report_year")), ("score", score["score"]), ("grade", score["grade"]),
                     ("verdict", score["verdict"])):
            if v is not None:
                etree.SubElement(props, "property", name=k, value=_x(v))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for r in rules:
            case = etree.SubElement(suite, "testcase", classname=f"gongkai.{cat}", name=_x(f"{r['code']} {r['name']}"),
                                    time="0")
            counts["tests"] += 1
            found = by_rule.get(r["code"], [])
            rule_findings = [f for f in found if f["code"] == r["code"]]
            engine_findings = [f for f in found if f["code"] != r["code"]]
            if r["status"] == "not_assessed":
                counts["skipped"] += 1
                text = "；".join(reasons.get(r["code"], [])) or "未能评估"
                etree.SubElement(case, "skipped", message=_x(text))
            if r["status"] == "error" or engine_findings:
                counts["errors"] += 1
                el = etree.SubElement(case, "error", type="GK-E-001", message="规则运行出错")
                el.text = _x("\n".join(_finding_text(i, f) for i, f in enumerate(engine_findings, 1)))
            if rule_findings:
                counts["failures"] += 1
                el = etree.SubElement(case, "failure", type=_worst(rule_findings),
                                      message=f"{len(rule_findings)} 项问题（{SEVERITY_NAMES[_worst(rule_findings)]}）")
                el.text = _x("\n".join(_finding_text(i, f) for i, f in enumerate(rule_findings, 1)))
            notes = [n["note"] for n in r.get("notes") or []]
            if notes and r["status"] == "passed":
                etree.SubElement(case, "system-out").text = _x("\n".join(notes))
        for i, f in enumerate(extra, 1):
            case = etree.SubElement(suite, "testcase", classname=f"gongkai.{cat}", name=_x(f"{f['code']} {f.get('name', '')}"),
                                    time="0")
            counts["tests"] += 1
            counts["errors"] += 1
            el = etree.SubElement(case, "error", type=f["code"], message=_x(f.get("name") or f["code"]))
            el.text = _x(_finding_text(i, f))
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("time", "0")
    for k in ("tests", "failures", "errors"):
        root.set(k, str(totals[k]))
    root.set("time", "0")
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True).decode("utf-8")
