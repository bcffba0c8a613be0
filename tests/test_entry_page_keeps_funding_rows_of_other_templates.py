"""A form imported from another template keeps funding rows the entry page has no place for (财政专户管理资金,
单位资金): opened by its unit's staff it is shown read-only with the reason, and a save from the page (or its
autosave) is refused, so those rows are never dropped."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from evaluations.models import Evaluation
from tests import factory
from tests.reader_helpers import MATERIAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def sichuan():
    call_command("import_dumps", str(MATERIAL / "outside" / "sichuan-qingshen-2023.txt"), stdout=StringIO(), stderr=StringIO())
    evaluation = Evaluation.objects.get()
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.DRAFT)  # in staff's hands
    return Evaluation.objects.get()


def labels(evaluation):
    return [line.shown_label for line in evaluation.ordered_funding_lines()]


def test_the_page_is_read_only_with_the_reason(client, sichuan):
    client.force_login(factory.make_staff(unit=sichuan.unit))
    page = client.get(reverse("evaluation_entry", args=[sichuan.pk])).content.decode()
    assert "填报页没有的栏目" in page and 'name="version"' not in page


def test_a_save_from_the_page_is_refused_and_drops_nothing(client, sichuan):
    before = labels(sichuan)
    client.force_login(factory.make_staff(unit=sichuan.unit))
    data = factory.entry_form_data(factory.clean_figures(), sichuan.version, goal_actual="从填报页改的")
    response = client.post(reverse("evaluation_entry", args=[sichuan.pk]), data)
    assert response.status_code == 409
    after = Evaluation.objects.get(pk=sichuan.pk)
    assert labels(after) == before and "财政专户管理资金" in before and after.goal_actual != "从填报页改的"
