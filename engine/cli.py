"""The `gongkai` command.

Exit codes: 0 no error finding, 1 error findings, 2 usage or unreadable input, 3 internal error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .document import Report
from .errors import GongkaiError
from .grading import load_profile
from .pipeline import check_path, extract_path
from .plugins import load
from .renderers import json as json_renderer, text as text_renderer

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(EXIT_USAGE)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    # Written beside the target and moved into place, so a failed run never leaves half a file.
    tmp = output.with_name(output.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    except OSError as err:
        _fail(f"无法写入 {output}：{err.strerror or err}")


class _Group(click.Group):
    def main(self, *args, **kwargs):
        # Usage errors in Chinese, exit code 2; everything else the commands handle themselves.
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoSuchOption as err:
            _fail(f"没有这个选项：{err.option_name}。用 gongkai --help 查看用法。")
        except click.exceptions.BadParameter as err:
            _fail(f"参数不对：{err.format_message()}")
        except click.exceptions.UsageError as err:
            _fail(f"用法不对：{err.format_message()}。用 gongkai --help 查看用法。")
        except click.exceptions.Abort:
            _fail("已中止。")
        except GongkaiError as err:
            _fail(str(err))
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            sys.exit(130)
        except Exception as err:  # a bug of ours: say so plainly; the traceback is for developers
            if os.environ.get("GONGKAI_DEBUG"):
                raise
            click.echo(f"内部错误：{type(err).__name__}: {err}。这是 gongkai 的缺陷，请连同输入文件报告给开发者"
                       f"（设置环境变量 GONGKAI_DEBUG=1 可显示详细信息）。", err=True)
            sys.exit(EXIT_INTERNAL)


_HELP = {"help_option_names": ["-h", "--help"]}


@click.group(cls=_Group, context_settings=_HELP, help="政府信息公开工作年度报告合规检查（国办公开办函〔2021〕30号格式）。")
@click.version_option(__version__, "-V", "--version", prog_name="gongkai", message="%(prog)s %(version)s",
                      help="显示版本并退出。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
def main() -> None:
    pass


@main.command(help="检查一份年度报告，给出得分、等级和每个问题的位置。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出格式：text 为中文摘要，json 为完整的检查结果文档。")
@click.option("--profile", type=click.Path(path_type=Path), default=None, help="评分方案（YAML），默认使用内置方案。")
@click.option("--prior", type=click.Path(path_type=Path), default=None, help="同一机关上一年度的报告（用于跨年度核对）。")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="写入文件而不是屏幕。")
@click.option("-v", "--verbose", is_flag=True, help="列出每条通过的检查找到的内容。")
def check(file: Path, fmt: str, profile: Path | None, prior: Path | None, output: Path | None, verbose: bool) -> None:
    prof = load_profile(profile)
    result = check_path(file, prof, prior=prior)
    if fmt == "json":
        _write(json_renderer.render(result.output), output)
    else:
        _write(text_renderer.render(result.output, verbose=verbose), output)
    sys.exit(EXIT_FINDINGS if result.output["score"]["counts"]["error"] else EXIT_OK)


@main.command(help="提取年度报告三张统计表的每个单元格（表、行、列、数值、原文、出处）。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "document"]), default="json", show_default=True,
              help="json/csv：单元格清单；document：完整的年报文档（符合 schemas/annual-report.schema.json）。")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="写入文件而不是屏幕。")
def extract(file: Path, fmt: str, output: Path | None) -> None:
    read, ex = extract_path(file)
    report = Report(ex.document, ex.source_map)
    if fmt == "document":
        _write(json.dumps(ex.document, ensure_ascii=False, indent=2) + "\n", output)
        return
    rows = []
    for spec, cell in report.cells():
        if cell is None:
            continue
        rows.append({"table": spec.table, "row": spec.row, "column": spec.column, "value": cell.value,
                     "raw": cell.raw, "source": {k: v for k, v in (cell.source or {}).items() if k != "text"}})
    if ex.missing:
        click.echo(f"注意：未找到 {'；'.join(ex.missing)}。", err=True)
    if fmt == "json":
        _write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", output)
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["table", "row", "column", "value", "raw", "source"])
        for r in rows:
            src = ";".join(f"{k}={v}" for k, v in r["source"].items())
            writer.writerow([r["table"], r["row"], r["column"], "" if r["value"] is None else r["value"], r["raw"], src])
        _write(buf.getvalue(), output)


@main.command(name="rules", help="列出所有检查规则（编号、严重程度、类别、说明）。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
def list_rules() -> None:
    catalogue = load()
    names = {"error": "错误", "warning": "警告", "info": "提示"}
    for r in catalogue.rules:
        click.echo(f"{r.code:<10} {names[r.severity]}  {r.category}  {r.name}：{r.summary}")
    for p in catalogue.problems:
        click.echo(f"注意：{p}", err=True)
