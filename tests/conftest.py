import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from gongkai.document import Report
from gongkai.extraction import extract
from gongkai.layout import SourceInfo
from gongkai.plugins import load
from gongkai.readers.text import read_text

# `make test` uses the quick profile; HYPOTHESIS_PROFILE=thorough runs many more examples.
# A failing example is printed with a @reproduce_failure blob, so it can be replayed exactly.
settings.register_profile("quick", max_examples=40, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=400, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_5c46bab77c95ce4d.txt"
SEED_EXPECTED = ROOT / "seeds" / "000_5c46bab77c95ce4d.expected.json"
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def catalogue():
    return load()


def extract_text(text: str, name: str = "test.txt"):
    return extract(read_text(text, SourceInfo(name, "text", "0" * 64, len(text.encode()))))


def report_from_text(text: str) -> Report:
    ex = extract_text(text)
    return Report(ex.document, ex.source_map)
