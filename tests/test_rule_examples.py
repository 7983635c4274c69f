"""Every rule documents a bad and a good example, and every example is run: bad ones must be
reported, good ones must pass."""

import pytest

from gongkai.api import Finding, NotAssessed
from gongkai.plugins import load
from gongkai.testing import run_example

RULES = load().rules
EXAMPLES = [(r, e) for r in RULES for e in r.examples]


def test_every_rule_has_a_bad_and_a_good_example():
    lacking = [r.code for r in RULES if {e.kind for e in r.examples} != {"bad", "good"}]
    assert lacking == []


@pytest.mark.parametrize("rule, example", EXAMPLES, ids=[f"{r.code}-{e.kind}-{i}" for i, (r, e) in enumerate(EXAMPLES)])
def test_example(rule, example):
    outcomes = run_example(rule, example)
    findings = [o for o in outcomes if isinstance(o, Finding)]
    if example.kind == "bad":
        assert findings, f"{rule.code}: 反例没有被发现：{example.description}"
    else:
        assert not findings, f"{rule.code}: 正例被误报：{example.description} -> {[f.message for f in findings]}"
        assert not [o for o in outcomes if isinstance(o, NotAssessed)], f"{rule.code}: 正例未能评估"
