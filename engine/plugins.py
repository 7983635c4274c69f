"""Loading rule plugins from the `gongkai.rules` entry-point group.

Built-in rules are registered through the same group as any third-party plugin. A plugin that
fails to import, or whose hook raises, is recorded and skipped; the others still load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy

from . import hookspecs
from .api import Rule

GROUP = "gongkai.rules"


@dataclass
class PluginInfo:
    name: str                  # entry-point name
    module: str
    distribution: str | None
    version: str | None
    rules: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Catalogue:
    rules: list[Rule]
    plugins: list[PluginInfo]
    problems: list[str]        # Chinese descriptions of plugins that failed or clashed


def load(extra: list[Any] | None = None) -> Catalogue:
    """Every rule from every installed plugin, plus `extra` plugin objects (used by tests)."""
    pm = pluggy.PluginManager("gongkai")
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []
    problems: list[str] = []
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        dist = getattr(ep, "dist", None)
        info = PluginInfo(ep.name, ep.value, dist.name if dist else None, dist.version if dist else None)
        infos.append(info)
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as err:  # a broken plugin must not take the run down
            info.error = f"{type(err).__name__}: {err}"
            problems.append(f"插件 {ep.name}（{ep.value}）加载失败，已跳过：{info.error}")
    for i, plugin in enumerate(extra or ()):
        name = getattr(plugin, "__name__", f"extra-{i}")
        pm.register(plugin, name=name)
        infos.append(PluginInfo(name, name, None, None))

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
    return Catalogue(rules, infos, problems)
