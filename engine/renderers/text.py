"""A readable Chinese summary for the terminal: score, grade, findings with locations, what passed."""

from __future__ import annotations

from typing import Any

from ..api import SEVERITY_NAMES
from .location import describe

_STATUS = {"passed": "✓", "failed": "✗", "not_assessed": "?", "error": "!", "waived": "~"}


def render(output: dict[str, Any], verbose: bool = False) -> str:
    rep, score = output["report"], output["score"]
    lines = []
    title = rep.get("title") or rep["file"]
    lines.append(title)
    meta = [f"文件：{rep['file']}"]
    if rep.get("issuing_body"):
        meta.append(f"发布机关：{rep['issuing_body']}")
    if rep.get("report_year"):
        meta.append(f"年度：{rep['report_year']}")
    lines.append("　".join(meta))
    lines.append("")
    lines.append(f"得分：{score['score']:g} / {score['max']}　等级：{score['grade']}　结论：{score['verdict']}")
    lines.append("分项：" + "　".join(f"{c['name']} {c['score']:g}（权重 {c['weight']:g}）" for c in score["categories"]))
    counts = score["counts"]
    lines.append(f"问题：错误 {counts['error']} 项，警告 {counts['warning']} 项，提示 {counts['info']} 项")
    if rep.get("missing"):
        lines.append("未找到：" + "；".join(rep["missing"]))
    for note in rep.get("notes", []):
        lines.append(f"说明：{note}")
    lines.append("")

    findings = output["findings"]
    if findings:
        lines.append(f"发现的问题（{len(findings)} 项）")
        for i, f in enumerate(findings, 1):
            lines.append(f"{i}. [{SEVERITY_NAMES[f['severity']]}] {f['code']} {f['name']}")
            where = describe(f.get("location", {}))
            if where:
                lines.append(f"   位置：{where}")
            lines.append(f"   说明：{f['message']}")
            if f.get("fix"):
                lines.append(f"   建议：{f['fix']}")
        lines.append("")
    else:
        lines.append("没有发现问题。")
        lines.append("")

    if output.get("waived"):
        lines.append(f"已豁免（{len(output['waived'])} 项，不扣分）")
        for f in output["waived"]:
            lines.append(f"  ~ {f['code']} {f['message']}")
            lines.append(f"    豁免理由：{f['waiver']['reason']}（指纹 {f['fingerprint']}）")
        lines.append("")

    if score["not_assessed"]:
        lines.append(f"未能评估（{len(score['not_assessed'])} 项）")
        for n in score["not_assessed"]:
            lines.append(f"  ? {n['code']} {n['name']}：{n['reason']}")
        lines.append("")

    lines.append("检查项")
    for r in output["rules"]:
        mark = _STATUS.get(r["status"], " ")
        line = f"  {mark} {r['code']} {r['name']}"
        if r["status"] == "failed":
            line += f"：{r['findings']} 项问题"
        elif r["notes"] and (verbose or len(r["notes"]) == 1 or r["category"] == "内容"):
            notes = [n["note"] for n in r["notes"] if n["note"] != r["name"]]
            if notes:
                line += "：" + "；".join(notes)
        lines.append(line)
    return "\n".join(lines) + "\n"
