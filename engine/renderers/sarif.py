"""The findings document as SARIF 2.1.0, for code-scanning dashboards and CI pipelines.

Each rule that ran becomes a `reportingDescriptor` whose help text is the rule's own documentation
(its docstring, legal basis and examples, from the plugin catalogue); each finding becomes a
`result` located in the report file (the source line when the reader knows it) and in the report
document (its JSON Pointer, as a logical location), with the finding's fingerprint as its partial
fingerprint so that dashboards can follow a problem across runs.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from ..api import Rule
from ..plugins import Catalogue, load

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "gongkai/v1"


def artifact_uri(path: str) -> str:
    """A URI reference for the report file: relative paths stay relative, percent-encoded (the
    Chinese of a file name included), absolute ones become file: URIs."""
    p = PurePath(path)
    if p.is_absolute():
        return "file://" + quote(p.as_posix())
    return quote(p.as_posix())


def _help(rule: Rule) -> tuple[str, str]:
    lines = [rule.doc or rule.name, "", f"依据：{rule.basis}"]
    md = [rule.doc or rule.name, "", f"**依据**：{rule.basis}"]
    if rule.examples:
        lines.append("")
        md.append("")
        for e in rule.examples:
            kind = "反例" if e.kind == "bad" else "正例"
            lines.append(f"{kind}：{e.description}")
            md.append(f"- **{kind}**：{e.description}")
    return "\n".join(lines), "\n".join(md)


def _descriptor(entry: dict[str, Any], rule: Rule | None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": entry["code"],
        "name": entry["name"],
        "shortDescription": {"text": entry["name"]},
        "defaultConfiguration": {"level": LEVELS[entry["severity"]]},
        "properties": {"category": entry["category"], "tags": [entry["category"]]},
    }
    if rule is not None:
        text, markdown = _help(rule)
        d["fullDescription"] = {"text": rule.summary}
        d["help"] = {"text": text, "markdown": markdown}
        d["properties"]["basis"] = rule.basis
        if rule.aliases:
            d["deprecatedIds"] = list(rule.aliases)
    return d


def _location(f: dict[str, Any], uri: str) -> dict[str, Any]:
    loc = f.get("location") or {}
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": 0}}
    src = loc.get("source") or {}
    if src.get("line"):
        region: dict[str, Any] = {"startLine": src["line"]}
        if src.get("text"):
            region["snippet"] = {"text": src["text"]}
        physical["region"] = region
    out: dict[str, Any] = {"physicalLocation": physical}
    if loc.get("pointer"):
        out["logicalLocations"] = [{"name": loc.get("label") or loc["pointer"], "fullyQualifiedName": loc["pointer"],
                                    "kind": "element"}]
    return out


def render(output: dict[str, Any], catalogue: Catalogue | None = None, uri: str | None = None) -> str:
    catalogue = catalogue or load()
    by_code = {r.code: r for r in catalogue.rules}
    rep, score = output["report"], output["score"]
    uri = artifact_uri(uri or rep["file"])

    entries = list(output["rules"])
    known = {e["code"] for e in entries}
    for f in output["findings"]:     # engine findings (a rule that raised, a plugin that failed) have codes of their own
        if f["code"] not in known:
            known.add(f["code"])
            entries.append({"code": f["code"], "name": f.get("name") or f["code"], "severity": f["severity"],
                            "category": f["category"]})
    rules = [_descriptor(e, by_code.get(e["code"])) for e in entries]
    index = {e["code"]: i for i, e in enumerate(entries)}

    results = []
    for f in output["findings"]:
        result: dict[str, Any] = {
            "ruleId": f["code"], "ruleIndex": index[f["code"]], "level": LEVELS[f["severity"]], "kind": "fail",
            "message": {"text": f["message"] + (f"\n建议：{f['fix']}" if f.get("fix") else "")},
            "locations": [_location(f, uri)],
            "partialFingerprints": {FINGERPRINT_KEY: f["fingerprint"]},
            "properties": {"category": f["category"]},
        }
        if f.get("evidence"):
            result["properties"]["evidence"] = f["evidence"]
        src = (f.get("location") or {}).get("source") or {}
        if src.get("page"):
            result["properties"]["page"] = src["page"]
        if (f.get("location") or {}).get("pointers"):
            result["relatedLocations"] = [
                {"id": i, "logicalLocations": [{"fullyQualifiedName": p, "kind": "element"}]}
                for i, p in enumerate(f["location"]["pointers"][1:], 1)]
        results.append(result)

    artifact: dict[str, Any] = {"location": {"uri": uri}, "hashes": {"sha-256": rep["sha256"]}}
    if rep.get("size") is not None:
        artifact["length"] = rep["size"]
    if rep.get("encoding"):
        artifact["encoding"] = rep["encoding"]
    doc = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "gongkai", "version": output["tool"]["version"],
                                "semanticVersion": output["tool"]["version"], "language": "zh-CN", "rules": rules}},
            "invocations": [{"executionSuccessful": True,
                             "toolExecutionNotifications": [
                                 {"level": "note", "message": {"text": n["reason"]}, "descriptor": {"id": n["code"]}}
                                 for n in score.get("not_assessed") or []]}],
            "artifacts": [artifact],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"score": score["score"], "grade": score["grade"], "verdict": score["verdict"],
                           "counts": score["counts"], "profile": score.get("profile") or {},
                           "report": {k: rep.get(k) for k in ("title", "issuing_body", "report_year", "template_version")}},
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
