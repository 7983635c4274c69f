"""gongkai's built-in rules: one plugin, registered in the `gongkai.rules` entry-point group exactly
as a third-party plugin is. Each module lists its rules in `RULES`; add a new module to `MODULES`."""

from gongkai.api import hookimpl

from . import arithmetic, content, prose, structure, text

MODULES = (structure, arithmetic, text, prose, content)


@hookimpl
def gongkai_rules():
    return [r for module in MODULES for r in module.RULES]
