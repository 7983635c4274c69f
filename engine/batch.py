"""Scoring many reports: find them, check them in parallel, journal each result, write the rows.

The run is built so that an evaluator can trust it with thousands of files:

- every report becomes exactly one row; a report that cannot be read (or that trips a bug, or
  kills its worker process) is a row with its error, and the batch goes on;
- each result is appended to a journal (`<first output>.journal.jsonl`) and flushed as soon as it
  arrives, so an interrupted run can `--resume` and skip every report whose path and SHA-256 are
  already there; the journal is removed once the outputs are written;
- outputs are written in path order from the journal, after the run, whatever order the workers
  finished in, so the same inputs give the same files; only the journal's byte offsets stay in
  memory, which keeps the parent's memory flat in the number of reports;
- the plugin catalogue and the profile are loaded once per worker process, not once per report.
"""

from __future__ import annotations

import gc
import glob
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import GongkaiError
from .grading import Profile, load_profile
from .renderers import spreadsheet

# The suffixes a folder is searched for; a file named explicitly is checked whatever its name.
SUPPORTED = (".txt", ".text", ".html", ".htm", ".docx", ".doc", ".wps", ".pdf", ".json")
JOURNAL_SUFFIX = ".journal.jsonl"
JOURNAL_VERSION = 2          # 2: rows as lists in column order (1 had them as objects)


class BatchUsageError(GongkaiError):
    """The command line names nothing to score, or a list file cannot be read."""


# -- finding the reports -----------------------------------------------------------------------------

def _display(path: str) -> str:
    return Path(os.path.normpath(path)).as_posix()


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(SUPPORTED):
                yield os.path.join(root, name)


def _expand(arg: str, seen_lists: set[str]) -> Iterator[str]:
    if arg.startswith("@") and len(arg) > 1:
        listed = arg[1:]
        key = os.path.realpath(listed)
        if key in seen_lists:       # a list that names itself would loop for ever
            return
        seen_lists.add(key)
        try:
            text = Path(listed).read_text(encoding="utf-8-sig")
        except OSError as err:
            raise BatchUsageError(f"无法读取清单文件 {listed}：{err.strerror or err}") from None
        except UnicodeDecodeError:
            raise BatchUsageError(f"清单文件 {listed} 不是 UTF-8 文本。") from None
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                yield from _expand(line, seen_lists)
        return
    if any(ch in arg for ch in "*?["):
        for match in sorted(glob.glob(arg, recursive=True)):
            yield from (_walk(match) if os.path.isdir(match) else [match])
        return
    if os.path.isdir(arg):
        yield from _walk(arg)
    else:
        # A file that is missing or unreadable still gets its row, with the reader's error.
        yield arg


def discover(args: list[str]) -> list[str]:
    """Every report named by folders (searched recursively), globs, files and `@list` files, once
    each, sorted by path."""
    found: dict[str, str] = {}
    seen_lists: set[str] = set()
    for arg in args:
        for path in _expand(arg, seen_lists):
            found.setdefault(os.path.realpath(path), _display(path))
    if not found:
        raise BatchUsageError("没有找到任何报告文件。请给出报告文件、文件夹、通配符（如 '报告/*.txt'）或 @清单文件。")
    return sorted(set(found.values()))


