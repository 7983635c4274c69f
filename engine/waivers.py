"""Waivers: a known finding accepted on purpose, by its fingerprint, with a reason.

A waiver file (YAML) lists the findings an agency or an evaluator has looked at and accepts:

    waivers:
      - fingerprint: 3f2a9c0d1e4b5a67     # from `gongkai check --format json` or the HTML page
        code: GK-P-001                   # optional: checked against the finding, for readability
        reason: 文中“受理”仅指新收申请，口径已与评估机构确认
        until: 2025-06-30                # optional: after this date the waiver no longer applies

A waived finding leaves the score and the exit code alone and is listed under `waived` with its
reason. A waiver that matches no finding, or has expired, is reported, so that a file of waivers
cannot silently outlive the problems it was written for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import GongkaiError
from .yamlfile import load_yaml

WAIVER_CODE = "GK-E-003"


class WaiverError(GongkaiError):
    """A waiver file is malformed; the message says where, in Chinese."""


@dataclass(frozen=True)
class Waiver:
    fingerprint: str
    reason: str
    code: str | None = None
    until: dt.date | None = None


def load_waivers(path: str | Path) -> list[Waiver]:
    data = load_yaml(path, "豁免文件", WaiverError)
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list):
        raise WaiverError(f"豁免文件 {path} 应有一个 waivers 列表（每项写 fingerprint 和 reason）")
    waivers = []
    for i, entry in enumerate(data["waivers"], start=1):
        where = f"豁免文件 {path} 第 {i} 项"
        if not isinstance(entry, dict):
            raise WaiverError(f"{where} 应是一个映射")
        fp = str(entry.get("fingerprint", "")).strip()
        reason = str(entry.get("reason") or "").strip()
        if not re.fullmatch(r"[0-9a-f]{16}", fp):
            raise WaiverError(f"{where} 的 fingerprint 应是检查结果中问题的 16 位指纹（如 3f2a9c0d1e4b5a67）")
        if not reason:
            raise WaiverError(f"{where} 没有写 reason：豁免一个问题必须说明理由")
        until = entry.get("until")
        if until is not None and not isinstance(until, dt.date):
            try:
                until = dt.date.fromisoformat(str(until))
            except ValueError:
                raise WaiverError(f"{where} 的 until 应是日期，如 2025-06-30") from None
        waivers.append(Waiver(fp, reason, str(entry["code"]) if entry.get("code") else None, until))
    return waivers


def apply_waivers(findings: list[dict[str, Any]], waivers: list[Waiver], today: dt.date | None = None
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Split findings into (kept, waived); the third list reports waivers that did not apply."""
    from .checking import ENGINE_CATEGORY, fingerprint

    today = today or dt.date.today()
    by_fp = {w.fingerprint: w for w in waivers}
    kept, waived, used = [], [], set()
    for f in findings:
        w = by_fp.get(f["fingerprint"])
        if w is not None and (w.until is None or w.until >= today) and (w.code is None or w.code == f["code"]):
            waived.append({**f, "waiver": {"reason": w.reason, **({"until": w.until.isoformat()} if w.until else {})}})
            used.add(w.fingerprint)
        else:
            kept.append(f)
    problems = []
    for w in waivers:
        if w.fingerprint in used:
            continue
        if w.until is not None and w.until < today:
            why = f"已于 {w.until.isoformat()} 到期，不再适用"
        elif any(f["fingerprint"] == w.fingerprint for f in findings):
            why = f"编号与问题不符（豁免写的是 {w.code}）"
        else:
            why = "没有匹配到任何问题（问题可能已经改正，可以删去这一项）"
        problems.append({"code": WAIVER_CODE, "rule": WAIVER_CODE, "name": "豁免未生效", "severity": "info",
                         "category": ENGINE_CATEGORY, "location": {}, "evidence": {"fingerprint": w.fingerprint},
                         "message": f"豁免 {w.fingerprint}（{w.code or '未写编号'}，理由：{w.reason}）{why}。",
                         "fingerprint": fingerprint(WAIVER_CODE, (), w.fingerprint)})
    return kept, waived, problems
