"""The hooks a gongkai plugin can implement. This module is the whole plugin contract.

A plugin is a module (or object) registered in the `gongkai.rules` entry-point group:

    [project.entry-points."gongkai.rules"]
    my-province = "my_package.rules"

and implementing one or more of the hooks below with `@gongkai.api.hookimpl`.
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

    Called once when the engine starts. Each rule is made with `@gongkai.api.rule`; its code
    must be unique across all plugins (a duplicate is reported and skipped).

    Example::

        from gongkai.api import hookimpl, rule, finding

        @rule(code="GK-JS-001", name="省级发布时限", category="内容", severity="warning",
              basis="江苏省政务公开办年报通知")
        def provincial_deadline(report):
            '''……'''
            ...

        @hookimpl
        def gongkai_rules():
            return [provincial_deadline]
    """
