"""The parser reads the published sample dump exactly as tests/sample_forms.py transcribes it."""

from decimal import Decimal
from pathlib import Path

import pytest

from evaluations import scoring
from importer.parsing import ParsedForm, parse_bytes
from tests.sample_forms import SAMPLE_FORMS
from tests.test_sample_forms_reproduce_their_printed_figures import EXPECTED_FLAGS

SAMPLE = Path(__file__).resolve().parent.parent / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
SAMPLE_LINES = SAMPLE.read_text(encoding="utf-8").split("\n")

# The last form of the dump is printed without the 偏差原因分析及改进措施 column.
WITHOUT_DEVIATION_COLUMN = {"加强科技类社会组织党建工作"}

@pytest.fixture(scope="module")
def parsed():
    return parse_bytes(SAMPLE.read_bytes(), SAMPLE.name)


@pytest.fixture(params=range(len(SAMPLE_FORMS)), ids=[form["project_name"] for form in SAMPLE_FORMS])
def pair(request, parsed) -> tuple[ParsedForm, dict]:
    forms, _ = parsed
    return forms[request.param], SAMPLE_FORMS[request.param]


def test_the_sample_holds_six_readable_forms(parsed):
    forms, errors = parsed
    assert errors == []
    assert len(forms) == 6


def test_the_project_fields(pair):
    form, expected = pair
    assert form.file == SAMPLE.name
    assert form.project_name == expected["project_name"]
    assert form.department == expected["department"]
    assert form.unit == expected["unit"]
    assert form.year == expected["year"]


def test_the_funding_lines_as_printed(pair):
    form, expected = pair
    funding = form.figures.funding
    assert [line.kind for line in funding] == list(scoring.FUNDING_KINDS)
    for line in funding:
        initial, full_year, executed, rate = expected["funding"][line.kind]
        assert (line.budget_initial, line.budget_full_year, line.executed, line.rate) == (
            Decimal(initial), Decimal(full_year), Decimal(executed), Decimal(rate)
        ), line.kind
        # Printed with two places, kept with two places.
        assert str(line.executed) == executed and str(line.rate) == rate
    total = form.figures.funding_line("total")
    assert str(total.weight) == expected["funding_weight"]
    assert str(total.score) == expected["funding_score"]
    for line in funding[1:]:
        assert line.weight is None and line.score is None


def test_the_goal_texts(pair):
    form, expected = pair
    assert form.goal_expected.startswith(expected["goal_expected_starts"])
    assert form.goal_actual.startswith(expected["goal_actual_starts"])
    for text in (form.goal_expected, form.goal_actual):
        assert "<" not in text and "&nbsp;" not in text and "\t" not in text


def test_every_indicator(pair):
    form, expected = pair
    got = [
        (i.level1, i.level2, i.name, i.target, i.actual, str(i.weight), str(i.score), i.deviation)
        for i in form.figures.indicators
    ]
    assert got == expected["indicators"]
    for indicator in form.figures.indicators:
        assert isinstance(indicator.weight, Decimal) and isinstance(indicator.score, Decimal)


def test_the_declared_total_and_grade(pair):
    form, expected = pair
    assert form.figures.declared_total == Decimal(expected["total"])
    assert str(form.figures.declared_total) == expected["total"]
    assert form.figures.declared_grade == expected["grade"]


def test_the_deviation_column(pair):
    form, expected = pair
    assert form.has_deviation_column == (expected["project_name"] not in WITHOUT_DEVIATION_COLUMN)


def test_the_scoring_rules_give_the_flags_the_spec_lists(pair):
    form, _ = pair
    flags = {(f.code, f.indicator) for f in scoring.flags_for(form.figures) if f.code != "I_WEIGHT_SPLIT"}
    assert flags == EXPECTED_FLAGS[form.project_name]


def test_each_form_runs_from_its_title_to_its_grade(parsed):
    forms, _ = parsed
    assert forms[0].lines == (3, 36)
    previous_end = 0
    for form in forms:
        first, last = form.lines
        assert previous_end < first < last
        assert SAMPLE_LINES[first - 1] == "财政项目支出绩效自评表"
        assert SAMPLE_LINES[last - 1].startswith("评分等级")
        previous_end = last
    assert forms[-1].lines[1] == max(n for n, line in enumerate(SAMPLE_LINES, start=1) if line.strip())


def test_goal_texts_joined_over_page_breaks_and_paragraphs(parsed):
    forms, _ = parsed
    # Form 1: the actual text goes on after a page break as <p> paragraphs, one line each.
    assert "落地实施。\n5.推动绿色技术银行国际化。" in forms[0].goal_actual
    assert "线上直播数据突破 8.3w 人次。\n6." not in forms[0].goal_actual
    assert forms[0].goal_actual.count("\n") == 3
    # Form 5: both texts go on after a page break, one column further right.
    assert "积极融入上海科技创新中心建设和长三角高质量一体化发展。" in forms[4].goal_expected
    assert "签订科技创新战略合作作协议" in forms[4].goal_actual
    assert forms[4].goal_actual.endswith("完成审计报告填报 1467 份。")


def test_the_repairs_are_noted(parsed):
    forms, _ = parsed
    assert any("第 30 行" in warning and "第 28 行" in warning for warning in forms[0].warnings)
    assert any("第 157 行" in warning for warning in forms[4].warnings)
