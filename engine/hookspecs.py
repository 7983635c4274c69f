"""The hooks a gongkai plugin can implement. This module is the whole plugin contract.

A plugin is a module (or object) registered in the `gongkai.rules` entry-point group:

    [project.entry-points."gongkai.rules"]
    my-province = "my_package.rules"

and implementing one or more of the hooks below with `@gongkai.api.hookimpl`. The same module also
works without packaging, as a local rules file (`gongkai check 报告.txt --rules my_rules.py`).

Public API, stable across minor versions (documented in docs/api.md): this module, `gongkai.api`
(rules, outcomes, `Report`, `Cell`, `Context`), `gongkai.testing`, `gongkai.identities.rules_from_yaml`,
and the command line with its JSON output. Every other module is internal and may change.

Each hookspec's docstring ends with a complete example; tests/test_plugins.py runs every example
through the plugin manager, and fails when a hookspec lacks one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .api import Rule

hookspec = pluggy.HookspecMarker("gongkai")
hookimpl = pluggy.HookimplMarker("gongkai")


@hookspec
def gongkai_rules() -> "list[Rule]":
    """Return the rules this plugin contributes.

    Called once each time the engine loads its plugins, for each plugin on its own: when one
    plugin's hook raises, its rules are skipped and the error reported, and the others still load.
    Each rule is made with `@gongkai.api.rule` (or read from YAML with
    `gongkai.identities.rules_from_yaml`); its code must be unique across all plugins (a duplicate
    is reported and skipped; the built-in plugin is registered first and keeps its codes).

    Example::

        from gongkai.api import finding, good, bad, hookimpl, not_assessed, passed, rule

        @rule(code="JS-001", name="第五部分写明改进措施", category="内容", severity="warning",
              basis="某省年报编制通知：存在问题和改进情况应分别写明",
              examples=(bad("只写问题", {"/parts/problems/text": "存在的主要问题是公开不够及时。"}),
                        good("问题和改进都写了")))
        def improvements(report):
            '''第五部分应写明改进措施（“下一步”“改进”“将进一步”等）。'''
            text = report.part_text("problems")
            if text is None:
                yield not_assessed("未找到第五部分", "/parts/problems")
            elif any(w in text for w in ("下一步", "改进", "将进一步")):
                yield passed("第五部分写明了改进措施", "/parts/problems/text")
            else:
                yield finding("第五部分没有写改进措施。", "/parts/problems/text")

        @hookimpl
        def gongkai_rules():
            return [improvements]
    """
