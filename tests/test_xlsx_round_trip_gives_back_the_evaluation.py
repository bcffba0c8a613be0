"""Export → import: the same figures, goals and names; a sheet corrected offline imports as an update."""

import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from evaluations.models import Evaluation, WorkflowEvent
from importer import xlsx
from tests import factory
from tests.sample_forms import SAMPLE_FORMS

pytestmark = pytest.mark.django_db

GOAL_EXPECTED = "一、围绕重点地区交流活动。\n二、通过平台建设，促进“一带一路”合作（2023 年）。"
GOAL_ACTUAL = "完成 15 次活动；签约 4 项。"


def make(form):
    evaluation = factory.make_sample_evaluation(form)
    evaluation.goal_expected, evaluation.goal_actual = GOAL_EXPECTED, GOAL_ACTUAL
    evaluation.save()
    return evaluation


@pytest.mark.parametrize("form", SAMPLE_FORMS, ids=[f["project_name"] for f in SAMPLE_FORMS])
def test_each_sample_form_comes_back_the_same(form):
    evaluation = make(form)
    forms, errors = xlsx.parse_workbook(factory.xlsx_bytes([evaluation]), "book.xlsx")
    assert errors == []
    [parsed] = forms
    assert parsed.figures == evaluation.figures()
    assert (parsed.year, parsed.project_name, parsed.department, parsed.unit) == (
        2023, form["project_name"], form["department"], form["unit"])
    assert (parsed.goal_expected, parsed.goal_actual) == (GOAL_EXPECTED, GOAL_ACTUAL)
    assert parsed.file == f"book.xlsx[{form['project_name']}]"
    assert parsed.lines == (1, 14 + len(form["indicators"]))
    assert parsed.warnings == []


def test_import_dumps_reads_an_exported_batch_and_finds_it_unchanged(tmp_path, capsys):
    evaluations = [make(form) for form in SAMPLE_FORMS]
    path = tmp_path / "批量.xlsx"
    path.write_bytes(factory.xlsx_bytes(evaluations))
    call_command("import_dumps", str(path), "--json")
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["errors"] == [] and len(report["forms"]) == 6
    assert "未变 6 份" in captured.err
    assert set(Evaluation.objects.values_list("version", flat=True)) == {1}
    assert not WorkflowEvent.objects.filter(action=WorkflowEvent.Action.IMPORT).exists()


def test_a_score_corrected_offline_imports_as_an_update_and_is_rescored(tmp_path):
    evaluation = make(factory.sample_form("加强科技类社会组织党建工作"))
    assert evaluation.has_flag("W_DEDUCTION_UNEXPLAINED")  # 时效性: 9.00 of 10.00, no reason given
    book = load_workbook(BytesIO(factory.xlsx_bytes([evaluation], summary=False)))
    sheet = book.active
    row = next(r for r in range(13, sheet.max_row) if sheet.cell(r, 3).value == "时效性")
    sheet.cell(row, 8).value = "第四季度工作推迟，已调整计划。"
    sheet.cell(row + 4, 7).value = 99  # 总分 stays 99.00, typed as a whole number
    path = tmp_path / "corrected.xlsx"
    book.save(path)

    call_command("import_dumps", str(path))
    evaluation.refresh_from_db()
    assert evaluation.version == 2 and evaluation.status == Evaluation.Status.DRAFT  # staff submit it themselves
    assert evaluation.indicators.get(name="时效性").deviation == "第四季度工作推迟，已调整计划。"
    assert evaluation.declared_total == Decimal("99.00")
    assert not evaluation.has_flag("W_DEDUCTION_UNEXPLAINED")
    assert evaluation.events.filter(action=WorkflowEvent.Action.IMPORT).exists()
