"""Word 97-2003 (.doc), WPS (.wps) and RTF files: converted to .docx with LibreOffice, then read as .docx.

.doc and .wps are OLE compound files; RTF is text, and is often what a site's ".doc" really is. Converting them is LibreOffice's job; when it is not installed the
user is told how to convert the file themselves. Each conversion runs headless in a fresh temporary
directory with its own LibreOffice profile (so that concurrent runs do not fight over one profile),
in its own process group, and is killed when it takes too long.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import UnreadableInput
from ..layout import Layout, SourceInfo
from .docx import read_docx

TIMEOUT_SECONDS = 120

# OLE directory entries are stored as UTF-16LE names: enough to tell what else an OLE file may be.
_STREAM = {name: name.encode("utf-16-le") for name in ("EncryptedPackage", "Workbook", "Book", "PowerPoint Document")}

HOW_TO_CONVERT = "请用 WPS 或 Word 打开后“另存为 .docx”，或安装 LibreOffice（安装后 gongkai 会自动转换）。"


def read_doc(data: bytes, source: SourceInfo) -> Layout:
    rtf = data.startswith(b"{\\rtf")
    if not rtf:
        _refuse_other_ole(data, source.name)
    kind = "RTF 格式" if rtf else "Word 97-2003（.doc）或 WPS（.wps）格式"
    office = find_office()
    if office is None:
        raise UnreadableInput(f"{source.name} 是{kind}，需要先转换为 .docx 才能读取：{HOW_TO_CONVERT}")
    converted = convert_to_docx(data, source.name, office, ".rtf" if rtf else None)
    layout = read_docx(converted, source)
    layout.notes.insert(0, f"原文件为{kind}，已用 LibreOffice 转换为 .docx 后读取。")
    return layout


def find_office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _refuse_other_ole(data: bytes, name: str) -> None:
    if _STREAM["EncryptedPackage"] in data:
        raise UnreadableInput(f"{name} 是设置了打开密码的 Office 文档，无法读取。请去掉密码后另存为 .docx 再试。")
    if _STREAM["Workbook"] in data or _STREAM["Book"] in data:
        raise UnreadableInput(f"{name} 是 Excel 表格（.xls），不是 Word 文档。请提供年度报告的 Word、PDF、网页或文本文件。")
    if _STREAM["PowerPoint Document"] in data:
        raise UnreadableInput(f"{name} 是 PowerPoint 演示文稿（.ppt），不是 Word 文档。请提供年度报告的 Word、PDF、网页或文本文件。")


def convert_to_docx(data: bytes, name: str, office: str, suffix: str | None = None) -> bytes:
    suffix = suffix or (".wps" if name.lower().endswith(".wps") else ".doc")
    with tempfile.TemporaryDirectory(prefix="gongkai-office-") as tmp:
        work = Path(tmp)
        source = work / f"report{suffix}"
        source.write_bytes(data)
        outdir = work / "out"
        outdir.mkdir()
        command = [office, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
                   "--nologo", "--norestore", "--nolockcheck", "--nodefault",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(source)]
        try:
            # A process group of its own: `soffice` is a launcher whose children must go down with it.
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, cwd=tmp, start_new_session=True)
        except OSError as err:
            raise UnreadableInput(f"无法启动 LibreOffice（{office}）转换 {name}：{err.strerror or err}。"
                                  f"{HOW_TO_CONVERT}") from None
        try:
            _, err_out = proc.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise UnreadableInput(f"用 LibreOffice 转换 {name} 超过 {TIMEOUT_SECONDS} 秒仍未完成，已中止。"
                                  "文件可能已损坏；请用 WPS 或 Word 打开后“另存为 .docx”再试。") from None
        result = outdir / "report.docx"
        if proc.returncode != 0 or not result.is_file():
            detail = err_out.decode("utf-8", "replace").strip().splitlines()[-1:] if err_out else []
            said = f"（LibreOffice 的提示：{detail[0][:200]}）" if detail else ""
            raise UnreadableInput(f"LibreOffice 未能把 {name} 转换为 .docx{said}，文件可能已损坏或不是 Word 文档。"
                                  "请用 WPS 或 Word 打开后“另存为 .docx”再试。")
        return result.read_bytes()


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        # Something that left the group still holds the pipes; the launcher itself is gone.
        proc.wait()
