"""Readers: bytes -> Layout (or a ready report document, for JSON input).

The kind of a file is recognised from its content, not only from its name.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import UnreadableInput
from ..layout import Layout, SourceInfo
from ..normalize import t2s, to_simplified
from .text import read_text

MAX_BYTES = 50 * 1024 * 1024


@dataclass
class ReadResult:
    """Either a layout to extract from, or a document handed in as JSON."""

    source: SourceInfo
    layout: Layout | None = None
    document: dict[str, Any] | None = None


def read_path(path: str | Path) -> ReadResult:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableInput(f"文件过大（{size / 1048576:.1f} MB），超过 {MAX_BYTES // 1048576} MB 的上限：{path}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise UnreadableInput(f"这是一个文件夹，不是报告文件：{path}") from None
    except PermissionError:
        raise UnreadableInput(f"没有读取权限：{path}") from None
    except OSError as err:
        raise UnreadableInput(f"无法读取文件 {path}：{err.strerror or err}") from None
    return read_bytes(data, path.name)


# kind -> (module in this package, function). Each reader is `read(data: bytes, source: SourceInfo) -> Layout`
# and raises UnreadableInput with a Chinese message for input it cannot read.
READERS: dict[str, tuple[str, str]] = {}
READERS["docx"] = ("docx", "read_docx")
READERS["doc"] = ("office", "read_doc")
READERS["html"] = ("html", "read_html")
READERS["pdf"] = ("pdf", "read_pdf")

KIND_NAMES = {"pdf": "PDF", "docx": "Word（.docx）", "doc": "Word 97-2003（.doc/.wps）", "html": "网页（HTML）"}


def read_bytes(data: bytes, name: str) -> ReadResult:
    if not data.strip():
        raise UnreadableInput(f"{name} 没有可读的内容（文件为空）。")
    if len(data) > MAX_BYTES:
        raise UnreadableInput(f"文件过大（{len(data) / 1048576:.1f} MB），超过 {MAX_BYTES // 1048576} MB 的上限：{name}")
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    if kind in KIND_NAMES:
        if kind not in READERS:
            raise UnreadableInput(f"{name} 是{KIND_NAMES[kind]}文件，此版本尚不能读取这种格式。请将报告全文复制为纯文本（.txt）后再检查。")
        module, function = READERS[kind]
        reader = getattr(importlib.import_module(f".{module}", __name__), function)
        if kind == "pdf":
            data = data[data.index(b"%PDF-"):] if b"%PDF-" in data[:1024] else data
        layout = reader(data, SourceInfo(name, kind, digest, len(data)))
        return ReadResult(layout.source, layout=_simplified(layout))
    if kind == "binary":
        raise UnreadableInput(f"{name} 不是文本文件，也不是可识别的报告格式（PDF、Word、网页、JSON）。")
    text, encoding = decode(data, name)
    if kind == "json":
        source = SourceInfo(name, "json", digest, len(data), encoding)
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as err:
            raise UnreadableInput(f"{name} 不是有效的 JSON：{getattr(err, 'msg', '嵌套过深')}") from None
        return ReadResult(source, document=document)
    source = SourceInfo(name, "text", digest, len(data), encoding)
    return ReadResult(source, layout=_simplified(read_text(text, source)))


def _simplified(layout: Layout) -> Layout:
    """Reports mirrored in traditional characters are read in simplified ones, whatever the format."""
    joined = "\n".join(b.text for b in layout.blocks)
    _, converted = to_simplified(joined)
    if converted:
        layout.blocks = [replace(b, text=t2s(b.text)) for b in layout.blocks]
        layout.notes.append("原文为繁体字，已转换为简体字后检查（引用的原文也是转换后的文字）。")
    return layout


def sniff(data: bytes) -> str:
    head = data[:2048]
    # Some servers and mail gateways put a few bytes (a BOM, a blank line, an HTTP header) before %PDF.
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "doc"   # RTF, often published as .doc; converted like .doc (see readers/office.py)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Word saves "Unicode" web pages as UTF-16 with a byte order mark; the HTML reader decodes them.
        wide = head.decode("utf-16", "ignore").lower()
        if "<html" in wide or "<body" in wide or "<table" in wide:
            return "html"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # Pages whose head (scripts, styles) fills the first 2 KB still show <head> or <meta> there.
    if stripped.startswith((b"<!doctype html", b"<html", b"<?xml")) or any(
            tag in head.lower() for tag in (b"<table", b"<body", b"<head", b"<meta")):
        return "html"
    if stripped.startswith((b"{", b"[")):
        return "json"
    if b"\x00" in head:
        return "binary"
    return "text"


def decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030, which covers GB2312 and GBK."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableInput(f"{name} 的文字编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）。请另存为 UTF-8 编码的文本后再试。") from None
    return text, "gb18030"
