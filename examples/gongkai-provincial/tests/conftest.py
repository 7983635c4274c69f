"""Fixtures for the plugin's tests, built on gongkai's own testing helpers (`gongkai.testing`)."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from gongkai.cli import main
from gongkai.testing import seed_document

settings.register_profile("quick", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

PLUGIN_ROOT = Path(__file__).resolve().parent.parent
PROFILE = PLUGIN_ROOT / "profile-provincial.yaml"


@pytest.fixture
def seed() -> dict:
    """The seed report's document (南通市人民政府办公室 2023), a fresh copy for each test."""
    return seed_document()


def run_gongkai(*args: str) -> tuple[int, str, str]:
    """The `gongkai` command, in-process: exit code, stdout, stderr."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def check_document(tmp_path):
    """Check a report document through the command line; returns the JSON result."""

    def check(doc: dict, *args: str) -> dict:
        path = tmp_path / "report.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        code, out, err = run_gongkai("check", path, "--format", "json", *args)
        assert code in (0, 1), err
        return json.loads(out)

    return check
