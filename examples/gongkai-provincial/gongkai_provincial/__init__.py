"""gongkai-provincial: an example third-party plugin (a province's stricter deadline, an evaluator's indicator).

The package is registered in the `gongkai.rules` entry-point group (see pyproject.toml); gongkai imports
it and calls the one hook below. It uses only the public API: `gongkai.api` and `gongkai.hookspecs`.
"""

from gongkai.api import hookimpl

from .rules import RULES

__version__ = "0.2.0"


@hookimpl
def gongkai_rules():
    return list(RULES)
