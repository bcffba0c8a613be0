"""The entry page refuses what cannot be stored, with a Chinese message next to the field, and keeps the input."""

import pytest
from django.urls import reverse

from evaluations.models import WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return factory.make_evaluation()


@pytest.fixture
def post(client, evaluation):
    client.force_login(factory.make_staff())

    def send(**changes):
        data = factory.entry_form_data(factory.clean_figures(), evaluation.version)
        data.update(changes)
        return client.post(reverse("evaluation_entry", args=[evaluation.pk]), data)

    return send


def error_of(response, field_id):
    """The messages shown under one field, found by the id Django gives its error list."""
    page = response.content.decode()
    start = page.index(f'id="{field_id}_error"')
    return page[start:page.index("</ul>", start)]


@pytest.mark.parametrize("field, value, message", [
    ("funding-0-executed", "五十", "全年执行数请填写数字。"),
    ("funding-1-budget_initial", "-1", "年初预算数不能为负数。"),
    ("funding-0-budget_full_year", "56.001", "全年预算数最多两位小数。"),
    ("funding-0-executed", "12345678901234.00", "全年执行数数值过大。"),
    ("funding_weight", "100.01", "分数不能超过 100。"),
    ("indicators-0-weight", "101", "分值不能超过 100。"),
    ("indicators-0-weight", "1e", "分值请填写数字。"),
    ("indicators-1-score", "-0.5", "得分不能为负数。"),
    ("indicators-0-name", "长" * 301, "最多 300 个字（现有 301 个）。"),
    ("indicators-0-actual", "2" * 1001, "最多 1000 个字（现有 1001 个）。"),
    ("indicators-0-deviation", "因" * 2001, "最多 2000 个字（现有 2001 个）。"),
    ("goal_expected", "目" * 5001, "最多 5000 个字（现有 5001 个）。"),
    ("indicators-0-level1", "其他指标", "“其他指标”不是允许的一级指标。"),
    ("indicators-1-level2", "社会效应指标", "“社会效应指标”不是允许的二级指标。"),
])
def test_a_value_that_cannot_be_stored_is_refused_next_to_its_field(post, evaluation, field, value, message):
    response = post(**{field: value})
    assert response.status_code == 200
    assert message in error_of(response, f"id_{field}")
    assert "处无法保存" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.version == 1
    assert not evaluation.events.filter(action=WorkflowEvent.Action.SAVE).exists()


@pytest.mark.parametrize("field, value, message", [
    ("funding-2-executed", "", "请填写全年执行数（没有则填 0）。"),
    ("indicators-1-score", "30.01", "得分不能超过分值 30.00。"),
    ("indicators-2-score", "", "请填写得分。"),
    ("indicators-0-name", "", "请填写三级指标。"),
    ("indicators-0-target", "", "请填写年度指标值。"),
    ("indicators-0-level1", "", "请选择一级指标。"),
    ("indicators-1-level2", "数量指标", "二级指标“数量指标”不属于效益指标。"),
])
def test_an_unfinished_value_is_saved_in_the_draft_and_stops_only_the_submit(post, evaluation, field, value, message):
    saved = post(**{field: value})
    assert saved.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.version == 2

    submitted = post(**{field: value, "version": "2", "action": "submit"})
    assert submitted.status_code == 200
    assert message in error_of(submitted, f"id_{field}")
    assert "草稿已保存（第 3 版），但尚未提交" in submitted.content.decode()
    evaluation.refresh_from_db()
    assert (evaluation.version, evaluation.status) == (3, "draft")


def test_the_refused_input_stays_on_screen(post):
    response = post(**{"funding-0-executed": "五十", "indicators-0-name": "我刚写的指标"})
    page = response.content.decode()
    assert 'value="五十"' in page
    assert "我刚写的指标" in page


def test_every_message_shows_at_once(post):
    response = post(**{"funding-0-executed": "x", "indicators-0-score": "-1", "goal_actual": "实" * 5001})
    assert response.context["forms"].error_count() == 3


def test_a_tampered_row_count_is_refused_in_chinese(post):
    response = post(**{"indicators-TOTAL_FORMS": "101"})
    assert "绩效指标最多 100 行。" in response.content.decode()


def test_a_row_left_entirely_blank_is_ignored(post, evaluation):
    blank = {f"indicators-3-{name}": "" for name in ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")}
    response = post(**{"indicators-TOTAL_FORMS": "4", **blank})
    assert response.status_code == 302
    assert evaluation.indicators.count() == 3
