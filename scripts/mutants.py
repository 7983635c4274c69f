"""Mutation check: break a rule, a reader or the grading on purpose, one at a time, and show that
the test suite notices. Each mutant is applied to the working tree, the relevant tests run, and the
file is restored.

    .venv/bin/python scripts/mutants.py        # a line per mutant: KILLED (good) or SURVIVED
"""
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
MUTANTS = [
    ("rule: GK-T3-03 row sum skips the 其他 column", "rules/arithmetic.yaml",
     '"表三 {row} × 法律服务机构", "表三 {row} × 其他"]', '"表三 {row} × 法律服务机构"]',
     "tests/test_rule_examples.py tests/test_arithmetic_every_cell.py tests/test_properties.py"),
    ("rule: GK-T3-04 '<=' weakened to '<'", "rules/arithmetic.yaml",
     '    op: "<="\n    right: ["表三 一、本年新收', '    op: "<"\n    right: ["表三 一、本年新收',
     "tests/test_rule_examples.py tests/test_arithmetic_every_cell.py tests/test_properties.py tests/test_seed.py"),
    ("rule: identities compare with an off-by-one tolerance", "engine/identities.py",
     "        return abs(left - right) <= tol", "        return abs(left - right) <= tol + 1",
     "tests/test_rule_examples.py tests/test_arithmetic_every_cell.py tests/test_properties.py"),
    ("rule: GK-C-001 accepts any mention of 信息处理费", "rules/text.py",
     "    if not (_NONE_CHARGED.search(quote) or _AMOUNTS.search(quote) or notices or collected):", "    if False:",
     "tests/test_rule_examples.py tests/test_rules_structure_text.py tests/test_rules_content.py"),
    ("reader (text): lone '|' lines dropped instead of empty cells", "engine/readers/text.py",
     '            layout.blocks.extend(Block("cell", "", loc) for _ in range(line.count("|")))', "            pass",
     "tests/test_text_layouts.py tests/test_seed.py"),
    ("reader (HTML): rowspan ignored", "engine/readers/html.py",
     '                rowspan = _span(cell.get("rowspan"), zero_means=len(rows) - r)', "                rowspan = 1",
     "tests/test_reader_html.py"),
    ("reader (Word): gridBefore ignored", "engine/readers/docx.py",
     '            col = _grid_value(tr, "w:gridBefore")', "            col = 0", "tests/test_reader_docx.py"),
    ("reader (extractor): placeholder cell read as 0", "engine/extraction/model.py",
     "    if not NUMBER.match(text):\n        return None", "    if not NUMBER.match(text):\n        return 0",
     "tests/test_rules_structure_text.py tests/test_text_layouts.py tests/test_arithmetic_every_cell.py"),
    ("grading: per-rule cap not applied", "engine/grading.py",
     "            lost[cat] += min(points, profile.cap(code))", "            lost[cat] += points",
     "tests/test_grading.py tests/test_cli.py"),
]
results = []
for name, path, old, new, tests in MUTANTS:
    p = ROOT / path
    original = p.read_text(encoding="utf-8")
    if old not in original:
        results.append((name, "NOT APPLIED (pattern missing)")); continue
    p.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        r = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests.split()],
                           cwd=ROOT, capture_output=True, text=True, timeout=900)
        last = [l for l in r.stdout.splitlines() if "passed" in l or "failed" in l or "error" in l][-1:]
        failing = [l for l in r.stdout.splitlines() if l.startswith("FAILED")][:1]
        results.append((name, ("KILLED" if r.returncode else "SURVIVED") + f"  {last[0] if last else ''}  {failing[0][:110] if failing else ''}"))
    finally:
        p.write_text(original, encoding="utf-8")
for name, res in results:
    print(f"- {name}: {res}")
