"""A form whose write fails half-way leaves nothing of itself; the other forms are imported."""

from io import StringIO

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation, FundingLine, Indicator, Project, WorkflowEvent
from importer import loader, parsing
from tests import factory

SAMPLE = factory.SAMPLE_DUMP
pytestmark = pytest.mark.django_db


def fail_on_project(monkeypatch, project_name):
    """Make the indicator rows of one project fail to build, after its evaluation and funding lines are
    written (one by one) or while its batch is being written (in bulk)."""
    original = Indicator.values_from_figures

    def values_from_figures(evaluation, position, indicator):
        if evaluation.project.name == project_name:
            raise RuntimeError("磁盘已满")
        return original(evaluation, position, indicator)

    monkeypatch.setattr(Indicator, "values_from_figures", staticmethod(values_from_figures))


def test_the_failed_form_leaves_no_row_and_the_rest_are_imported(monkeypatch):
    fail_on_project(monkeypatch, "技术转移合作")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_dumps", str(SAMPLE), stdout=StringIO(), stderr=StringIO())
    assert exit_info.value.code == 1
    assert Evaluation.objects.count() == 5
    assert not Project.objects.filter(name="技术转移合作").exists()
    assert FundingLine.objects.count() == 5 * 4
    assert not WorkflowEvent.objects.filter(comment__contains="第 ").exclude(evaluation__in=Evaluation.objects.all()).exists()


def test_load_form_is_atomic_on_its_own(monkeypatch):
    forms, _ = parsing.parse_bytes(SAMPLE.read_bytes(), SAMPLE.name)
    fail_on_project(monkeypatch, forms[0].project_name)
    with pytest.raises(RuntimeError):
        loader.load_form(forms[0])
    assert (Evaluation.objects.count(), FundingLine.objects.count(), Indicator.objects.count(), Project.objects.count()) == (0, 0, 0, 0)
