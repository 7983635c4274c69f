"""The findings document as JSON (valid against schemas/findings.schema.json)."""

from __future__ import annotations

import json
from typing import Any


def render(output: dict[str, Any]) -> str:
    return json.dumps(output, ensure_ascii=False, indent=2) + "\n"
