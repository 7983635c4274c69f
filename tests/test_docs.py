"""Rule documentation: `gongkai explain`, the generated reference pages (committed and current), the public
API reference, and the guide, whose example files are run here as a newcomer would run them."""

import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

import gongkai.api
import gongkai.testing
from gongkai.cli import main
from gongkai.docs import GENERATED, pages
from gongkai.plugins import load
from conftest import ROOT, SEED

DOCS = ROOT / "docs"
REGENERATE = "gongkai docs -o docs/rules"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def builtin_pages():
    return pages(load(autoload=False), ["builtin"])


# -- the committed reference pages ------------------------------------------------------------------

def test_the_committed_rule_pages_are_current(builtin_pages):
    committed = {p.name: p.read_text(encoding="utf-8") for p in (DOCS / "rules").glob("*.md")}
    stale = sorted(n for n in committed.keys() | builtin_pages.keys() if committed.get(n) != builtin_pages.get(n))
    assert not stale, f"docs/rules 与规则不一致（{'、'.join(stale)}），请运行：{REGENERATE}"


def test_every_rule_page_is_made_of_the_rules_own_metadata(builtin_pages):
    rules = [r for r in load(autoload=False).rules]
    assert {f"{r.code}.md" for r in rules} | {"README.md"} == set(builtin_pages)
    for r in rules:
        page = builtin_pages[f"{r.code}.md"]
        assert page.startswith(GENERATED.format(command=REGENERATE))
        assert f"# {r.code} {r.name}\n" in page and f"| 类别 | {r.category} |" in page
        assert r.basis.replace("|", "\\|") in page
        assert r.doc.splitlines()[0] in page
        for e in r.examples:
            assert f"### {'反例' if e.kind == 'bad' else '正例'}：{e.description}" in page
        assert f"[{r.code}]({r.code}.md)" in builtin_pages["README.md"]


def test_examples_are_rendered_as_the_changes_they_make(builtin_pages):
    page = builtin_pages["GK-T3-01.md"]
    assert "- 表三 四、结转下年度继续办理 × 自然人 改为 11" in page
    assert "- 表三 （三）不予公开/1.属于国家秘密 × 总计 填“/”（不是有效数字）" in builtin_pages["GK-S-004.md"]
    assert "- 删除表三" in builtin_pages["GK-S-003.md"]


def test_gongkai_docs_writes_the_same_pages_and_removes_stale_ones(tmp_path, builtin_pages):
    out = tmp_path / "rules"
    out.mkdir()
    (out / "GK-GONE-001.md").write_text(GENERATED.format(command=REGENERATE) + "\n旧规则\n", encoding="utf-8")
    (out / "notes.md").write_text("人写的笔记\n", encoding="utf-8")
    code, stdout, _ = run("docs", "-o", out)
    assert code == 0 and f"生成 {len(builtin_pages)} 页" in stdout
    written = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.md") if p.name != "notes.md"}
    assert written == builtin_pages
    assert (out / "notes.md").exists() and not (out / "GK-GONE-001.md").exists()


