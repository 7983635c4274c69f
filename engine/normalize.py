"""Text normalisation shared by readers and the extractor.

Labels in published reports differ from the format by width of punctuation, stray spaces
(`自 然 人`), quote style and line breaks. Matching happens on a *key*: NFKC-folded text with all
whitespace removed and quotes unified, so that `（三）不予 公开` and `(三)不予公开` compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

# Zero-width and other invisible characters that survive copy-paste from web pages.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                         "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"'})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "－": "-", "─": "-"})
_WS = re.compile(r"\s+")


# Full-width digits and Latin letters become ASCII so that numbers can be read; Chinese
# punctuation is kept, because findings quote the report's own words.
_WIDE_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}
_WIDE_ALNUM[0x3000] = 0x20
_CLEAN = {**_INVISIBLE, **_WIDE_ALNUM}


def clean(text: str) -> str:
    """Text as a reader should keep it: NFC, full-width digits as ASCII, invisible characters gone,
    runs of spaces folded. (Comparisons use `key`, which folds much more.)"""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", text.translate(_CLEAN)).strip()


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """Comparison key for labels and headings: width, spaces, quotes and dashes do not matter."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_QUOTES).translate(_DASHES)
    return _WS.sub("", text)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def t2s(text: str) -> str:
    return _t2s().convert(text)


def to_simplified(text: str) -> tuple[str, bool]:
    """Mirror sites serve reports converted to traditional characters; the format's labels are simplified.

    Returns the text in simplified characters and whether it was converted. A handful of changed
    characters in a simplified text (variant forms) is not a traditional text, and is left alone.
    """
    converted = t2s(text)
    if converted == text:
        return text, False
    changed = sum(1 for a, b in zip(text, converted) if a != b)
    return (converted, True) if changed >= 3 else (text, False)
