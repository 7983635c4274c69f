"""The upload form, parsed from the request body in memory.

Starlette's own form parser spools every file part above 1 MB to a temporary file on disk; this
service promises that an upload is not stored anywhere unless the operator turns storage on, so
the multipart body (already bounded by the upload limit) is parsed here into bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from .limits import ServiceError

FIELDS = ("file", "text", "prior", "profile")
MAX_PARTS = 16
DEFAULT_NAMES = {"file": "上传的报告", "text": "粘贴的文本.txt", "prior": "上一年度报告", "profile": "评分方案.yaml"}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ufeff]")


@dataclass
class Part:
    field: str
    filename: str | None
    data: bytes


def _bad(message: str) -> ServiceError:
    return ServiceError(400, "bad_request", message)


def clean_filename(raw: str | None, default: str) -> str:
    """A file name fit to show and to name downloads: no folders, no control characters, not too long."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip().strip(".")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:110] + dot + ext[:9]) if dot and len(ext) <= 9 else name[:120]
    return name or default


def parse_form(body: bytes, content_type: str) -> dict[str, Part]:
    """The known fields of a multipart/form-data body; unknown fields are ignored."""
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise _bad("multipart/form-data 请求缺少 boundary 参数。")
    parts: list[Part] = []
    state = {"headers": [], "name": b"", "value": b"", "data": bytearray(), "ended": False}

    def on_part_begin() -> None:
        if len(parts) >= MAX_PARTS:
            raise _bad(f"表单字段过多（超过 {MAX_PARTS} 个）。")
        state["headers"], state["data"] = [], bytearray()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["name"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"].append((state["name"].lower(), state["value"]))
        state["name"], state["value"] = b"", b""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        state["data"] += data[start:end]

    def on_part_end() -> None:
        disposition = next((v for k, v in state["headers"] if k == b"content-disposition"), None)
        if disposition is None:
            raise _bad("表单的某个部分缺少 Content-Disposition 头。")
        kind, options = parse_options_header(disposition.decode("latin-1"))
        if kind != b"form-data" or b"name" not in options:
            raise _bad("表单的某个部分没有字段名（Content-Disposition: form-data; name=…）。")
        # Browsers send names as raw UTF-8 bytes; the header was read as Latin-1 to keep them intact.
        field = options[b"name"].decode("utf-8", "replace")
        filename = options[b"filename"].decode("utf-8", "replace") if b"filename" in options else None
        if filename is not None:
            # Browsers (per the HTML standard) and httpx send a quote in a file name as %22; a name
            # that really holds "%22" is far rarer than one with a quote.
            filename = filename.replace("%22", '"')
        parts.append(Part(field, filename, bytes(state["data"])))

    def on_end() -> None:
        state["ended"] = True

    callbacks = {"on_part_begin": on_part_begin, "on_header_field": on_header_field,
                 "on_header_value": on_header_value, "on_header_end": on_header_end,
                 "on_part_data": on_part_data, "on_part_end": on_part_end, "on_end": on_end}
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except (FormParserError, ValueError) as err:
        raise _bad(f"无法解析上传的表单（multipart/form-data）：{err}") from None
    if not state["ended"]:
        raise _bad("上传的表单数据不完整（缺少结束分隔符）。请重新上传。")
    fields: dict[str, Part] = {}
    for part in parts:
        if part.field not in FIELDS:
            continue
        if part.field in fields:
            raise _bad(f"表单字段 {part.field} 出现了多次。")
        fields[part.field] = part
    return fields
