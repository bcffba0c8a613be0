"""Queue rows are kept once drawn, yet every change to what a row shows appears on the next visit."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return factory.make_submitted_evaluation(project=factory.make_project("原项目名"))


def row(client, evaluation):
    html = client.get(reverse("review_queue")).content.decode()
    return re.search(rf'<tr[^>]*data-evaluation="{evaluation.pk}">.*?</tr>', html, re.S).group(0)


def cells(client, evaluation):
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row(client, evaluation), re.S)]


def rename_project(evaluation):
    evaluation.project.name = "新项目名"
    evaluation.project.save()


def rename_unit(evaluation):
    evaluation.project.unit.name = "新单位名"
    evaluation.project.unit.save()


def stored(**values):
    return lambda evaluation: Evaluation.objects.filter(pk=evaluation.pk).update(**values)


SHOWN = ["", "2023", "上海科学技术交流中心", "原项目名", "已提交", "100.00", "优", "0", "0", "无"]


# One change at a time, so each value a row shows is checked on its own.
@pytest.mark.parametrize("change, column, now", [
    (stored(year=2022), 1, "2022"),
    (rename_unit, 2, "新单位名"),
    (rename_project, 3, "新项目名"),
    (stored(status=Evaluation.Status.RETURNED), 4, "已退回"),
    (stored(computed_total=Decimal("72.50")), 5, "72.50"),
    (stored(computed_grade="中"), 6, "中"),
    (stored(error_count=1), 7, "1"),
    (stored(warning_count=2), 8, "2"),
    (stored(flag_codes="E_TOTAL W_UNIT_MISSING"), 9, "总分算错缺少单位"),
])
def test_each_shown_value_is_current_on_the_next_visit(client, evaluation, change, column, now):
    client.force_login(factory.make_reviewer(department=evaluation.department))
    assert cells(client, evaluation) == SHOWN
    change(evaluation)
    assert cells(client, evaluation) == SHOWN[:column] + [now] + SHOWN[column + 1:]


def test_a_row_drawn_once_is_served_again_for_the_same_values(client, evaluation, monkeypatch):
    client.force_login(factory.make_reviewer(department=evaluation.department))
    first = row(client, evaluation)
    # Were the row drawn again, the status would read differently now.
    monkeypatch.setattr(Evaluation, "get_status_display", lambda self: "重新绘制")
    assert row(client, evaluation) == first
