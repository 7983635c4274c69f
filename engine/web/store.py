"""Keeping uploads, when the operator asks for it (`gongkai serve --store DIR`); off by default.

Each check gets a folder of its own, named by time and content so that folders sort by date:
`DIR/20240115-093012-<first 12 hex of the report's SHA-256>-<random>/` with the uploaded files under
fixed names (the original names are in meta.json, never used as paths) and the findings document.
Files are written beside their final name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..renderers import json as json_renderer

_EXTENSIONS = {"text": ".txt", "json": ".json", "html": ".html", "docx": ".docx", "pdf": ".pdf", "doc": ".doc"}


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def save(store: Path, job: dict[str, Any], output: dict[str, Any]) -> Path | None:
    """The folder written, or None when it could not be (the check's answer is not held back for that)."""
    now = datetime.now(timezone.utc)
    sha = output["report"].get("sha256") or "0" * 12
    folder = store / f"{now:%Y%m%d-%H%M%S}-{sha[:12]}-{secrets.token_hex(3)}"
    try:
        folder.mkdir(parents=True)
        ext = _EXTENSIONS.get(output["report"].get("format") or "", ".bin")
        _write(folder / f"report{ext}", job["report"]["data"])
        names = {"report": job["report"]["name"]}
        for extra, filename in (("prior", "prior.bin"), ("profile", "profile.yaml")):
            if job.get(extra):
                _write(folder / filename, job[extra]["data"])
                names[extra] = job[extra]["name"]
        _write(folder / "findings.json", json_renderer.render(output).encode("utf-8"))
        meta = {"time": now.isoformat(timespec="seconds"), "files": names, "tool": output["tool"]}
        _write(folder / "meta.json", (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    except OSError as err:
        print(f"gongkai serve：无法保存到 {folder}：{err.strerror or err}", file=sys.stderr)
        return None
    return folder
