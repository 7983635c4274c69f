"""The `gongkai` command.

Exit codes: 0 no error finding, 1 error findings, 2 usage or unreadable input, 3 internal error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path

import click

from . import __version__
from .document import Report
from .errors import GongkaiError
from .grading import load_profile
from .pipeline import check_path, extract_path
from .waivers import load_waivers
from .plugins import KIND_NAMES, Catalogue, load
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


def _param_name(param: click.Parameter | None) -> str:
    if param is None:
        return "参数"
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return max(param.opts, key=len)


def _usage_in_chinese(err: click.exceptions.UsageError) -> str:
    """click's own messages are English; say the usual ones in Chinese, and keep click's words only
    for what is rare."""
    param = getattr(err, "param", None)
    name = _param_name(param)
    if isinstance(err, click.exceptions.MissingParameter):
        return f"缺少参数 {name}。"
    if isinstance(err, click.exceptions.BadParameter):
        kind = getattr(param, "type", None)
        if isinstance(kind, click.Choice):
            return f"参数不对：{name} 只能是 {'、'.join(map(str, kind.choices))}。"
        if isinstance(kind, (click.types.IntParamType, click.IntRange)):
            return f"参数不对：{name} 应是整数。"
        if isinstance(kind, (click.types.FloatParamType, click.FloatRange)):
            return f"参数不对：{name} 应是数字。"
        return f"参数不对：{name}（{err.format_message()}）。"
    text = err.format_message()
    m = re.match(r"No such command '(.+)'", text)
    if m:
        return f"没有“{m[1]}”这个命令。"
    m = re.match(r"Option '(.+)' requires an? argument", text)
    if m:
        return f"选项 {m[1]} 后面要写上它的值。"
    m = re.match(r"Got unexpected extra arguments? \((.+)\)", text)
    if m:
        return f"多了参数：{m[1]}。"
    return f"用法不对（{text}）。"


class _Group(click.Group):
    def main(self, *args, **kwargs):
        # Usage errors in Chinese, exit code 2; everything else the commands handle themselves.
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoSuchOption as err:
            _fail(f"没有这个选项：{err.option_name}。用 gongkai --help 查看用法。")
        except click.exceptions.UsageError as err:
            _fail(f"{_usage_in_chinese(err)}用 gongkai --help 查看用法。")
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
@click.option("-p", "picked", multiple=True, metavar="NAME",
              help="选用插件（入口名、发行包名或模块名，可重复），自动加载关闭时也加载；-p no:NAME 停用一个插件。")
@click.pass_context
def main(ctx: click.Context, picked: tuple[str, ...]) -> None:
    ctx.ensure_object(dict)["picked"] = picked


# -- choosing plugins and local rules files (shared by check, rules, explain, docs) ----------------

def _plugin_options(fn):
    fn = click.option("--rules", "rule_files", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
                      help="本地规则文件（Python 或 YAML 等式文件，可重复），不必打包安装。")(fn)
    return click.option("-p", "picked", multiple=True, metavar="NAME",
                        help="选用插件（入口名、发行包名或模块名，可重复）；-p no:NAME 停用一个插件。")(fn)


def _catalogue(picked: tuple[str, ...] = (), rule_files: list[Path] | tuple[Path, ...] = ()) -> Catalogue:
    """The plugins for this run: `-p` given before the command and after it, and the local rules files."""
    root = click.get_current_context().find_root()
    select = [*(root.obj or {}).get("picked", ()), *picked]
    return load(select=select, rule_files=list(rule_files))


def _local_files(report: Path, named: tuple[Path, ...], discover: bool) -> list[Path]:
    from .localrules import found_next_to

    files = list(named)
    if discover:
        given = {f.resolve() for f in named}
        files += [f for f in found_next_to(report) if f.resolve() not in given]
    return files


def _announce_local(catalogue: Catalogue, discovered: set[Path]) -> None:
    # On stderr, so that json/sarif/junit on stdout stay machine-readable; the JSON result lists them too.
    for info in catalogue.plugins:
        if info.kind != "local":
            continue
        how = "（在报告所在文件夹中找到）" if Path(info.module).resolve() in discovered else ""
        if info.error:
            click.echo(f"本地规则文件 {info.module}{how}未能加载，已跳过：{info.error}", err=True)
        else:
            click.echo(f"已加载本地规则文件 {info.module}{how}：{'、'.join(info.rules) or '（没有规则）'}", err=True)


@main.command(help="检查一份年度报告，给出得分、等级和每个问题的位置。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "sarif", "junit"]), default="text",
              show_default=True,
              help="输出格式：text 为中文摘要（在终端中带颜色和表格），json 为完整的检查结果文档，html 为可在浏览器中阅读的"
                   "单页报告（标出问题单元格和句子），sarif 为 SARIF 2.1.0（代码扫描平台），junit 为 JUnit XML（持续集成）。")
@click.option("--profile", type=click.Path(path_type=Path), default=None, help="评分方案（YAML），默认使用内置方案。")
@click.option("--prior", type=click.Path(path_type=Path), default=None, help="同一机关上一年度的报告（用于跨年度核对）。")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="写入文件而不是屏幕。")
@click.option("-v", "--verbose", is_flag=True, help="列出每条通过的检查找到的内容。")
@_plugin_options
@click.option("--no-local-rules", is_flag=True,
              help="不加载报告所在文件夹中的 gongkai_local_rules.py / .yaml（检查来路不明的文件夹时使用）。")
@click.option("--waivers", type=click.Path(path_type=Path), default=None,
              help="豁免文件（YAML）：按指纹接受已知问题并写明理由；被豁免的问题不扣分，未生效的豁免会被指出。")
def check(file: Path, fmt: str, profile: Path | None, prior: Path | None, output: Path | None, verbose: bool,
          picked: tuple[str, ...], rule_files: tuple[Path, ...], no_local_rules: bool, waivers: Path | None) -> None:
    prof = load_profile(profile)
    accepted = load_waivers(waivers) if waivers is not None else None
    files = _local_files(file, rule_files, discover=not no_local_rules)
    catalogue = _catalogue(picked, files)
    _announce_local(catalogue, {f.resolve() for f in files[len(rule_files):]})
    result = check_path(file, prof, catalogue, prior=prior, waivers=accepted)
    if fmt == "json":
        _write(json_renderer.render(result.output), output)
    elif fmt == "html":
        from .renderers import html
        _write(html.render(result.output, result.report, catalogue), output)
    elif fmt == "sarif":
        from .renderers import sarif
        _write(sarif.render(result.output, catalogue, uri=str(file)), output)
    elif fmt == "junit":
        from .renderers import junit
        _write(junit.render(result.output), output)
    elif output is None and sys.stdout.isatty():
        # On a terminal: colour and tables. Piped or written to a file: the plain text scripts read.
        from rich.console import Console
        from .renderers import terminal
        terminal.render(result.output, Console(), verbose=verbose)
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


@main.command(name="rules", help="列出所有检查规则（编号、严重程度、类别、说明）；--plugins 列出插件及其版本。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
@click.option("--plugins", "show_plugins", is_flag=True, help="列出插件：版本、来源、提供的规则、加载错误。")
@_plugin_options
def list_rules(show_plugins: bool, picked: tuple[str, ...], rule_files: tuple[Path, ...]) -> None:
    catalogue = _catalogue(picked, rule_files)
    if show_plugins:
        _list_plugins(catalogue)
    else:
        names = {"error": "错误", "warning": "警告", "info": "提示"}
        for r in catalogue.rules:
            click.echo(f"{r.code:<10} {names[r.severity]}  {r.category}  {r.name}：{r.summary}")
    for p in catalogue.problems:
        click.echo(f"注意：{p}", err=True)


def _plugin_line(info) -> str:
    bits = [info.name]
    if info.distribution:
        bits.append(f"{info.distribution} {info.version or ''}".rstrip())
    bits.append(KIND_NAMES.get(info.kind, info.kind))
    if info.kind != "local":
        bits.append(f"模块 {info.module}")
    return "  " + "  ".join(bits)


def _list_plugins(catalogue: Catalogue) -> None:
    state = "开启" if catalogue.autoload else "关闭（GONGKAI_DISABLE_PLUGIN_AUTOLOAD），只加载内置插件和 -p 选用的插件"
    click.echo(f"插件（自动加载：{state}）")
    for info in catalogue.plugins:
        click.echo(_plugin_line(info))
        if info.error:
            click.echo(f"    加载失败，已跳过：{info.error}")
        else:
            click.echo(f"    规则 {len(info.rules)} 条：{'、'.join(info.rules) or '（没有）'}")
    if catalogue.skipped:
        click.echo("已安装但未加载")
        for info in catalogue.skipped:
            click.echo(f"{_plugin_line(info)}：{info.reason}")


@main.command(help="显示一条规则的说明：名称、类别、严重程度、依据、说明和例子。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
@click.argument("code")
@_plugin_options
def explain(code: str, picked: tuple[str, ...], rule_files: tuple[Path, ...]) -> None:
    from .docs import explain_text, find, not_found_message, provider

    catalogue = _catalogue(picked, rule_files)
    found = find(catalogue, code)
    if found is None:
        _fail(not_found_message(catalogue, code))
    alias = next((a for a in found.aliases if a.upper() == code.strip().upper()), None)
    if alias:
        click.echo(f"{alias} 是 {found.code} 的旧编号。\n")
    click.echo(explain_text(found, provider(catalogue, found.code)), nl=False)


@main.command(name="docs", help="根据规则自身的元数据生成规则参考页（Markdown），默认为内置规则。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="写入的文件夹，如 docs/rules。")
@click.option("--plugin", "plugins", multiple=True, metavar="NAME", help="为哪个插件的规则生成（可重复），默认 builtin。")
@_plugin_options
def make_docs(output: Path, plugins: tuple[str, ...], picked: tuple[str, ...], rule_files: tuple[Path, ...]) -> None:
    from .docs import pages, write

    try:
        generated = pages(_catalogue(picked, rule_files), list(plugins) or ["builtin"])
    except LookupError as err:
        _fail(f"{err.args[0]}。用 gongkai rules --plugins 查看插件名。")
    write(output, generated)
    click.echo(f"已在 {output} 生成 {len(generated)} 页。")


@main.command(help="批量评分：检查多份年度报告，每份一行写入 .xlsx / .csv / .jsonl（得分、问题数和三张表的每个数值）。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "outputs", type=click.Path(path_type=Path), multiple=True,
              help="结果文件，按扩展名决定格式（.xlsx、.csv、.jsonl），可给多个；不给时以 JSON Lines 写到屏幕。")
@click.option("--profile", type=click.Path(path_type=Path), default=None, help="评分方案（YAML），默认使用内置方案。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="同时检查的进程数，默认为全部处理器核心。")
@click.option("--resume", is_flag=True, help="接着上次中断的运行继续，跳过已完成（路径和内容都相同）的报告。")
@click.option("-q", "--quiet", is_flag=True, help="不显示进度条和完成摘要。")
def score(paths: tuple[str, ...], outputs: tuple[Path, ...], profile: Path | None, jobs: int | None, resume: bool,
          quiet: bool) -> None:
    """PATHS: report files, folders (searched recursively), globs such as '报告/**/*.pdf', or @list.txt."""
    from .batch import score as run_batch
    from .renderers.terminal import progress_factory

    notify = None if quiet else (lambda message: click.echo(f"注意：{message}", err=True))
    try:
        with progress_factory(enabled=not quiet and sys.stderr.isatty()) as factory:
            summary = run_batch(list(paths), list(outputs), profile, jobs, resume, factory, notify,
                                stdout=None if outputs else sys.stdout)
    except KeyboardInterrupt:
        hint = "再次运行同一命令并加上 --resume 可以接着评分。" if outputs else ""
        click.echo(f"已中断。{hint}", err=True)
        sys.exit(130)
    except OSError as err:   # the reports' own errors are rows; this is the journal or an output file
        hint = "已完成的报告已记录，解决后加上 --resume 可以接着评分。" if outputs else ""
        _fail(f"无法写入{' ' + err.filename if err.filename else ''}：{err.strerror or err}。{hint}")
    if not quiet:
        done = f"已评分 {summary.total} 份报告"
        if summary.skipped:
            done += f"（其中 {summary.skipped} 份沿用上次的结果）"
        if summary.failed:
            done += f"，{summary.failed} 份无法读取（原因见“读取错误”列）"
        where = "、".join(str(o) for o in outputs)
        click.echo(done + (f"；结果已写入 {where}。" if where else "。"), err=True)
    sys.exit(EXIT_OK)


@main.command(help="启动年报自查网页和接口（默认只在本机 127.0.0.1 上监听）。需要安装 gongkai[web]。")
@click.help_option("-h", "--help", help="显示帮助并退出。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。默认只有本机能访问；供办公室其他电脑使用时建议仍用默认值，并通过反向代理（如 nginx）对外提供。")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="监听端口。")
@click.option("--max-upload-mb", type=click.IntRange(min=1), default=20, show_default=True,
              help="每次提交（报告、上年报告和评分方案合计）的大小上限，单位 MB；超过时返回 413。")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60, show_default=True,
              help="单次检查的时限（秒）；超过即中止该检查并返回 504。")
@click.option("--max-concurrent", type=click.IntRange(min=1), default=None,
              help="同时进行的检查数，默认为处理器核心数（最多 8）；其余请求最多排队 10 秒，仍无空闲则返回 429。")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="把上传的报告和检查结果保存到此文件夹（每次检查一个子文件夹）。默认不保存任何上传内容。")
def serve(host: str, port: int, max_upload_mb: int, timeout: float, max_concurrent: int | None,
          store: Path | None) -> None:
    try:
        from .web import Settings, serve as run_server
    except ImportError as err:
        _fail(f"网页服务需要额外的依赖（{err.name or err}）：请运行 pip install 'gongkai[web]'。")
    root = click.get_current_context().find_root()
    settings = Settings(max_upload_mb=max_upload_mb, timeout=timeout, max_concurrent=max_concurrent or 0,
                        store=store, plugins=tuple((root.obj or {}).get("picked", ())))
    if store is not None:
        try:
            store.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            _fail(f"无法创建保存文件夹 {store}：{err.strerror or err}")
    run_server(host, port, settings)
