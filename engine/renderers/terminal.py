"""The findings document on a terminal, with rich: colour by severity, tables whose Chinese columns
line up (rich measures East Asian wide characters as two cells), and a closing summary line.

Used by `gongkai check` when standard output is a terminal; piped output stays the plain text of
`renderers.text`, which scripts and tests read.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from ..api import SEVERITIES, SEVERITY_NAMES
from .location import describe

STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
_STATUS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "not_assessed": ("?", "yellow"), "error": ("!", "magenta"),
           "waived": ("~", "cyan")}
_VERDICT = {"通过": "bold green", "需整改": "bold red", "无法评定": "bold yellow"}


def _t(text: Any, style: str = "") -> Text:
    # Text objects, not markup strings: a report quoting "[bold]" must print as written.
    return Text(str(text), style=style)


def score_panel(output: dict[str, Any]) -> Panel:
    rep, score = output["report"], output["score"]
    head = Text()
    head.append(f"{score['score']:g}", style="bold")
    head.append(f" / {score['max']}　")
    head.append("等级 ")
    head.append(score["grade"], style="bold")
    head.append("　结论 ")
    head.append(score["verdict"], style=_VERDICT.get(score["verdict"], "bold"))
    cats = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    for _ in range(3):
        cats.add_column()
    for c in score["categories"]:
        bar = "█" * round(c["score"] / 10) + "░" * (10 - round(c["score"] / 10))
        cats.add_row(_t(c["name"]), _t(f"{c['score']:g}", "bold"), _t(f"{bar}  权重 {c['weight']:g}", "dim"))
    counts = Text()
    for s in SEVERITIES:
        counts.append(f"{SEVERITY_NAMES[s]} {score['counts'].get(s, 0)}", style=STYLES[s] if score["counts"].get(s) else "dim")
        counts.append("　")
    counts.append(f"未能评估 {len(score.get('not_assessed') or [])}", style="dim")
    meta = [f"文件：{rep['file']}"]
    if rep.get("issuing_body"):
        meta.append(f"发布机关：{rep['issuing_body']}")
    if rep.get("report_year"):
        meta.append(f"年度：{rep['report_year']}")
    parts: list[Any] = [_t("　".join(meta), "dim"), head, cats, counts]
    if rep.get("missing"):
        parts.append(_t("未找到：" + "；".join(rep["missing"]), "yellow"))
    for note in rep.get("notes") or []:
        parts.append(_t(f"说明：{note}", "dim"))
    return Panel(Group(*parts), title=escape(rep.get("title") or rep["file"]), title_align="left", box=box.ROUNDED)


def findings_table(findings: list[dict[str, Any]]) -> Table:
    table = Table(title=f"发现的问题（{len(findings)} 项）", title_justify="left", box=box.SIMPLE_HEAVY,
                  show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("编号", max_width=12, overflow="fold")
    table.add_column("位置", ratio=2, overflow="fold")
    table.add_column("说明", ratio=5, overflow="fold")
    for i, f in enumerate(findings, 1):
        detail = Text(f["message"])
        if f.get("fix"):
            detail.append("\n建议：", style="bold")
            detail.append(f["fix"])
        table.add_row(str(i), _t(SEVERITY_NAMES[f["severity"]], STYLES[f["severity"]]),
                      Text.assemble((f["code"], "bold"), "\n", (f.get("name") or "", "dim")),
                      _t(describe(f.get("location") or {})), detail)
    return table


def rules_table(rules: list[dict[str, Any]], verbose: bool = False) -> Table:
    table = Table(title="检查项", title_justify="left", box=box.SIMPLE, expand=True)
    table.add_column("", no_wrap=True)
    table.add_column("编号", no_wrap=True)
    table.add_column("规则", no_wrap=True)
    table.add_column("结果", ratio=1, overflow="fold")
    for r in rules:
        mark, style = _STATUS.get(r["status"], (" ", ""))
        if r["status"] == "failed":
            what = _t(f"{r['findings']} 项问题", "red")
        else:
            notes = [n["note"] for n in r.get("notes") or [] if n["note"] != r["name"]]
            # Like the plain text: what a passing rule found, in full only when asked for.
            shown = notes if verbose or len(notes) <= 1 or r["category"] == "内容" else [f"{notes[0]} 等 {len(notes)} 项"]
            what = _t("；".join(shown), "dim")
        table.add_row(_t(mark, style), _t(r["code"]), _t(r["name"]), what)
    return table


def summary_line(output: dict[str, Any]) -> Text:
    score, counts = output["score"], output["score"]["counts"]
    line = Text()
    line.append(f"{output['report']['file']}：", style="bold")
    line.append(f"{score['score']:g} 分，{score['grade']}，")
    line.append(score["verdict"], style=_VERDICT.get(score["verdict"], "bold"))
    line.append(f"；错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}")
    if score.get("not_assessed"):
        line.append(f"，未能评估 {len(score['not_assessed'])}")
    return line


def render(output: dict[str, Any], console: Console, verbose: bool = False) -> None:
    """Print the findings document to a rich console."""
    console.print(score_panel(output))
    if output["findings"]:
        console.print(findings_table(output["findings"]))
    else:
        console.print(_t("没有发现问题。", "bold green"))
    na = output["score"].get("not_assessed") or []
    if na:
        table = Table(title=f"未能评估（{len(na)} 项）", title_justify="left", box=box.SIMPLE, expand=True)
        table.add_column("编号", no_wrap=True)
        table.add_column("原因", ratio=1, overflow="fold")
        for n in na:
            table.add_row(_t(n["code"]), _t(n["reason"], "yellow"))
        console.print(table)
    console.print(rules_table(output["rules"], verbose))
    console.print(summary_line(output))


@contextmanager
def progress_factory(enabled: bool) -> Iterator[Callable[[int], Callable[[int], None]] | None]:
    """A progress bar on standard error for `gongkai score`, or None when it is off (not a terminal,
    or --quiet). The factory takes the number of reports and returns a function advancing the bar."""
    if not enabled:
        yield None
        return
    progress = Progress(TextColumn("评分"), BarColumn(), MofNCompleteColumn(), TextColumn("份"),
                        TaskProgressColumn(), TimeElapsedColumn(), TextColumn("剩余"), TimeRemainingColumn(),
                        console=Console(stderr=True), transient=True)

    def factory(total: int) -> Callable[[int], None]:
        task = progress.add_task("score", total=total)
        return lambda n: progress.advance(task, n)

    with progress:
        yield factory
