"""Properties over Hypothesis-generated reports, through the real text reader and extractor."""

from hypothesis import assume, given, strategies as st

from gongkai import nationalformat as nf
from gongkai.checking import run_rules
from gongkai.errors import UnreadableInput
from gongkai.extraction import extract
from gongkai.pipeline import from_document
from gongkai.readers import read_bytes
from gongkai.testing import report_pairs, report_text, reports, with_cell
from conftest import extract_text, report_from_text
from test_arithmetic_every_cell import expected_rules

T3_T4 = [c.pointer for c in nf.all_cells() if c.table in ("三", "四")]


@given(reports())
def test_generated_report_round_trips_through_the_text_layout(doc):
    ex = extract_text(report_text(doc))
    assert ex.document == doc
    assert ex.missing == []
    from_document(doc, "generated.json")  # valid against the schema


@given(reports())
def test_consistent_report_gets_no_error_or_warning(doc, ):
    from gongkai.plugins import load
    runs = run_rules(report_from_text(report_text(doc)), load().rules)
    assert [f for r in runs for f in r.findings] == []
    # A rule may honestly not judge (no previous year's report, no publication date, a body whose
    # level the name does not tell), but none may fail to run.
    assert all(r.status in ("passed", "not_assessed") for r in runs)


@given(reports(), st.sampled_from(T3_T4), st.integers(-5, 5).filter(bool))
def test_one_changed_cell_fires_exactly_the_rules_that_involve_it(doc, pointer, delta):
    from gongkai.plugins import load
    old = nf_value(doc, pointer)
    assume(old + delta >= 0)
    mutated = with_cell(doc, pointer, old + delta)
    report = report_from_text(report_text(mutated))
    runs = run_rules(report, load().rules)
    findings = [f for r in runs for f in r.findings]
    assert {f["code"] for f in findings} == expected_rules(pointer, report)
    for f in findings:
        assert pointer in f["location"]["pointers"]
        if f["evidence"]["operator"] == "==":
            assert f["evidence"]["difference"] in (delta, -delta)


def nf_value(doc, pointer):
    node = doc
    for p in pointer.strip("/").split("/"):
        node = node[p]
    return node["value"]


@given(st.data())
def test_truncating_the_seed_at_any_line_never_invents_or_changes_a_value(seed_text, data):
    lines = seed_text.splitlines()
    cut = data.draw(st.integers(1, len(lines)))
    full = report_from_text(seed_text)
    part = report_from_text("\n".join(lines[:cut]) + "\n")
    for spec, cell in part.cells():
        if cell is not None:
            reference = full.cell(spec.pointer)
            assert (cell.value, cell.source["line"]) == (reference.value, reference.source["line"])


@given(st.binary(max_size=3000))
def test_arbitrary_bytes_end_in_a_clear_error_or_a_result(data):
    try:
        read = read_bytes(data, "random.bin")
    except UnreadableInput as err:
        assert str(err)
        return
    if read.layout is not None:
        extract(read.layout)


@given(st.text(alphabet=st.sampled_from(list("一二三四五六、总体情况表|0123456789\n /—无（）()规章行政复议总计自然人")), max_size=2000))
def test_shuffled_report_vocabulary_never_raises(text):
    ex = extract_text(text)
    from_document(ex.document, "x")  # whatever was read is still a valid document


@given(report_pairs())
def test_consistent_pair_of_years_passes_the_cross_year_rules(pair):
    from gongkai.api import Context
    from gongkai.document import Report
    from gongkai.plugins import load
    current, prior = pair
    for doc in pair:
        assert [f["code"] for r in run_rules(Report(doc), load().rules) for f in r.findings] == []
    runs = run_rules(Report(current), [r for r in load().rules if r.code in ("GK-T3-05", "GK-T2-01")],
                     Context(prior=Report(prior)))
    assert [f for r in runs for f in r.findings] == []
    assert all(r.status == "passed" for r in runs)


