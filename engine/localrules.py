"""Local rules files: rules that work without packaging. (Internal: the engine calls this; rule authors
use the command line, `gongkai check 报告.txt --rules 文件`, or the conventional file names.)

A local rules file is either

- a Python file that declares rules with `@gongkai.api.rule` and hands them over through a
  `gongkai_rules` hookimpl (exactly as a packaged plugin does) or a module-level `RULES` list; or
- a YAML file of identities (`gongkai.identities.rules_from_yaml`).

`gongkai check` loads the files named with `--rules`, and the files with a conventional name found in the
report's own folder (`CONVENTIONAL_NAMES`), the way pytest picks up a `conftest.py`. A file that fails to
load becomes a problem (a Chinese sentence) and the other rules still run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

from .api import Rule, hookimpl
from .errors import GongkaiError
from .identities import rules_from_yaml

# Looked for in the folder of the report being checked; .py first so that its codes win a clash. Not
# `gongkai_rules.py`: that is the import name of the built-in rules, and a test importing the local file
# by name would get the wrong module.
CONVENTIONAL_NAMES = ("gongkai_local_rules.py", "gongkai_local_rules.yaml", "gongkai_local_rules.yml")
PYTHON_SUFFIXES = (".py",)
YAML_SUFFIXES = (".yaml", ".yml")


class LocalRulesError(GongkaiError):
    """A local rules file could not be loaded; the message (Chinese) says which and why."""


def found_next_to(report: str | Path) -> list[Path]:
    """The conventional rules files in the report's folder, in a fixed order."""
    folder = Path(report).parent   # as given, so that messages show the path the user typed
    return [folder / name for name in CONVENTIONAL_NAMES if (folder / name).is_file()]


def plugin_name(path: Path) -> str:
    """The name under which a local file is registered and shown (`本地:` + the path as given)."""
    return f"本地:{path}"


def load_file(path: str | Path) -> Any:
    """A plugin object for the file: something with a `gongkai_rules` hookimpl. Raises LocalRulesError."""
    path = Path(path)
    if not path.is_file():
        raise LocalRulesError(f"找不到本地规则文件 {path}")
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        # RuleFileError is a GongkaiError with a Chinese message naming the entry that is wrong.
        return _as_plugin(rules_from_yaml(path), path)
    if suffix in PYTHON_SUFFIXES:
        return _python_plugin(path)
    raise LocalRulesError(f"本地规则文件 {path} 的类型无法识别：应是 Python 文件（.py）或 YAML 等式文件（.yaml/.yml）")


def _python_plugin(path: Path) -> Any:
    # A name derived from the full path: two local files of the same name in different folders must not
    # replace each other in sys.modules, and the same file loaded twice gets a fresh module each time.
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:12]
    name = f"gongkai_local_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise LocalRulesError(f"无法把 {path} 作为 Python 模块载入")
    module = importlib.util.module_from_spec(spec)
    # Registered before running so that dataclasses and pickling inside the file find their module.
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as err:  # the author's code: any error is theirs to see, and must not stop the run
        sys.modules.pop(name, None)
        raise LocalRulesError(f"本地规则文件 {path} 执行出错：{type(err).__name__}: {err}") from err
    if callable(getattr(module, "gongkai_rules", None)):
        return module
    rules = getattr(module, "RULES", None)
    if rules is not None:
        if not isinstance(rules, (list, tuple)):
            raise LocalRulesError(f"本地规则文件 {path} 中的 RULES 应是规则列表，实际是 {type(rules).__name__}")
        return _as_plugin(list(rules), path)
    declared = [v.code for v in vars(module).values() if isinstance(v, Rule)]
    hint = f"文件中声明了规则 {'、'.join(declared)}，但没有列入 RULES。" if declared else ""
    raise LocalRulesError(f"本地规则文件 {path} 既没有 gongkai_rules 钩子，也没有 RULES 列表。{hint}"
                          "请在文件末尾写 RULES = [规则函数名, …]")


def _as_plugin(rules: list[Any], path: Path) -> Any:
    plugin = types.ModuleType(f"gongkai_local_{path.stem}")

    @hookimpl
    def gongkai_rules() -> list[Any]:
        return list(rules)

    plugin.gongkai_rules = gongkai_rules
    plugin.__file__ = str(path)
    return plugin
