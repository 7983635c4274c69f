"""Rule documentation generated from the rules' own metadata: `gongkai explain CODE` and the reference pages.

Everything shown comes from the `Rule` itself (code, name, category, severity, basis, aliases, docstring)
and from its `examples`, whose patches are rendered as the changes they make to the seed report; so a
page can never say something the rule's tests do not check. (Internal module: rule authors use the
commands `gongkai explain` and `gongkai docs`, or `python -m gongkai.docs`.)

    gongkai docs -o docs/rules                         # the built-in rules (the committed pages)
    gongkai docs -o 我的插件/docs --plugin provincial   # a plugin's own rules
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import Any, Iterable

from . import nationalformat as nf
from .api import REMOVE, SEVERITY_NAMES, Example, Rule
from .plugins import Catalogue, PluginInfo

INDEX = "README.md"
GENERATED = "<!-- 本页由 gongkai 根据规则自身的元数据生成，请勿手工修改。重新生成：{command} -->"
SEED_NOTE = "例子以种子报告（南通市人民政府办公室2023年政府信息公开工作年度报告）为底本，只列出改动之处；反例必须被发现，正例必须通过，它们同时是这条规则的测试。"
KIND_NAMES = {"bad": "反例", "good": "正例"}
CATEGORY_ORDER = ("结构", "勾稽", "内容")


# -- naming what an example changes ------------------------------------------------------------

def _schema_node(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return nf.schema()["$defs"][ref.rsplit("/", 1)[-1]] if ref else node


def place(pointer: str) -> str:
    """A JSON Pointer as a reader names the place: `表三 四、结转下年度继续办理 × 自然人`, `第五部分的出现次序`."""
    cell = nf.cell_by_pointer().get(pointer)
    if cell:
        return f"表{cell.table} {cell.row} × {cell.column}"
    row = nf.row_by_pointer().get(pointer)
    if row:
        return f"表{row.table} {row.label} 一行"
    pieces = pointer.strip("/").split("/")
    if len(pieces) == 2 and pieces[0] == "tables" and pieces[1] in nf.TABLE_NAMES:
        return f"表{nf.TABLE_NAMES[pieces[1]]}"
    for part in nf.parts():
        if pointer == part.pointer:
            return f"第{part.number}部分“{part.heading}”"
        if pointer.startswith(part.pointer + "/"):
            field = pointer[len(part.pointer) + 1:]
            title = _schema_node(nf.schema()["$defs"]["part"])["properties"].get(field, {}).get("title", field)
            return f"第{part.number}部分的{title}"
    # Anything else: the schema's titles along the path, e.g. `/meta/publication_date` -> 基本信息：发布日期.
    node: dict[str, Any] = nf.schema()
    titles = []
    for piece in pieces:
        props = _schema_node(node).get("properties", {})
        if piece not in props:
            return f"`{pointer}`"
        node = props[piece]
        titles.append(node.get("title", piece))
    return "：".join(titles) + f"（`{pointer}`）"


def _value(pointer: str, value: Any) -> str:
    if pointer in nf.cell_by_pointer():
        if isinstance(value, dict):
            raw = value.get("raw")
            if value.get("value") is None:
                return f"填“{raw}”（不是有效数字）" if raw else "留空"
            value = value["value"]
        return f"改为 {value}"
    if isinstance(value, str):
        return f"改为“{value}”"
    if isinstance(value, (int, float)):
        return f"改为 {value}"
    return f"改为 `{json.dumps(value, ensure_ascii=False)}`"


def changes(patch: dict[str, Any]) -> list[str]:
    """Each change of a patch as a Chinese phrase: `表三 四、结转下年度继续办理 × 自然人 改为 11`."""
    out = []
    for pointer, value in patch.items():
        out.append(f"删除{place(pointer)}" if value is REMOVE else f"{place(pointer)} {_value(pointer, value)}")
    return out


def _example_changes(example: Example) -> tuple[list[str], list[str] | None]:
    prior = None if example.prior_patch is None else changes(example.prior_patch)
    return changes(example.patch), prior


# -- finding rules ------------------------------------------------------------------------------

def provider(catalogue: Catalogue, code: str) -> PluginInfo | None:
    return next((p for p in catalogue.plugins if code in p.rules), None)


def find(catalogue: Catalogue, code: str) -> Rule | None:
    """A rule by its code or an old code (alias), ignoring case and surrounding spaces."""
    want = code.strip().upper()
    for r in catalogue.rules:
        if r.code.upper() == want or want in (a.upper() for a in r.aliases):
            return r
    return None


def close_codes(catalogue: Catalogue, code: str, n: int = 5) -> list[str]:
    """Codes that look like a mistyped `code`, most similar first (ties in code order)."""
    want = code.strip().upper()
    scored = []
    for c in sorted({r.code for r in catalogue.rules} | {a for r in catalogue.rules for a in r.aliases}):
        ratio = difflib.SequenceMatcher(None, want, c.upper()).ratio()
        if ratio >= 0.5 or (want and want in c.upper()):
            scored.append((-ratio, c))
    return [c for _, c in sorted(scored)[:n]]


def not_found_message(catalogue: Catalogue, code: str) -> str:
    close = close_codes(catalogue, code)
    hint = f"相近的编号：{'、'.join(close)}。" if close else ""
    return f"没有编号为“{code}”的规则。{hint}用 gongkai rules 查看全部规则。"


def _cell(text: str) -> str:
    """Text inside a Markdown table cell: a pipe would end the cell, a line break the row."""
    return text.replace("|", "\\|").replace("\n", " ")


def _severity(rule: Rule) -> str:
    return f"{SEVERITY_NAMES[rule.severity]}（{rule.severity}）"


def _source(info: PluginInfo | None) -> str:
    if info is None:
        return "未知"
    if info.kind == "builtin":
        return f"内置规则（插件 {info.name}，模块 {info.module}）"
    if info.kind == "local":
        return f"本地规则文件 {info.module}"
    dist = f"，发行包 {info.distribution}" if info.distribution else ""
    return f"插件 {info.name}（模块 {info.module}{dist}）"


# -- the terminal: gongkai explain ----------------------------------------------------------------

def explain_text(rule: Rule, info: PluginInfo | None = None) -> str:
    lines = [f"{rule.code} {rule.name}", "",
             f"类别：{rule.category}　默认严重程度：{_severity(rule)}", f"依据：{rule.basis or '（未注明）'}",
             f"来源：{_source(info)}"]
    if rule.aliases:
        lines.append(f"旧编号：{'、'.join(rule.aliases)}")
    lines += ["", "说明："]
    lines += [f"  {line}" if line else "" for line in (rule.doc or rule.name).splitlines()]
    if rule.examples:
        lines += ["", "例子："]
        for e in rule.examples:
            mark = "✗" if e.kind == "bad" else "✓"
            lines.append(f"  {mark} {KIND_NAMES[e.kind]}：{e.description}")
            now, prior = _example_changes(e)
            lines += [f"      · {c}" for c in now] or (["      · 种子报告原样"] if prior is None else [])
            if prior is not None:
                lines += [f"      · 上一年度报告：{c}" for c in prior] or ["      · 上一年度报告：与种子报告相同"]
        lines += ["", f"（{SEED_NOTE}）"]
    lines += ["", f"在评分方案中调整：rules: {{{rule.code}: {{severity: warning, deduction: 10}}}}，"
                  f"或 {{{rule.code}: {{enabled: false}}}} 关闭。"]
    return "\n".join(lines) + "\n"


# -- the reference pages -----------------------------------------------------------------------

def _md_text(text: str) -> list[str]:
    # Docstrings are prose; a line break inside a paragraph is kept as a Markdown hard break.
    out = []
    for para in text.split("\n\n"):
        lines = [line.rstrip() for line in para.strip().splitlines()]
        out.append("  \n".join(lines))
        out.append("")
    return out


def _md_changes(items: list[str]) -> list[str]:
    out = []
    for c in items:
        # Long text values read better as a quotation than inline.
        head, sep, quoted = c.partition(" 改为“")
        if sep and len(quoted) > 60:
            out += [f"- {head} 改为：", "", f"  > {quoted[:-1]}", ""]
        else:
            out.append(f"- {c}")
    return out


def rule_page(rule: Rule, info: PluginInfo | None, command: str) -> str:
    lines = [GENERATED.format(command=command), "", f"# {rule.code} {rule.name}", "",
             "| 项目 | 内容 |", "|---|---|",
             f"| 编号 | `{rule.code}` |", f"| 名称 | {_cell(rule.name)} |", f"| 类别 | {rule.category} |",
             f"| 默认严重程度 | {_severity(rule)} |", f"| 依据 | {_cell(rule.basis or '（未注明）')} |",
             f"| 来源 | {_source(info)} |"]
    if rule.aliases:
        lines.append(f"| 旧编号 | {'、'.join(f'`{a}`' for a in rule.aliases)} |")
    lines += ["", "## 说明", ""] + _md_text(rule.doc or rule.name)
    if rule.examples:
        lines += ["## 例子", "", SEED_NOTE, ""]
        for e in rule.examples:
            lines += [f"### {KIND_NAMES[e.kind]}：{e.description}", ""]
            now, prior = _example_changes(e)
            if now:
                lines += ["改动："] + [""] + _md_changes(now) + [""]
            elif prior is None:
                lines += ["种子报告原样。", ""]
            if prior is not None:
                lines += ["上一年度报告（`--prior`）："] + [""] + (_md_changes(prior) or ["- 与种子报告相同"]) + [""]
    lines += ["## 在评分方案中调整", "", "```yaml", "rules:",
              f"  {rule.code}: {{severity: warning, deduction: 10}}   # 改严重程度和每个问题的扣分",
              f"  # {rule.code}: {{enabled: false}}                  # 或者关闭", "```", "",
              "[全部规则](README.md)", ""]
    return "\n".join(lines)


def index_page(rules: list[Rule], catalogue: Catalogue, command: str, builtin: bool = True) -> str:
    lines = [GENERATED.format(command=command), "", "# 规则参考", "",
             "每条规则一页：编号、名称、类别、默认严重程度、依据、说明，以及反例和正例（同时是规则的测试）。",
             "在命令行中也可以用 `gongkai explain 编号` 查看同样的内容；规则的扣分和开关见"
             + (" [规则作者指南](../guide.md) " if builtin else " gongkai 的《规则作者指南》（docs/guide.md）")
             + "的评分方案一节。",
             ""]
    for category in CATEGORY_ORDER:
        chosen = [r for r in rules if r.category == category]
        if not chosen:
            continue
        lines += [f"## {category}", "", "| 编号 | 名称 | 严重程度 | 说明 |", "|---|---|---|---|"]
        for r in chosen:
            lines.append(f"| [{r.code}]({r.code}.md) | {_cell(r.name)} | {SEVERITY_NAMES[r.severity]} | {_cell(r.summary)} |")
        lines.append("")
    return "\n".join(lines)


def pages(catalogue: Catalogue, plugins: Iterable[str] = ("builtin",), command: str | None = None) -> dict[str, str]:
    """File name -> Markdown for the rules of the named plugins (a pure function: the test compares it)."""
    names = list(plugins)
    command = command or command_line(names)
    infos = {p.name: p for p in catalogue.plugins}
    missing = [n for n in names if n not in infos]
    if missing:
        loaded = "、".join(infos) or "（没有）"
        raise LookupError(f"没有加载名为 {'、'.join(missing)} 的插件（已加载：{loaded}）")
    codes = [c for n in names for c in infos[n].rules]
    rules = sorted((r for r in catalogue.rules if r.code in codes), key=lambda r: r.code)
    out = {f"{r.code}.md": rule_page(r, provider(catalogue, r.code), command) for r in rules}
    out[INDEX] = index_page(rules, catalogue, command, builtin=names == ["builtin"])
    return out


def write(out_dir: Path, generated: dict[str, str]) -> list[Path]:
    """Write the pages and delete pages of rules that no longer exist (only rule-page names, never others)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(generated.items()):
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    for stale in out_dir.glob("*.md"):
        if stale.name not in generated and stale.read_text(encoding="utf-8").startswith(GENERATED.split("{")[0]):
            stale.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    """`python -m gongkai.docs -o docs/rules [--plugin NAME]`: the same as `gongkai docs`."""
    from .plugins import load

    parser = argparse.ArgumentParser(prog="python -m gongkai.docs", description="根据规则自身的元数据生成规则参考页。")
    parser.add_argument("-o", "--output", required=True, type=Path, help="写入的文件夹")
    parser.add_argument("--plugin", action="append", default=None, help="要生成文档的插件名（可重复；默认 builtin）")
    parser.add_argument("-p", dest="select", action="append", default=[], help="加载插件（同 gongkai -p）")
    args = parser.parse_args(argv)
    plugins = args.plugin or ["builtin"]
    try:
        generated = pages(load(select=args.select), plugins, command=command_line(plugins))
    except LookupError as err:
        print(f"错误：{err.args[0]}", file=sys.stderr)
        return 2
    write(args.output, generated)
    print(f"已在 {args.output} 生成 {len(generated)} 页。")
    return 0


def command_line(plugins: list[str]) -> str:
    """The command named in each page's header. It does not name the output folder, so that pages
    generated into a temporary folder (the up-to-date test) are byte for byte the committed ones."""
    if list(plugins) == ["builtin"]:
        return "gongkai docs -o docs/rules"
    return "gongkai docs -o 输出文件夹" + "".join(f" --plugin {p}" for p in plugins)


if __name__ == "__main__":
    sys.exit(main())
