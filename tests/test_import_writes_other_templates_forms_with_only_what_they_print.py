"""Forms of other templates leave figures unprinted (blank carry-over rows, no 全年预算数 column,
scores left to the reviewer) and print funding rows with no counterpart here (财政专户管理资金,
单位资金). `import_dumps` writes them whole: a figure not printed stays empty, never 0, and each
funding row keeps its printed label and place; importing the same file again changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from evaluations import scoring
from evaluations.models import Evaluation, FundingLine, scoring_rules
from importer import loader
from tests import factory
from tests.reader_helpers import MATERIAL, read

OUTSIDE = ["anhui-chizhou-2022.txt", "sichuan-qingshen-2023.txt", "hubei-style-2020.txt"]


def _import(path):
    out, err = StringIO(), StringIO()
    call_command("import_dumps", str(path), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.parametrize("name", OUTSIDE)
@pytest.mark.django_db
def test_the_evaluation_holds_the_figures_as_printed(name):
    path = MATERIAL / "outside" / name
    [form], errors = read(path)
    assert errors == []
    _import(path)
    evaluation = Evaluation.objects.get(project__name=form.project_name, year=form.year)
    stored = evaluation.stored_figures()
    # Amounts in 万元 to the cent, as the report prints them (Anhui prints 89.974).
    assert stored == loader.storable_figures(form.figures)
    assert [line.budget_full_year for line in stored.funding] == [
        None if line.budget_full_year is None else round(line.budget_full_year, 2) for line in form.figures.funding]
    assert [line.label for line in stored.funding] == [line.label for line in form.figures.funding]
    assert (evaluation.goal_expected, evaluation.goal_actual) == (form.goal_expected, form.goal_actual)
    assert "未变 1 份" in _import(path)
    # Its pages judge it as the import did: the same flags as the queue's cached ones and the report's.
    assert sorted({flag.code for flag in evaluation.flags()}) == evaluation.flag_codes.split()
    assert evaluation.computed().total == scoring.compute(form.figures, scoring_rules()).total
    assert Evaluation.objects.get(pk=evaluation.pk).version == evaluation.version


@pytest.mark.django_db
def test_unprinted_amounts_and_scores_stay_empty_and_unmatched_rows_keep_their_label():
    _import(MATERIAL / "outside" / "sichuan-qingshen-2023.txt")
    evaluation = Evaluation.objects.get()
    lines = evaluation.ordered_funding_lines()
    assert [(line.kind, line.shown_label) for line in lines] == [
        ("total", "总额"), ("current_year", "财政资金"), (None, "财政专户管理资金"), (None, "单位资金"), ("other", "其他资金"),
    ]
    other = lines[-1]
    assert (other.budget_initial, other.budget_full_year, other.executed) == (None, None, None)
    assert lines[0].budget_full_year == Decimal("251.89") and lines[0].budget_initial == Decimal("238.93")
    assert [indicator.score for indicator in evaluation.indicators.all()] == [None, None]
    # Scores left to the reviewer: the form is not graded (neither a total nor a grade is invented).
    assert (evaluation.declared_total, evaluation.computed_total, evaluation.computed_grade) == (None, None, "")


@pytest.mark.django_db
def test_a_form_without_a_budget_column_keeps_it_empty():
    _import(MATERIAL / "outside" / "hubei-style-2020.txt")
    [total] = FundingLine.objects.all()
    assert (total.kind, total.budget_initial, total.budget_full_year, total.executed) == (
        "total", None, Decimal("1.56"), Decimal("1.56"))
    assert total.weight == Decimal("20.00")


@pytest.mark.django_db
def test_the_command_prints_the_pdfs_pages_and_its_notes(capsys):
    call_command("import_dumps", str(MATERIAL / "sample-export.pdf"), str(MATERIAL / "outside" / "hubei-style-2020.txt"))
    out, err = capsys.readouterr()
    assert "sample-export.pdf:第 4–5 页 国内外科技合作交流" in out
    assert "备注：第 5 页：表格外的“数量指标”作为其所在合并单元格的二级指标。" in out
    assert "读取 7 份；失败 0 份；备注" in err and "新建 7 份" in err
    assert Evaluation.objects.count() == 7


@pytest.mark.parametrize("page", ["evaluation_detail", "review_evaluation", "evaluation_print", "evaluation_entry"])
@pytest.mark.django_db
def test_its_pages_show_the_printed_rows_and_leave_the_unprinted_empty(client, page):
    _import(MATERIAL / "outside" / "sichuan-qingshen-2023.txt")
    evaluation = Evaluation.objects.get()
    if page == "evaluation_entry":  # staff edit a form returned to them
        Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.RETURNED)
        user = factory.make_staff(unit=evaluation.project.unit)
    else:
        user = factory.make_reviewer(department=evaluation.project.unit.department)
    client.force_login(user)
    response = client.get(reverse(page, args=[evaluation.pk]))
    assert response.status_code == 200
    if page in ("evaluation_detail", "review_evaluation"):
        html = response.content.decode()
        assert "财政专户管理资金" in html and "单位资金" in html and "财政资金" in html