@given(report_pairs(), st.sampled_from(["自然人", "商业企业", "总计"]))
def test_carry_over_that_does_not_match_last_year_is_reported(pair, column):
    from gongkai.api import Context
    from gongkai.document import Report
    from gongkai.identities import resolve
    from gongkai.plugins import load
    current, prior = pair
    [term] = resolve(f"表三 四、结转下年度继续办理 × {column}")
    changed = with_cell(prior, term.pointer, nf_value(prior, term.pointer) + 1)
    rule = next(r for r in load().rules if r.code == "GK-T3-05")
    [run] = run_rules(Report(current), [rule], Context(prior=Report(changed)))
    assert len(run.findings) == 1 and f"{column} 列" in run.findings[0]["message"]


# -- removing one required text element -------------------------------------------------------------

def _without(doc, part, needle):
    """The document with the paragraph or sentence containing `needle` taken out of `part`."""
    from gongkai.testing import apply_patch
    text = doc["parts"][part]["text"] if part != "preamble" else doc["preamble"]
    kept = "\n".join(line for line in text.split("\n") if needle not in line)
    assert kept != text
    return apply_patch(doc, {f"/parts/{part}/text" if part != "preamble" else "/preamble": kept})


def _is_government(doc):
    from gongkai_rules.bodies import GOVERNMENT, classify
    return classify(doc["meta"]["issuing_body"]).kind == GOVERNMENT


REMOVALS = [
    ("the fee statement", "other_matters", "信息处理费", lambda doc: {"GK-C-001"}),
    ("the contact details", "other_matters", "电话", lambda doc: {"GK-C-002"}),
    ("the statistical period", "preamble", "统计期限", lambda doc: {"GK-C-011"}),
    ("监督保障 of part 一", "overview", "监督保障", lambda doc: {"GK-S-010"} | ({"GK-C-014"} if _is_government(doc) else set())),
]


@given(reports(), st.sampled_from(REMOVALS))
def test_removing_one_required_text_element_fires_exactly_the_rules_about_it(doc, removal):
    from gongkai.document import Report
    from gongkai.plugins import load
    what, part, needle, expected = removal
    runs = run_rules(Report(_without(doc, part, needle)), load().rules)
    findings = [f for r in runs for f in r.findings]
    assert {f["code"] for f in findings} == expected(doc), what
    for f in findings:
        assert f["location"]["pointer"].startswith(f"/parts/{part}" if part != "preamble" else "/"), what


@given(reports(), st.sampled_from(["problems", "other_matters", "review_litigation"]))
def test_removing_a_part_fires_the_parts_rule_naming_it(doc, part):
    from gongkai.api import REMOVE
    from gongkai.document import Report
    from gongkai.plugins import load
    from gongkai.testing import apply_patch
    runs = run_rules(Report(apply_patch(doc, {f"/parts/{part}": REMOVE})), load().rules)
    findings = [f for r in runs for f in r.findings]
    assert [(f["code"], f["location"]["pointer"]) for f in findings] == [("GK-S-001", f"/parts/{part}")]


# -- shuffled and cut reports --------------------------------------------------------------------------

@given(reports(), st.randoms(use_true_random=False))
def test_a_shuffled_report_never_raises_and_still_gives_a_valid_document(doc, rnd):
    lines = report_text(doc).splitlines()
    rnd.shuffle(lines)
    ex = extract_text("\n".join(lines))
    from_document(ex.document, "shuffled")


@given(reports(), st.data())
def test_a_report_cut_anywhere_never_raises_and_reports_what_is_missing(doc, data):
    text = report_text(doc)
    cut = data.draw(st.integers(0, len(text)))
    try:
        read = read_bytes(text[:cut].encode("utf-8"), "cut.txt")
    except UnreadableInput as err:   # an empty cut
        assert "没有可读的内容" in str(err)
        return
    ex = extract(read.layout)
    from_document(ex.document, "cut")
    if cut < len(text) // 2:
        assert ex.missing