def test_python_m_gongkai_docs(tmp_path, builtin_pages):
    result = subprocess.run([sys.executable, "-m", "gongkai.docs", "-o", str(tmp_path)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in tmp_path.glob("*.md")} == set(builtin_pages)


def test_docs_for_a_plugin_that_is_not_loaded_is_a_usage_error(tmp_path):
    code, _, err = run("docs", "-o", tmp_path, "--plugin", "nothing")
    assert code == 2 and "没有加载名为 nothing 的插件" in err and "gongkai rules --plugins" in err


# -- gongkai explain --------------------------------------------------------------------------------

def test_explain_prints_the_rules_documentation():
    code, out, _ = run("explain", "GK-T3-01")
    assert code == 0
    assert out.startswith("GK-T3-01 表三纵向勾稽\n")
    assert "类别：勾稽　默认严重程度：错误（error）" in out
    assert "依据：表三注释：本列数据的勾稽关系为" in out
    assert "来源：内置规则（插件 builtin，模块 gongkai_rules）" in out
    assert "说明：\n  表三每一列都要满足" in out
    assert "✗ 反例：自然人列" in out and "· 表三 四、结转下年度继续办理 × 自然人 改为 11" in out
    assert "✓ 正例：" in out and "· 种子报告原样" in out


def test_explain_every_rule():
    for r in load().rules:
        code, out, _ = run("explain", r.code)
        assert code == 0 and out.startswith(f"{r.code} {r.name}\n") and r.basis in out, r.code


def test_explain_ignores_case_and_spaces():
    assert run("explain", " gk-t3-01 ")[1] == run("explain", "GK-T3-01")[1]


@pytest.mark.parametrize("code, close", [("GK-T3-1", "GK-T3-01"), ("T3-02", "GK-T3-02"), ("GK-C-01", "GK-C-001")])
def test_explain_an_unknown_code_exits_2_and_lists_close_codes(code, close):
    status, out, err = run("explain", code)
    assert status == 2 and out == ""
    assert err.startswith(f"错误：没有编号为“{code}”的规则。相近的编号：") and close in err
    assert "用 gongkai rules 查看全部规则" in err


def test_explain_something_unlike_any_code():
    status, _, err = run("explain", "完全不像")
    assert status == 2 and "没有编号为“完全不像”的规则。用 gongkai rules 查看全部规则。" in err


# -- the public API reference -------------------------------------------------------------------------

def test_the_api_reference_names_every_public_name():
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    public = list(gongkai.api.__all__)
    public += ["seed_document", "apply_patch", "run_example", "reports", "t3_values", "with_cell", "report_text"]
    public += ["rules_from_yaml", "RuleFileError", "gongkai.rules", "GONGKAI_DISABLE_PLUGIN_AUTOLOAD"]
    public += [m for m in vars(gongkai.api.Report) if not m.startswith("_")]
    missing = [n for n in public if f"`{n}" not in api]
    assert not missing, f"docs/api.md 没有写到：{missing}"
    for name in ["seed_document", "apply_patch", "run_example", "reports", "t3_values", "with_cell", "report_text"]:
        assert callable(getattr(gongkai.testing, name))


def test_relative_links_in_the_docs_resolve():
    links = [(md, t) for md in [*DOCS.glob("*.md"), DOCS / "rules" / "README.md", ROOT / "examples" / "gongkai-provincial" / "README.md"]
             for t in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", md.read_text(encoding="utf-8"))]
    # From the README only the links into the rule authors' documentation (the rest belongs to other pages).
    links += [(ROOT / "README.md", t) for t in re.findall(r"\]\((docs/[^)#:]+\.md)\)", (ROOT / "README.md").read_text(encoding="utf-8"))]
    assert len(links) > 10
    for md, target in links:
        assert (md.parent / target).exists(), f"{md.relative_to(ROOT)} 中的链接 {target} 指向不存在的文件"


def test_the_readme_points_to_the_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/guide.md" in readme and "gongkai explain" in readme


# -- the guide, followed as a newcomer would ------------------------------------------------------------

def _guide_files() -> dict[str, str]:
    guide = (DOCS / "guide.md").read_text(encoding="utf-8")
    return {title: body for _, title, body in re.findall(r'```(\w+) title="([^"]+)"\n(.*?)```', guide, re.S)}


def test_the_guides_example_files_work(tmp_path):
    files = _guide_files()
    assert set(files) == {"gongkai_local_rules.py", "gongkai_local_rules.yaml", "test_gongkai_local_rules.py"}
    folder = tmp_path / "我的检查"
    folder.mkdir()
    report = folder / "报告.txt"
    shutil.copyfile(SEED, report)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    code, out, err = run("check", report, "--format", "json")
    status = {r["code"]: r["status"] for r in json.loads(out)["rules"]}
    assert status["PG-001"] == "passed" and status["PG-Y01"] == "passed"
    assert "gongkai_local_rules.py（在报告所在文件夹中找到）：PG-001" in err
    # The guide says: delete the sentence and PG-001 reports it.
    report.write_text(SEED.read_text(encoding="utf-8").replace("主动公开各类信息38783条,", ""), encoding="utf-8")
    code, out, _ = run("check", report, "--format", "json")
    assert "PG-001" in {f["code"] for f in json.loads(out)["findings"]}
    # And the guide's test file passes when run from that folder.
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_gongkai_local_rules.py"],
                            cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
