"""While staff type, the entry page posts its rows and gets the target flags back (the server compares; the page
only draws): a changed target shows W_TARGET_CHANGED before saving. Only the unit's staff may ask; bad data gets a
Chinese error, never a 500."""

import json

import pytest
from django.urls import reverse

from targets import workflow
from targets.models import TargetTable
from tests import factory
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return workflow.start_evaluation(make_table(status=TargetTable.Status.APPROVED), None)


def rows(**changes):
    figures = factory.clean_figures()
    typed = [{"level1": r.level1, "level2": r.level2, "name": r.name, "target": r.target, "weight": str(r.weight)}
             for r in figures.indicators]
    for key, value in changes.items():
        index, field = key.split("_", 1)
        typed[int(index[1:])][field] = value
    return typed


def ask(client, evaluation, typed):
    return client.post(reverse("evaluation_target_check", args=[evaluation.pk]), {"rows": json.dumps(typed)})


def test_the_rows_as_typed_are_compared(client, evaluation):
    client.force_login(factory.make_staff())
    assert ask(client, evaluation, rows()).json() == {"flags": [], "problems": []}
    answer = ask(client, evaluation, rows(r1_target="≥80(%)", r0_weight="5x")).json()
    assert answer["problems"] == ["有 2 处与批准的绩效目标不同，尚未说明调整理由。"]
    answer = answer["flags"]
    assert [(f["code"], f["indicator"], f["severity"]) for f in answer] == [
        ("W_TARGET_CHANGED", 1, "warning"), ("W_TARGET_CHANGED", 2, "warning")]
    assert answer[0]["title"] == "改动绩效目标" and "分值：50.00 → 5x" in answer[0]["message"] and "年度指标值：≥90(%) → ≥80(%)" in answer[1]["message"]
    answer = ask(client, evaluation, rows()[:2]).json()["flags"]
    assert [(f["code"], f["indicator"]) for f in answer] == [("W_TARGET_CHANGED", None)]  # one dropped


@pytest.mark.parametrize("bad", ["", "不是 JSON", json.dumps({"a": 1}), json.dumps([1, 2]), json.dumps([{}] * 101)])
def test_bad_data_is_a_clear_400(client, evaluation, bad):
    client.force_login(factory.make_staff())
    response = client.post(reverse("evaluation_target_check", args=[evaluation.pk]), {"rows": bad})
    assert response.status_code == 400 and response.json() == {"error": "指标数据格式不正确。"}


def test_only_the_units_staff_may_ask(client, evaluation):
    url = reverse("evaluation_target_check", args=[evaluation.pk])
    assert client.post(url, {"rows": "[]"}).status_code == 302
    other = factory.make_staff("other", unit=factory.make_unit("另一单位"))
    for user in (other, factory.make_reviewer(), factory.make_auditor()):
        client.force_login(user)
        assert client.post(url, {"rows": json.dumps(rows())}).status_code == 404
    client.force_login(factory.make_staff())
    assert client.get(url).status_code == 405


def test_the_page_asks_only_when_there_is_something_to_compare_with(client, evaluation):
    client.force_login(factory.make_staff())
    page = client.get(reverse("evaluation_entry", args=[evaluation.pk])).content.decode()
    assert 'id="external-checks"' in page and "entry-external-checks.js" in page
    alone = factory.make_evaluation(project=factory.make_project("无目标的项目"))
    page = client.get(reverse("evaluation_entry", args=[alone.pk])).content.decode()
    assert "entry-external-checks.js" not in page
