"""`gongkai score`: many reports to one spreadsheet row each, in parallel, resumable, reproducible."""

import csv
import json
import multiprocessing
import os
import sys
import tempfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from gongkai import __version__, batch, nationalformat as nf
from gongkai.cli import main
from gongkai.renderers import spreadsheet
from gongkai.testing import apply_patch, report_text, reports, seed_document
from browser import run_in_terminal
from conftest import SEED

NP = "表三/一、本年新收政府信息公开申请数量/自然人"
GRADE = spreadsheet.columns().index("等级")      # the journal holds rows as lists in column order


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def corpus(tmp_path):
    """A folder of reports: the seed, four variants of it as text, one as JSON, and two unreadable files."""
    root = tmp_path / "reports"
    (root / "县区" / "深层").mkdir(parents=True)
    (root / "SEED.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    doc = seed_document()
    for i, value in enumerate((150, 160, 170, 189)):
        patched = apply_patch(doc, {"/tables/t3/new_received/natural_person": value})
        folder = root / "县区" if i % 2 else root / "县区" / "深层"
        (folder / f"变体{i}.txt").write_text(report_text(patched), encoding="utf-8")
    (root / "县区" / "文档.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (root / "空白.txt").write_text("   \n", encoding="utf-8")
    (root / "坏.pdf").write_bytes(b"%PDF-1.7\n%garbage")
    (root / "说明.md").write_text("不是报告", encoding="utf-8")        # not a report suffix: not picked up
    (root / ".hidden.txt").write_text("隐藏文件", encoding="utf-8")
    return root


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_discover_walks_folders_globs_and_list_files_once_each_in_order(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = batch.discover(["reports"])
    assert found == sorted(found) and len(found) == 8
    assert "reports/说明.md" not in found and not any(".hidden" in p for p in found)
    listing = tmp_path / "list.txt"
    listing.write_text("# 清单\nreports/SEED.txt\n\nreports/县区/*.txt\n@list.txt\n", encoding="utf-8")
    assert batch.discover(["@list.txt", "reports/SEED.txt", "./reports/SEED.txt"]) == [
        "reports/SEED.txt", "reports/县区/变体1.txt", "reports/县区/变体3.txt"]
    assert batch.discover(["reports/**/深层"]) == ["reports/县区/深层/变体0.txt", "reports/县区/深层/变体2.txt"]
    assert batch.discover(["reports/不存在.txt"]) == ["reports/不存在.txt"]   # gets a row with its error
    with pytest.raises(batch.BatchUsageError, match="没有找到任何报告文件"):
        batch.discover(["reports/*.docx"])
    with pytest.raises(batch.BatchUsageError, match="无法读取清单文件"):
        batch.discover(["@missing.txt"])


def test_score_writes_one_row_per_report_to_xlsx_csv_and_jsonl(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("score", "reports", "-o", "r.xlsx", "-o", "r.csv", "-o", "r.jsonl", "--jobs", "2")
    assert code == 0, err
    assert "已评分 8 份报告" in err and "2 份无法读取" in err
    rows = read_csv(tmp_path / "r.csv")
    assert [r["文件"] for r in rows] == batch.discover(["reports"])
    assert list(rows[0]) == list(spreadsheet.columns())
    assert len(spreadsheet.columns()) == len(spreadsheet.META_COLUMNS) + len(nf.all_cells())
    by_file = {r["文件"]: r for r in rows}
    seed = by_file["reports/SEED.txt"]
    assert seed["发布机关"] == "南通市人民政府办公室" and seed["年度"] == "2023" and seed["读取错误"] == ""
    assert seed[NP] == "189" and seed["表四/行政复议/总计"] == "1" and seed["工具版本"] == f"gongkai {__version__}"
    assert by_file["reports/县区/深层/变体0.txt"][NP] == "150"
    assert by_file["reports/县区/深层/变体0.txt"]["勾稽问题"] != "0"
    assert "没有可读的内容" in by_file["reports/空白.txt"]["读取错误"] and by_file["reports/空白.txt"]["得分"] == ""
    assert "PDF" in by_file["reports/坏.pdf"]["读取错误"]
    assert by_file["reports/县区/文档.json"][NP] == "189"

    jsonl = [json.loads(l) for l in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["文件"] for r in jsonl] == [r["文件"] for r in rows]
    assert jsonl[[r["文件"] for r in rows].index("reports/SEED.txt")][NP] == 189

    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["评分结果", "问题清单", "说明"]
    summary = wb["评分结果"]
    assert summary.freeze_panes == "B2" and wb["问题清单"].freeze_panes == "B2"
    header = [c.value for c in summary[1]]
    assert header == list(spreadsheet.columns()) and summary[1][0].font.b
    values = list(summary.iter_rows(min_row=2, values_only=True))
    assert [v[0] for v in values] == [r["文件"] for r in rows]
    seed_row = dict(zip(header, values[[v[0] for v in values].index("reports/SEED.txt")]))
    assert seed_row[NP] == 189 and isinstance(seed_row["得分"], (int, float)) and seed_row["等级"]
    assert summary.column_dimensions["A"].width >= 30
    findings = list(wb["问题清单"].iter_rows(values_only=True))
    assert findings[0][:4] == ("文件", "编号", "规则", "严重程度")
    variant = [f for f in findings if f[0] == "reports/县区/深层/变体0.txt"]
    assert any(f[1] == "GK-T3-01" and f[3] == "错误" and f[11] for f in variant)
    total_findings = sum(int(r[s]) for r in rows if not r["读取错误"] for s in ("错误", "警告", "提示"))
    assert len(findings) - 1 == total_findings
    meta = dict(wb["说明"].iter_rows(values_only=True))
    assert meta["工具"] == f"gongkai {__version__}" and meta["评分方案"] == "默认评分方案" and meta["报告数"] == 8
    assert meta["无法评分"] == 2
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*.journal.jsonl"))


def test_same_inputs_give_the_same_bytes_whatever_the_number_of_workers(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outputs = {}
    for jobs in ("1", "2"):
        d = tmp_path / f"j{jobs}"
        d.mkdir()
        code, _, err = run("score", "reports", "-o", d / "r.xlsx", "-o", d / "r.csv", "-o", d / "r.jsonl", "-j", jobs, "-q")
        assert code == 0 and err == ""
        outputs[jobs] = {p.name: p.read_bytes() for p in d.iterdir()}
    assert outputs["1"] == outputs["2"]
    assert outputs["1"]["r.csv"].startswith("\ufeff文件,".encode("utf-8"))


def test_without_output_rows_go_to_stdout_as_jsonl(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("score", "reports/SEED.txt", "reports/坏.pdf", "-q")
    assert code == 0
    rows = [json.loads(l) for l in out.splitlines()]
    assert [r["文件"] for r in rows] == ["reports/SEED.txt", "reports/坏.pdf"]
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("gongkai-score-*.journal.jsonl"))


def test_resume_skips_the_reports_already_journalled(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r.csv"
    journal = batch.journal_path([out])
    # An interrupted run: the journal holds two results and a line torn by the interruption.
    profile = batch.load_profile(None)
    j, _ = batch.Journal.open(journal, batch.header(profile), resume=False)
    batch._init_worker(None)
    for p in ("reports/SEED.txt", "reports/县区/变体1.txt"):
        entry = json.loads(batch._score_one(p))
        entry["row"][GRADE] = "来自续跑记录"          # so that reuse is visible in the output
        j.append(p, json.dumps(entry, ensure_ascii=False))
    j._fh.write(b'{"path": "reports/\xe5\x9d')
    j.close()

    code, _, err = run("score", "reports", "-o", out, "--resume", "-j", "2")
    assert code == 0, err
    assert "其中 2 份沿用上次的结果" in err
    rows = {r["文件"]: r for r in read_csv(out)}
    assert len(rows) == 8
    assert rows["reports/SEED.txt"]["等级"] == "来自续跑记录" and rows["reports/县区/变体1.txt"]["等级"] == "来自续跑记录"
    assert rows["reports/县区/深层/变体0.txt"]["等级"] not in ("", "来自续跑记录")
    assert not journal.exists()


def test_resume_redoes_a_report_whose_file_changed_and_ignores_a_foreign_journal(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r.jsonl"
    journal = batch.journal_path([out])
    j, _ = batch.Journal.open(journal, batch.header(batch.load_profile(None)), resume=False)
    batch._init_worker(None)
    entry = json.loads(batch._score_one("reports/SEED.txt"))
    entry["row"][GRADE] = "旧结果"
    j.append("reports/SEED.txt", json.dumps(entry, ensure_ascii=False))
    j.close()
    (corpus / "SEED.txt").write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, _, err = run("score", "reports/SEED.txt", "-o", out, "--resume")
    assert code == 0 and "沿用" not in err
    assert json.loads(out.read_text(encoding="utf-8"))["等级"] != "旧结果"

    journal.write_text('{"journal": 1, "tool": "gongkai 0.0.0", "profile": "别的方案"}\n', encoding="utf-8")
    code, _, err = run("score", "reports/SEED.txt", "-o", out, "--resume")
    assert code == 0 and "续跑记录来自不同的 gongkai 版本或评分方案" in err


def test_an_existing_output_survives_a_failed_write(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r.xlsx"
    csv_out = tmp_path / "r.csv"
    out.write_bytes(b"old workbook")
    csv_out.write_text("old csv", encoding="utf-8")

    def broken(self, row, findings):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(spreadsheet.XlsxWriter, "add", broken)
    with pytest.raises(OSError):
        batch.score(["reports"], [out, csv_out], jobs=1)
    assert out.read_bytes() == b"old workbook" and csv_out.read_text(encoding="utf-8") == "old csv"
    assert not list(tmp_path.glob("*.part"))
    assert batch.journal_path([out]).exists()      # the finished checks are kept for --resume


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the crash is injected into forked workers")
def test_a_report_that_kills_its_worker_is_a_row_and_the_batch_goes_on(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    real = batch._score_one

    def crashing(path):
        if path.endswith("变体1.txt"):
            os._exit(9)          # as if the memory killer took the worker
        return real(path)
    monkeypatch.setattr(batch, "_score_one", crashing)
    summary = batch.score(["reports"], [tmp_path / "r.csv"], jobs=2)
    rows = {r["文件"]: r for r in read_csv(tmp_path / "r.csv")}
    assert summary.total == 8 and len(rows) == 8
    assert "工作进程异常退出" in rows["reports/县区/变体1.txt"]["读取错误"]
    assert rows["reports/县区/变体3.txt"]["读取错误"] == "" and rows["reports/SEED.txt"]["得分"] != ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap uses Linux's RLIMIT_AS")
def test_a_pdf_bomb_in_a_batch_costs_its_row_not_its_worker(corpus, tmp_path, monkeypatch):
    # The PDF reader parses in a child process of the worker, with the memory cap: the bomb's row
    # says what happened, and no worker is lost to it.
    from gongkai.readers import pdf as reader
    from test_reader_pdf import one_page_pdf
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(reader, "MEMORY_LIMIT", 32 * 1024 * 1024)      # forked workers inherit it
    (corpus / "bomb.pdf").write_bytes(one_page_pdf(zlib.compress(b" " * (64 * 1024 * 1024), 9)))
    crashed = []
    real_error_line = batch._error_line

    def watch(path, message, label):
        if "工作进程异常退出" in message:
            crashed.append(path)
        return real_error_line(path, message, label)
    monkeypatch.setattr(batch, "_error_line", watch)
    batch.score(["reports"], [tmp_path / "r.csv"], jobs=2)
    rows = {r["文件"]: r for r in read_csv(tmp_path / "r.csv")}
    assert "内存超过了上限" in rows["reports/bomb.pdf"]["读取错误"]
    assert rows["reports/SEED.txt"]["得分"] != "" and not crashed


def test_a_bug_on_one_report_is_a_row_not_the_end_of_the_batch(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import gongkai.pipeline as pipeline
    real = pipeline.check_path

    def buggy(path, *args, **kwargs):
        if str(path).endswith("变体2.txt"):
            raise KeyError("oops")
        return real(path, *args, **kwargs)
    monkeypatch.setattr(pipeline, "check_path", buggy)
    batch.score(["reports"], [tmp_path / "r.csv"], jobs=1)
    rows = {r["文件"]: r for r in read_csv(tmp_path / "r.csv")}
    assert rows["reports/县区/深层/变体2.txt"]["读取错误"].startswith("内部错误：KeyError")
    assert rows["reports/县区/深层/变体0.txt"]["读取错误"] == ""


def test_usage_errors_exit_2_in_chinese(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run("score", "reports", "-o", "r.txt")
    assert code == 2 and "不支持的输出格式" in err
    code, _, err = run("score", "空文件夹*")
    assert code == 2 and "没有找到任何报告文件" in err
    code, _, err = run("score", "reports", "--resume")
    assert code == 2 and "--resume 需要用 -o" in err
    code, _, err = run("score", "reports", "-j", "0", "-o", "r.csv")
    assert code == 2 and "参数不对" in err
    code, _, err = run("score")
    assert code == 2
    code, _, err = run("score", "reports", "--profile", "无.yaml", "-o", "r.csv")
    assert code == 2 and "评分方案" in err


def test_the_profile_is_recorded_and_applied(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    prof = tmp_path / "p.yaml"
    prof.write_text("name: 某评估机构方案\nversion: '7'\nrules:\n  GK-T3-01: {enabled: false}\n", encoding="utf-8")
    code, _, err = run("score", "reports/县区/深层/变体0.txt", "-o", "r.csv", "--profile", prof)
    assert code == 0, err
    row = read_csv(tmp_path / "r.csv")[0]
    assert row["评分方案"] == "某评估机构方案 7"


def test_an_output_that_cannot_be_written_is_a_usage_error(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run("score", "reports", "-o", tmp_path / "无此目录" / "r.csv")
    assert code == 2 and "输出文件夹不存在" in err
    (tmp_path / "r.csv").mkdir()           # a folder where the file should go
    code, _, err = run("score", "reports/SEED.txt", "-o", tmp_path / "r.csv", "-q")
    assert code == 2 and "无法写入" in err and "Traceback" not in err


def test_progress_bar_on_a_terminal_and_none_when_piped(corpus, tmp_path):
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("gongkai")
    code, shown = run_in_terminal([str(exe), "score", "reports", "-o", "r.csv", "-j", "2"], cwd=tmp_path,
                                  env={**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"})
    assert code == 0
    assert "8/8" in shown and "━" in shown and "已评分 8 份报告" in shown
    piped = subprocess.run([str(exe), "score", "reports", "-o", "r.csv"], cwd=tmp_path, capture_output=True, text=True)
    assert piped.returncode == 0 and "━" not in piped.stderr and "已评分 8 份报告" in piped.stderr


def test_the_level_column_comes_from_the_issuing_body(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = apply_patch(seed_document(), {"/meta/issuing_body": "某某县某某镇人民政府"})
    (tmp_path / "镇.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "市.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run("score", "镇.json", "市.txt", "-o", "r.csv", "-q")
    assert code == 0, err
    rows = {r["文件"]: r for r in read_csv(tmp_path / "r.csv")}
    assert rows["镇.json"]["层级"] == "乡级"
    from gongkai_rules.bodies import classify
    assert rows["市.txt"]["层级"] == (classify("南通市人民政府办公室").level or "")   # empty when the name does not say


def test_a_task_is_not_lost_when_the_pool_breaks_as_it_is_submitted(monkeypatch):
    """submit() raises BrokenProcessPool when a worker has just died; that task must come back as lost."""
    from concurrent.futures.process import BrokenProcessPool

    class BreaksOnSecondSubmit:
        def __init__(self, *args, **kwargs):
            self.calls = 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, task):
            self.calls += 1
            if self.calls == 2:
                raise BrokenProcessPool("a worker died")
            from concurrent.futures import Future
            fut = Future()
            fut.set_exception(BrokenProcessPool("a worker died"))
            return fut

    monkeypatch.setattr(batch, "ProcessPoolExecutor", BreaksOnSecondSubmit)
    lost = batch._run_pool([["a"], ["b"], ["c"]], 2, None, lambda path, line: None)
    assert sorted(p for t in lost for p in t) == ["a", "b", "c"]


T3_T4 = [c.pointer for c in nf.all_cells() if c.table in ("三", "四")]


@given(st.lists(st.tuples(reports(), st.sampled_from(T3_T4), st.sampled_from([None, 1, 7, "/", "若干"])),
                min_size=1, max_size=3))
@settings(max_examples=10, deadline=None)
def test_the_batch_writes_what_a_single_check_finds(drawn):
    """The rows and finding rows of `gongkai score` (through its journal, caches and all) are those
    built from `check_path` of each report on its own: for the seed and for generated reports, some
    with a changed, blank or invalid cell so that they have findings."""
    from gongkai.pipeline import check_path
    from gongkai.testing import with_cell

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "reports").mkdir()
        (root / "reports" / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        for i, (doc, pointer, change) in enumerate(drawn):
            if isinstance(change, int):
                doc = with_cell(doc, pointer, change)
            elif change is not None:
                doc = with_cell(doc, pointer, None, raw=change)
            (root / "reports" / f"{i}.txt").write_text(report_text(doc), encoding="utf-8")
        batch.score([str(root / "reports")], [root / "r.jsonl", root / "r.xlsx"], jobs=1)
        rows = [json.loads(line) for line in (root / "r.jsonl").read_text(encoding="utf-8").splitlines()]
        sheet = list(openpyxl.load_workbook(root / "r.xlsx")["问题清单"].iter_rows(min_row=2, values_only=True))
        expected_rows, expected_findings = [], []
        for path in batch.discover([str(root / "reports")]):
            checked = check_path(path)
            expected_rows.append(spreadsheet.report_row(checked.output, checked.report, path))
            expected_findings += [tuple(f.get(c) for c in spreadsheet.FINDING_COLUMNS)
                                  for f in spreadsheet.finding_rows(checked.output, path)]
        assert rows == json.loads(json.dumps(expected_rows, ensure_ascii=False))
        assert sheet == expected_findings
        assert len(expected_findings) >= sum(1 for _, _, change in drawn if isinstance(change, str))