def sha256_of(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


# -- the worker side ---------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _init_worker(profile_path: str | None, pooled: bool = False) -> None:
    """Once per worker process: the catalogue and the profile, shared by all its reports."""
    from .plugins import load

    _STATE["catalogue"] = load()
    _STATE["profile"] = load_profile(profile_path)
    if pooled:
        # What is loaded by now (modules, rules, compiled patterns) lives as long as the worker. Out
        # of the collector's way, it is not walked again at every full collection, which a report's
        # many small objects otherwise trigger every few dozen reports.
        gc.freeze()


def _score_one(path: str) -> str:
    """One report to one journal line (JSON): its row and its findings, or its error."""
    from .errors import UnreadableInput
    from .pipeline import check_path

    profile: Profile = _STATE["profile"]
    label = spreadsheet.profile_label({"name": profile.name, "version": profile.version})
    try:
        checked = check_path(path, profile, _STATE["catalogue"])
    except (GongkaiError, UnreadableInput) as err:
        return _error_line(path, str(err), label)
    except Exception as err:  # a bug of ours on this one file: the row says so and the batch goes on
        return _error_line(path, f"内部错误：{type(err).__name__}: {err}。这是 gongkai 的缺陷，请连同此文件报告给开发者。",
                           label)
    else:
        out = checked.output
        return _entry(path, out["report"]["sha256"], spreadsheet.report_row(out, checked.report, path),
                      spreadsheet.finding_rows(out, path))


def _error_line(path: str, message: str, profile_label: str) -> str:
    sha = sha256_of(path)
    return _entry(path, sha, spreadsheet.error_row(path, message, sha, profile_label), [])


def _entry(path: str, sha256: str | None, row: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    # Rows are journalled as lists in the order of their columns (the header has their number): the
    # ~240 column names would make up nine tenths of every line, and each line is pickled back from
    # a worker, written to the journal and parsed again by the parent, which shares the cores with
    # the workers.
    return json.dumps({"path": path, "sha256": sha256, "row": [row.get(c) for c in spreadsheet.columns()],
                       "findings": [[f.get(c) for c in spreadsheet.FINDING_COLUMNS] for f in findings]},
                      ensure_ascii=False)


def _score_chunk(paths: list[str]) -> list[str]:
    return [_score_one(p) for p in paths]


# -- the journal -------------------------------------------------------------------------------------

def journal_path(outputs: list[Path]) -> Path:
    return outputs[0].with_name(outputs[0].name + JOURNAL_SUFFIX)


@dataclass
class Journal:
    """Results as JSON lines, flushed one by one; `offsets` says where each path's line starts."""

    path: Path
    header: dict[str, Any]
    offsets: dict[str, int] = field(default_factory=dict)
    done: dict[str, str | None] = field(default_factory=dict)   # path -> sha256

    @classmethod
    def open(cls, path: Path, header: dict[str, Any], resume: bool) -> tuple[Journal, str | None]:
        """A journal to append to: the old one when resuming and it matches this run, else a new one.
        Returns the journal and, when an old journal was set aside, the reason (Chinese)."""
        j = cls(path, header)
        note = None
        if resume and path.exists():
            note = j._load()
            if note is None:
                j._fh = open(path, "ab")
                return j, None
        # Binary, so that tell() is a byte offset to seek back to when the outputs are written.
        j._fh = open(path, "wb")
        j._fh.write((json.dumps(header, ensure_ascii=False) + "\n").encode("utf-8"))
        j._fh.flush()
        return j, note

    def _load(self) -> str | None:
        with open(self.path, "rb") as fh:
            first = fh.readline()
            try:
                header = json.loads(first)
            except ValueError:
                return "续跑记录已损坏，已重新开始。"
            if header != self.header:
                return "续跑记录来自不同的 gongkai 版本或评分方案，已重新开始。"
            good_end = fh.tell()
            while True:
                start = fh.tell()
                line = fh.readline()
                if not line:
                    break
                try:
                    entry = json.loads(line)
                except ValueError:
                    break          # the last line of an interrupted run may be cut short
                self.offsets[entry["path"]] = start
                self.done[entry["path"]] = entry.get("sha256")
                good_end = fh.tell()
        # Drop a torn last line, so appending starts on a clean line.
        with open(self.path, "r+b") as fh:
            fh.truncate(good_end)
        return None

    def append(self, path: str, line: str) -> None:
        self._fh.seek(0, os.SEEK_END)
        self.offsets[path] = self._fh.tell()
        self._fh.write((line + "\n").encode("utf-8"))
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()

    def entries(self, paths: list[str]) -> Iterator[dict[str, Any]]:
        with open(self.path, "rb") as fh:
            for p in paths:
                fh.seek(self.offsets[p])
                yield json.loads(fh.readline())


# -- the run -----------------------------------------------------------------------------------------

@dataclass
class Summary:
    total: int
    scored: int = 0          # checked in this run
    skipped: int = 0         # taken from the journal of an earlier run
    failed: int = 0          # rows with an error


def _chunks(paths: list[str], jobs: int) -> list[list[str]]:
    # Several reports per task cut the inter-process traffic; small enough to keep the bar moving.
    # Tasks shrink towards the end of the run, so that the workers finish together instead of one
    # of them working through a last big task while the others wait.
    size = max(1, min(16, len(paths) // (jobs * 8) or 1))
    chunks, i = [], 0
    while i < len(paths):
        n = max(1, min(size, (len(paths) - i) // (jobs * 2)))
        chunks.append(paths[i:i + n])
        i += n
    return chunks


def _run_pool(tasks: list[list[str]], jobs: int, profile_path: str | None,
              on_result: Callable[[str, str], None]) -> list[list[str]]:
    """Run tasks with at most 2 per worker in flight; returns the tasks lost to a crashed worker."""
    pending = list(reversed(tasks))
    inflight: dict[Future, list[str]] = {}
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(profile_path, True)) as pool:
        try:
            while pending or inflight:
                while pending and len(inflight) < jobs * 2:
                    # Taken off `pending` only once submitted: submit() itself raises when a worker
                    # has just died, and a task popped before that would be lost, never retried.
                    fut = pool.submit(_score_chunk, pending[-1])
                    inflight[fut] = pending.pop()
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in done:
                    lines = fut.result()          # raises BrokenProcessPool when a worker died
                    for path, line in zip(inflight.pop(fut), lines):
                        on_result(path, line)
        except BrokenProcessPool:
            # Submission order is kept, so with one worker the first lost task is the one that killed it.
            lost = []
            for f, t in inflight.items():
                if f.done() and not f.cancelled() and f.exception() is None:
                    for path, line in zip(t, f.result()):
                        on_result(path, line)
                else:
                    lost.append(t)
            return lost + list(reversed(pending))
        except BaseException:
            for f in inflight:
                f.cancel()
            raise
    return []


def run(paths: list[str], profile_path: str | None, profile_label: str, jobs: int, journal: Journal,
        progress: Callable[[int], None] | None = None) -> Summary:
    """Check every path not yet in the journal; each result is journalled as it arrives."""
    summary = Summary(len(paths))
    todo = []
    for p in paths:
        if p in journal.done and journal.done[p] == sha256_of(p):
            summary.skipped += 1
        else:
            todo.append(p)
    if progress and summary.skipped:
        progress(summary.skipped)

    def on_result(path: str, line: str) -> None:
        journal.append(path, line)
        summary.scored += 1
        if progress:
            progress(1)

    if jobs <= 1:
        _init_worker(profile_path)
        for p in todo:
            on_result(p, _score_one(p))
        return summary

    tasks = _chunks(todo, jobs)
    while tasks:
        lost = _run_pool(tasks, jobs, profile_path, on_result)
        if not lost:
            break
        # A worker died (a crash or the memory killer) and took its tasks with it. Try them again one
        # report at a time in a single worker, so that the one that kills it is known and gets an
        # error row, and the others are scored.
        # With one worker and one report per task, the first task lost is the one it was working on.
        suspects = [p for t in lost for p in t]
        tasks = []
        while suspects:
            rest = _run_pool([[p] for p in suspects], 1, profile_path, on_result)
            if not rest:
                break
            culprit = rest[0][0]
            on_result(culprit, _error_line(culprit, "检查这份报告时工作进程异常退出（可能是文件损坏或内存不足），未能评分。",
                                           profile_label))
            suspects = [p for t in rest[1:] for p in t]
    return summary


def header(profile: Profile) -> dict[str, Any]:
    return {"journal": JOURNAL_VERSION, "tool": f"gongkai {__version__}",
            "profile": spreadsheet.profile_label({"name": profile.name, "version": profile.version}),
            "columns": len(spreadsheet.columns())}


def meta(profile: Profile, summary: Summary, failed: int) -> list[tuple[str, Any]]:
    return [("工具", f"gongkai {__version__}"),
            ("评分方案", profile.name), ("评分方案版本", profile.version),
            ("报告数", summary.total), ("无法评分", failed),
            ("排序", "按文件路径"),
            ("说明", "每份报告一行；表格数值列的标题为“表/行/列”；空白表示报告中未找到或留空，"
                     "填写“/”等非数字内容的单元格照原文列出，不当作 0。无法读取的报告在“读取错误”列说明原因。")]


def write_outputs(journal: Journal, paths: list[str], outputs: list[Path], profile: Profile, summary: Summary,
                  stdout=None) -> int:
    """Write every output from the journal in path order; returns the number of error rows."""
    failed = 0

    cols, finding_cols = spreadsheet.columns(), spreadsheet.FINDING_COLUMNS
    error = cols.index(spreadsheet.ERROR)

    def items() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        nonlocal failed
        for e in journal.entries(paths):
            failed += bool(e["row"][error])
            yield dict(zip(cols, e["row"])), [dict(zip(finding_cols, f)) for f in e["findings"]]

    # One pass over the journal: the count of failures goes into the workbook's 说明 sheet last.
    spreadsheet.write_all(outputs, items(), lambda: meta(profile, summary, failed), stdout=stdout)
    return failed


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def score(args: list[str], outputs: list[Path], profile_path: Path | None = None, jobs: int | None = None,
          resume: bool = False, progress_factory=None, notify: Callable[[str], None] | None = None,
          stdout=None) -> Summary:
    """The whole `gongkai score` run. `progress_factory(total)` returns a callable advancing a bar."""
    for o in outputs:
        if o.suffix.lower() not in spreadsheet.EXTENSIONS:
            raise BatchUsageError(f"不支持的输出格式：{o.name}。请使用 .xlsx、.csv 或 .jsonl。")
    if resume and not outputs:
        raise BatchUsageError("--resume 需要用 -o 指定输出文件（续跑记录保存在输出文件旁边）。")
    for o in outputs:
        if not o.parent.is_dir():
            raise BatchUsageError(f"输出文件夹不存在：{o.parent}")
    profile = load_profile(profile_path)
    paths = discover(args)
    jobs = jobs or default_jobs()
    if outputs:
        jpath = journal_path(outputs)
    else:
        import tempfile
        fd, name = tempfile.mkstemp(prefix="gongkai-score-", suffix=JOURNAL_SUFFIX)
        os.close(fd)
        jpath = Path(name)
    journal, note = Journal.open(jpath, header(profile), resume)
    if note and notify:
        notify(note)
    try:
        advance = progress_factory(len(paths)) if progress_factory else None
        summary = run(paths, str(profile_path) if profile_path else None,
                      spreadsheet.profile_label({"name": profile.name, "version": profile.version}),
                      min(jobs, max(1, len(paths))), journal, advance)
        journal.close()
        summary.failed = write_outputs(journal, paths, outputs, profile, summary, stdout=stdout)
    except BaseException:
        journal.close()
        if not outputs:
            jpath.unlink(missing_ok=True)
        raise
    jpath.unlink(missing_ok=True)
    return summary


__all__ = ["BatchUsageError", "Summary", "discover", "journal_path", "score"]

