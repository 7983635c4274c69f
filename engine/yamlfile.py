"""Reading the YAML files users write (profiles, waivers, rules), with errors that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import GongkaiError


def load_yaml(path: Any, what: str, error: type[GongkaiError], text: str | None = None) -> Any:
    """The file's data, or `error` with a Chinese message saying which file and where it is wrong.

    `what` names the kind of file for the message, e.g. "评分方案文件"."""
    try:
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except FileNotFoundError:
        raise error(f"找不到{what}：{path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"无法读取{what} {path}：{getattr(err, 'strerror', None) or err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列附近" if mark is not None else ""
        detail = getattr(err, "problem", None) or str(err)
        raise error(f"{what} {path} 不是有效的 YAML：{where}有格式错误（{detail}）") from None
