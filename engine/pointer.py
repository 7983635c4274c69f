"""JSON Pointers into a report document (`/tables/t3/new_received/total`): reading, writing, removing.

The document's keys never contain `/` or `~`, so a pointer is simply its steps joined by `/`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1024)
def steps(pointer: str) -> tuple[str, ...]:
    return tuple(pointer.strip("/").split("/"))


def get_at(doc: Any, pointer: str) -> Any:
    """What the pointer names, or None when the document does not have it."""
    node = doc
    for step in steps(pointer):
        if not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    return node


@lru_cache(maxsize=1024)
def _split(pointer: str) -> tuple[tuple[str, ...], str]:
    *path, last = steps(pointer)
    return tuple(path), last


_ABSENT = object()


def _parent(doc: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
    # The extractor sets every cell of every report through here: no list unpacking and no
    # throw-away {} per step (as setdefault would make), and the same errors for a non-object.
    path, last = _split(pointer)
    node = doc
    for step in path:
        child = node.get(step, _ABSENT)
        if child is _ABSENT:
            child = node[step] = {}
        node = child
    return node, last


def set_at(doc: dict[str, Any], pointer: str, value: Any) -> None:
    """Set what the pointer names, making the objects on the way."""
    node, last = _parent(doc, pointer)
    node[last] = value


def remove_at(doc: dict[str, Any], pointer: str) -> None:
    node, last = _parent(doc, pointer)
    node.pop(last, None)
