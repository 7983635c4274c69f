"""Loading rule plugins. (Internal: rule authors implement `gongkai.hookspecs` and never call this.)

Where rules come from, in the order they are registered (on a duplicate code the first one wins):

1. the built-in plugin (`builtin`, distribution `gongkai`), always loaded unless `-p no:builtin`;
2. every other plugin installed in the `gongkai.rules` entry-point group, unless autoloading is switched
   off with `GONGKAI_DISABLE_PLUGIN_AUTOLOAD=1`; like pytest, the engine's own plugin stays loaded then;
3. plugins picked by name with `-p NAME` (an entry-point name, a distribution name, or an importable
   module that implements the hooks): loaded even with autoloading off; `-p no:NAME` blocks a plugin;
4. local rules files (`gongkai.localrules`): `--rules FILE` and the conventional files next to the report;
5. plugin objects handed in by code (`extra`, used by tests).

A plugin that fails to import, fails validation or whose hook raises is recorded (Chinese message,
`Catalogue.problems`) and skipped; the others still load.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import re
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, Iterable

import pluggy

from . import hookspecs
from .api import Rule
from .errors import GongkaiError

GROUP = "gongkai.rules"
DISABLE_AUTOLOAD_ENV = "GONGKAI_DISABLE_PLUGIN_AUTOLOAD"
BUILTIN_DISTRIBUTION = "gongkai"
BLOCK_PREFIX = "no:"

# How a plugin came to be loaded, for `gongkai rules --plugins`.
KIND_NAMES = {"builtin": "内置", "entry-point": "已安装", "picked": "-p 选用", "local": "本地规则文件",
              "extra": "代码传入"}


class PluginNotFound(GongkaiError):
    """`-p NAME` names nothing that is installed or importable."""


@dataclass
class PluginInfo:
    name: str                  # entry-point name (or `本地:路径` for a local file)
    module: str
    distribution: str | None
    version: str | None
    rules: list[str] = field(default_factory=list)
    error: str | None = None
    kind: str = "entry-point"  # a key of KIND_NAMES
    reason: str | None = None  # why an installed plugin was not loaded (Catalogue.skipped)


@dataclass
class Catalogue:
    rules: list[Rule]
    plugins: list[PluginInfo]  # loaded, or tried and failed (with `error`)
    problems: list[str]        # Chinese descriptions of plugins that failed or clashed
    skipped: list[PluginInfo] = field(default_factory=list)  # installed, deliberately not loaded
    autoload: bool = True


def manager() -> pluggy.PluginManager:
    """A plugin manager that knows gongkai's hookspecs."""
    pm = pluggy.PluginManager("gongkai")
    pm.add_hookspecs(hookspecs)
    return pm


def autoload_enabled(environ: dict[str, str] | None = None) -> bool:
    """False when GONGKAI_DISABLE_PLUGIN_AUTOLOAD is set to anything but an explicit "no"."""
    value = (environ if environ is not None else os.environ).get(DISABLE_AUTOLOAD_ENV, "")
    return value.strip().lower() in ("", "0", "false", "no", "off")


def _norm(name: str) -> str:
    # Distribution names compare the way pip compares them (PEP 503).
    return re.sub(r"[-_.]+", "-", name).lower()


def _dist(ep: EntryPoint) -> tuple[str | None, str | None]:
    dist = getattr(ep, "dist", None)
    return (dist.name, dist.version) if dist is not None else (None, None)


def is_builtin(ep: EntryPoint) -> bool:
    name, _ = _dist(ep)
    return (name is not None and _norm(name) == BUILTIN_DISTRIBUTION) or ep.value == "gongkai_rules"


def installed() -> list[EntryPoint]:
    """The entry points of the group: the built-in first (so it wins a clash), then by name."""
    seen: set[tuple[str, str]] = set()
    out = []
    for ep in entry_points(group=GROUP):
        # The same distribution can be visible twice (e.g. an install and a source tree on sys.path).
        if (ep.name, ep.value) not in seen:
            seen.add((ep.name, ep.value))
            out.append(ep)
    return sorted(out, key=lambda e: (not is_builtin(e), e.name))


def _matches(ep: EntryPoint, name: str) -> bool:
    dist, _ = _dist(ep)
    return ep.name == name or (dist is not None and _norm(dist) == _norm(name))


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a dotted name whose parent package is missing, or an empty name
        return False


