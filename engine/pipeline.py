"""One report through the whole house: read -> extract -> check -> grade -> findings document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, nationalformat as nf
from .api import Context, SEVERITIES
from .checking import ENGINE_CATEGORY, RuleRun, plugin_finding, run_rules
from .document import Report
from .errors import UnreadableInput
from .extraction import Extraction, extract
from .grading import Profile, default_profile, grade
from .plugins import Catalogue, load
from .readers import ReadResult, read_path
from .waivers import Waiver, apply_waivers

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


@dataclass
class Checked:
    read: ReadResult
    extraction: Extraction
    report: Report
    runs: list[RuleRun] = field(default_factory=list)
    output: dict[str, Any] = field(default_factory=dict)


def document_validator() -> Draft202012Validator:
    # Imported here: jsonschema takes a quarter of the command's start-up, and only a report handed
    # in as JSON needs it (a batch of text files starts that much sooner).
    from jsonschema import Draft202012Validator

    return Draft202012Validator(nf.schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def extract_path(path: str | Path) -> tuple[ReadResult, Extraction]:
    read = read_path(path)
    if read.document is not None:
        return read, from_document(read.document, read.source.name)
    ex = extract(read.layout)
    recognised = ex.document["parts"] or ex.document["tables"] or ex.document["meta"].get("template_version") == "2019"
    if not recognised:
        raise UnreadableInput(f"在 {read.source.name} 中未找到年度报告的任何部分或统计表。"
                              "请确认这是政府信息公开工作年度报告的全文（六个部分的标题和三张统计表）。")
    return read, ex


def from_document(document: Any, name: str) -> Extraction:
    """A report handed in as JSON: it must be valid against the schema; its source is the JSON itself."""
    errors = sorted(document_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        shown = "；".join(f"{'/' + '/'.join(map(str, e.absolute_path)) or '/'}：{e.message}" for e in errors[:5])
        more = f"（共 {len(errors)} 处）" if len(errors) > 5 else ""
        raise UnreadableInput(f"{name} 不符合年报文档格式（schemas/annual-report.schema.json）：{shown}{more}")
    ex = Extraction(document, {})
    for tkey, tname in nf.TABLE_NAMES.items():
        if tkey not in document.get("tables", {}):
            ex.missing.append(f"表{tname}")
    ex.missing += [p.heading for p in nf.parts() if p.key not in document.get("parts", {})]
    return ex


def check_path(path: str | Path, profile: Profile | None = None, catalogue: Catalogue | None = None,
               prior: str | Path | None = None, waivers: list[Waiver] | None = None) -> Checked:
    read, ex = extract_path(path)
    prior_report = None
    if prior is not None:
        _, pex = extract_path(prior)
        prior_report = Report(pex.document, pex.source_map)
    return check_extraction(read, ex, profile, catalogue, prior_report, waivers)


def check_bytes(data: bytes, name: str, profile: Profile | None = None, catalogue: Catalogue | None = None,
                prior: tuple[bytes, str] | None = None) -> Checked:
    """check_path for a report already in memory (an upload): nothing touches the disk.

    `prior` is the previous year's report as (bytes, name). A layout must show some part of a report,
    as in extract_path, or the check would grade an unrelated file as a report missing everything."""
    from .readers import read_bytes

    def extract_read(data: bytes, name: str) -> tuple[ReadResult, Extraction]:
        read = read_bytes(data, name)
        if read.document is not None:
            return read, from_document(read.document, read.source.name)
        ex = extract(read.layout)
        if not (ex.document["parts"] or ex.document["tables"] or ex.document["meta"].get("template_version") == "2019"):
            raise UnreadableInput(f"在 {read.source.name} 中未找到年度报告的任何部分或统计表。"
                                  "请确认这是政府信息公开工作年度报告的全文（六个部分的标题和三张统计表）。")
        return read, ex

    read, ex = extract_read(data, name)
    prior_report = None
    if prior is not None:
        _, pex = extract_read(*prior)
        prior_report = Report(pex.document, pex.source_map)
    return check_extraction(read, ex, profile, catalogue, prior_report)


def check_extraction(read: ReadResult, ex: Extraction, profile: Profile | None = None,
                     catalogue: Catalogue | None = None, prior: Report | None = None,
                     waivers: list[Waiver] | None = None) -> Checked:
    profile = profile or default_profile()
    catalogue = catalogue or load()
    report = Report(ex.document, ex.source_map)
    rules = [r for r in catalogue.rules if profile.enabled(r.code)]
    runs = run_rules(report, rules, Context(prior=prior), options=profile.options)
    findings = [f for run in runs for f in run.findings] + [plugin_finding(p) for p in catalogue.problems]
    for f in findings:
        if f["category"] != ENGINE_CATEGORY:
            f["severity"] = profile.severity(f["code"], f["severity"])
    findings, waived, stale = apply_waivers(findings, waivers or [])
    findings = sorted(findings + stale, key=_finding_order)
    not_assessed = [n for run in runs for n in run.not_assessed]
    score = grade(findings, not_assessed, len(runs), profile)
    meta = ex.document.get("meta", {})
    output = {
        "schema_version": "1",
        "tool": {"name": "gongkai", "version": __version__},
        "report": {
            "file": read.source.name, "format": read.source.format, "encoding": read.source.encoding,
            "sha256": read.source.sha256, "size": read.source.size,
            "title": meta.get("title"), "issuing_body": meta.get("issuing_body"),
            "report_year": meta.get("report_year"), "template_version": meta.get("template_version"),
            "missing": ex.missing, "notes": ex.notes,
        },
        "score": score,
        "findings": findings,
        "waived": waived,
        "rules": [{"code": r.rule.code, "name": r.rule.name, "category": r.rule.category,
                   "severity": profile.severity(r.rule.code, r.rule.severity),
                   "status": _status(r, waived), "findings": len(r.findings), "notes": r.notes} for r in runs],
        "plugins": [{"name": p.name, "module": p.module, "distribution": p.distribution, "version": p.version,
                     "rules": p.rules, **({"error": p.error} if p.error else {})} for p in catalogue.plugins],
    }
    return Checked(read, ex, report, runs, output)


def _status(run: RuleRun, waived: list[dict[str, Any]]) -> str:
    """A rule all of whose findings were waived reads as such, not as failed."""
    gone = {f["fingerprint"] for f in waived}
    if run.findings and all(f["fingerprint"] in gone for f in run.findings):
        return "waived"
    return run.status


_ORDER = {p: i for i, p in enumerate(c.pointer for c in nf.all_cells())}


def _finding_order(f: dict[str, Any]) -> tuple:
    pointer = f.get("location", {}).get("pointer", "")
    return (SEVERITIES.index(f["severity"]), f["code"], _ORDER.get(pointer, len(_ORDER)), pointer, f["fingerprint"])
