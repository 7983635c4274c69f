"""The pieces every part of the extractor shares: tokens, values, label keys, the result."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..layout import Location
from ..normalize import key

NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_WHOLE = re.compile(r"[+]?\d+")
PLACEHOLDERS = frozenset({"", "/", "-", "--", "无", "空", "——", "\\", "×", "x", "X"})


@dataclass(slots=True)
class Token:
    index: int
    text: str
    key: str
    loc: Location
    kind: str          # "paragraph" or "cell"
    # Asked of every token many times by the table readers: decided once, when the token is made.
    is_value: bool = field(init=False)
    is_blank: bool = field(init=False)

    def __post_init__(self) -> None:
        self.is_value, self.is_blank = _value_and_blank(self.key, self.kind)


# Every report of a batch has the same labels and numbers: each key is judged once per process.
@lru_cache(maxsize=8192)
def _value_and_blank(key: str, kind: str) -> tuple[bool, bool]:
    if key in PLACEHOLDERS:
        return kind == "cell" or key != "", key == ""
    return bool(NUMBER.match(key)), key == ""


@dataclass
class Extraction:
    """The report document, where each value came from, and what could not be found."""

    document: dict[str, Any]
    source_map: dict[str, dict[str, Any]]
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def deviate(self, table: str, kind: str, expected: str, found: str, where: Token | None,
                pointer: str | None = None) -> None:
        """Record a place where the report departs from the format but was still read."""
        devs = self.document.setdefault("deviations", [])
        if any(d["table"] == table and d["expected"] == expected and key(d["found"]) == key(found) for d in devs):
            return
        entry = {"table": table, "kind": kind, "expected": expected, "found": found}
        if pointer:
            entry["pointer"] = pointer
        devs.append(entry)
        if where is not None:
            self.source_map[f"/deviations/{len(devs) - 1}"] = {**where.loc.to_json(), "text": where.text}


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """Key for row labels: numbering punctuation (`1、` `1．` `1.`) unified."""
    return re.sub(r"^(\d+)[、.,]", r"\1.", key(text))


def closest(text_key: str, candidates: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The one candidate a slightly misspelt label means (`现行有效件` -> `现行有效件数`), if unambiguous.

    Short labels must match exactly: a two-character difference in a four-character label is
    another label, not a typo.
    """
    if len(text_key) < 5:
        return None
    return _closest(text_key, tuple(dict.fromkeys(candidates)), cutoff)


# Header cells and near-miss labels recur in report after report; the fuzzy matching behind them
# is the slowest step of reading a table, and depends on nothing but these arguments.
@lru_cache(maxsize=4096)
def _closest(text_key: str, candidates: tuple[str, ...], cutoff: float) -> str | None:
    pool = [c for c in candidates if len(c) >= 5 and abs(len(c) - len(text_key)) <= max(2, len(c) // 4)]
    if not pool:
        return None
    scored = sorted(((difflib.SequenceMatcher(None, text_key, c).ratio(), c) for c in pool), reverse=True)
    best = scored[0]
    if best[0] < cutoff or (len(scored) > 1 and scored[1][0] >= best[0] - 0.05):
        return None
    # Numbered items must keep their number: `2.其他…` never becomes `3.其他…`.
    num = re.match(r"^\(?([0-9一二三四五六七八九]+)[).、]", text_key)
    cnum = re.match(r"^\(?([0-9一二三四五六七八九]+)[).、]", best[1])
    if (num and cnum and num[1] != cnum[1]) or bool(num) != bool(cnum):
        return None
    return best[1]


# Cells hold the same few numbers ("0", "1", …) in every report of a batch.
@lru_cache(maxsize=8192)
def parse_value(raw: str, kind: str) -> int | float | None:
    """The number a cell holds, or None for a placeholder or anything that is not a valid number."""
    text = key(raw).replace(",", "")
    if not NUMBER.match(text):
        return None
    if kind == "count":
        return int(text) if _WHOLE.fullmatch(text) else None
    number = float(text)
    if number < 0:
        return None
    return int(number) if number.is_integer() and "." not in text else number