def load(extra: list[Any] | None = None, *, select: Iterable[str] = (), rule_files: Iterable[str | Path] = (),
         autoload: bool | None = None) -> Catalogue:
    """Every rule from the plugins chosen as the module docstring describes.

    `select` holds the `-p` values (`NAME` or `no:NAME`); `rule_files` local rules files; `autoload`
    None means: follow GONGKAI_DISABLE_PLUGIN_AUTOLOAD. Raises PluginNotFound for a `-p NAME` that
    names nothing installed or importable (a typo should stop the run, not silently drop rules).
    """
    autoload = autoload_enabled() if autoload is None else autoload
    select = list(select)
    blocked = [s[len(BLOCK_PREFIX):] for s in select if s.startswith(BLOCK_PREFIX)]
    wanted = [s for s in select if not s.startswith(BLOCK_PREFIX)]
    eps = installed()

    picked_eps: list[EntryPoint] = []
    picked_modules: list[str] = []
    for name in wanted:
        hits = [ep for ep in eps if _matches(ep, name)]
        if hits:
            picked_eps += [ep for ep in hits if ep not in picked_eps]
        elif _importable(name):
            picked_modules.append(name)
        else:
            raise PluginNotFound(_not_found(name, eps))

    pm = manager()
    infos: list[PluginInfo] = []
    skipped: list[PluginInfo] = []
    problems: list[str] = []

    def register(plugin: Any, info: PluginInfo, what: str) -> None:
        try:
            if pm.is_registered(plugin):
                return  # picked twice (by entry point and by module): once is enough
            pm.register(plugin, name=info.name)
        except Exception as err:  # invalid hookimpls, a name already taken: report, carry on
            info.error = f"{type(err).__name__}: {err}"
            problems.append(f"{what}注册失败，已跳过：{info.error}")
            return
        unknown = _unknown_hooks(pm, plugin)
        if unknown:
            # A misspelt hook would otherwise contribute nothing, without a word.
            problems.append(f"{what}实现了未知的钩子 {'、'.join(unknown)}，这些实现不会被调用"
                            f"（可用的钩子：{'、'.join(_hook_names())}）")

    for ep in eps:
        dist, version = _dist(ep)
        kind = "builtin" if is_builtin(ep) else ("picked" if ep in picked_eps else "entry-point")
        info = PluginInfo(ep.name, ep.value, dist, version, kind=kind)
        if any(_matches(ep, b) for b in blocked):
            info.reason = f"已用 -p {BLOCK_PREFIX}{ep.name} 停用"
            skipped.append(info)
            continue
        if not (kind in ("builtin", "picked") or autoload):
            info.reason = f"自动加载已关闭（{DISABLE_AUTOLOAD_ENV}），可用 -p {ep.name} 选用"
            skipped.append(info)
            continue
        infos.append(info)
        what = f"插件 {ep.name}（{ep.value}）"
        try:
            plugin = ep.load()
        except Exception as err:  # a broken plugin must not take the run down
            info.error = f"{type(err).__name__}: {err}"
            problems.append(f"{what}加载失败，已跳过：{info.error}")
            continue
        register(plugin, info, what)

    for name in picked_modules:
        info = PluginInfo(name, name, None, None, kind="picked")
        infos.append(info)
        try:
            plugin = importlib.import_module(name)
        except Exception as err:
            info.error = f"{type(err).__name__}: {err}"
            problems.append(f"用 -p 选用的插件 {name} 加载失败，已跳过：{info.error}")
            continue
        register(plugin, info, f"用 -p 选用的插件 {name} ")

    from . import localrules  # here, not at the top: localrules imports identities, which imports api

    seen_files: set[Path] = set()
    for path in rule_files:
        path = Path(path)
        if path.resolve() in seen_files:
            continue  # named twice, or named and also found next to the report: load it once
        seen_files.add(path.resolve())
        info = PluginInfo(localrules.plugin_name(path), str(path), None, None, kind="local")
        infos.append(info)
        try:
            plugin = localrules.load_file(path)
        except GongkaiError as err:
            info.error = str(err)
            problems.append(f"{err}；已跳过这个文件，其他规则照常运行")
            continue
        register(plugin, info, f"本地规则文件 {path} ")

    for i, plugin in enumerate(extra or ()):
        name = getattr(plugin, "__name__", None) or f"extra-{i}"
        if pm.get_plugin(name) is not None:
            name = f"{name}-{i}"
        info = PluginInfo(name, name, None, None, kind="extra")
        infos.append(info)
        register(plugin, info, f"插件 {name} ")

    rules: list[Rule] = []
    seen: dict[str, str] = {}
    by_name = {i.name: i for i in infos}
    for impl in pm.hook.gongkai_rules.get_hookimpls():
        info = by_name.get(impl.plugin_name)
        try:
            contributed = list(impl.function() or ())
        except Exception as err:
            msg = f"{type(err).__name__}: {err}"
            if info:
                info.error = msg
            problems.append(f"插件 {impl.plugin_name} 提供规则时出错，已跳过：{msg}")
            continue
        for r in contributed:
            if not isinstance(r, Rule):
                problems.append(f"插件 {impl.plugin_name} 提供的 {r!r} 不是用 @rule 声明的规则，已跳过")
                continue
            clash = seen.get(r.code) or next((c for a in r.aliases for c in [seen.get(a)] if c), None)
            if clash:
                problems.append(f"规则编号 {r.code} 与插件 {clash} 中的规则重复，插件 {impl.plugin_name} 中的这条已跳过")
                continue
            seen[r.code] = impl.plugin_name
            for a in r.aliases:
                seen[a] = impl.plugin_name
            rules.append(r)
            if info:
                info.rules.append(r.code)
    rules.sort(key=lambda r: r.code)
    return Catalogue(rules, infos, problems, skipped, autoload)


def _hook_names() -> list[str]:
    return sorted(n for n in dir(hookspecs) if n.startswith("gongkai_") and callable(getattr(hookspecs, n)))


def _unknown_hooks(pm: pluggy.PluginManager, plugin: Any) -> list[str]:
    known = set(_hook_names())
    return sorted(c.name for c in pm.get_hookcallers(plugin) or () if c.name not in known)


def _not_found(name: str, eps: list[EntryPoint]) -> str:
    names = sorted({ep.name for ep in eps} | {d for ep in eps for d in [_dist(ep)[0]] if d})
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"是不是要找：{'、'.join(close)}？" if close else ""
    listed = "、".join(names) if names else "（没有）"
    return (f"找不到插件“{name}”：它既不是已安装插件的入口名或发行包名，也不是可导入的模块。{hint}"
            f"已安装的插件：{listed}。用 gongkai rules --plugins 查看。")
