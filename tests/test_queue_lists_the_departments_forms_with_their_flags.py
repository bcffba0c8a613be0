"""The review queue: the department's forms, with scores and flags at a glance, filtered, sorted and paged in SQL."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.models import Evaluation
from evaluations.views import review
from tests import factory
from tests.sample_forms import SAMPLE_FORMS

pytestmark = pytest.mark.django_db
Status = Evaluation.Status
D = Decimal
SIX = [form["project_name"] for form in SAMPLE_FORMS]


def good_figures():
    """A 良 form without any flag: one indicator partly achieved, with its deviation explained."""
    figures = factory.clean_figures(declared_total=D("85.00"), declared_grade="良")
    figures.indicators[0] = factory.indicator(actual="1.40(场)", score="35.00", deviation="场地原因少办一场")
    return figures


@pytest.fixture
def forms():
    department = factory.make_department()
    for form in SAMPLE_FORMS:
        factory.make_sample_evaluation(form)
    Evaluation.objects.update(status=Status.SUBMITTED)
    other_unit = factory.make_unit("上海市科学技术情报研究所", department)
    factory.make_evaluation(factory.make_project("科普讲座", other_unit), 2022, good_figures(), Status.APPROVED)
    factory.make_submitted_evaluation(factory.clean_figures(declared_total=D("90.00")),  # E_TOTAL
                                      factory.make_project("数据平台运维", other_unit))
    elsewhere = factory.make_unit("上海市财政局直属单位", factory.make_department("上海市财政局"))
    factory.make_submitted_evaluation(project=factory.make_project("别的部门的项目", elsewhere))
    return other_unit


@pytest.fixture
def reviewer(client):
    user = factory.make_reviewer()
    client.force_login(user)
    return user


def rows(client, **params):
    response = client.get(reverse("review_queue"), params)
    assert response.status_code == 200
    return [row.project_name for row in response.context["page"]]


def test_it_shows_each_form_with_its_scores_and_flag_badges(client, forms, reviewer):
    html = client.get(reverse("review_queue")).content.decode()
    assert "别的部门的项目" not in html
    for name in SIX:
        assert name in html
    assert "共 <strong>8</strong> 份" in html and 'class="count-error">1<' in html
    technology_transfer = html[html.index("技术转移合作"):]
    row = technology_transfer[:technology_transfer.index("</tr>")]
    assert "99.65" in row and "优" in row and 'data-code="W_UNIT_MISSING"' in row and "缺少单位" in row
    assert 'class="num count-warning">2<' in row
    fire_alarm = html[html.index("火灾报警系统升级改造"):]
    assert 'badge-warning' not in fire_alarm[:fire_alarm.index("</tr>")]


def test_each_row_has_a_checkbox_in_the_selection_form_and_a_spot_for_actions(client, forms, reviewer):
    html = client.get(reverse("review_queue")).content.decode()
    assert '<form id="queue-selection" method="post">' in html
    assert html.count('type="checkbox" name="evaluation"') == 8
    assert '<div class="queue-actions">' in html


def test_by_default_what_waits_comes_first_most_flagged_on_top(client, forms, reviewer):
    names = rows(client)
    assert names[0] == "数据平台运维"  # submitted, with an error
    assert names[1] == "国内外科技合作交流"  # submitted, seven warnings
    assert names[-1] == "科普讲座"  # approved


@pytest.mark.parametrize("params, expected", [
    ({"year": "2022"}, {"科普讲座"}),
    ({"status": "approved"}, {"科普讲座"}),
    ({"grade": "良"}, {"科普讲座"}),
    ({"flag": "W_UNIT_MISSING"}, {"技术转移合作", "加强科技类社会组织党建工作"}),
    ({"flag": "W_OVERACHIEVED"}, {"信息化建设项目", "国内外科技合作交流"}),
    ({"flag": "E_TOTAL", "year": "2023"}, {"数据平台运维"}),
    ({"errors": "yes"}, {"数据平台运维"}),
    ({"errors": "no", "year": "2023"}, set(SIX)),
    ({"q": "技术"}, {"绿色技术银行综合管理与运行", "技术转移合作"}),
    ({"q": "不存在"}, set()),
])
def test_filters_and_search(client, forms, reviewer, params, expected):
    assert set(rows(client, **params)) == expected


def test_unit_filter(client, forms, reviewer):
    assert set(rows(client, unit=forms.pk)) == {"科普讲座", "数据平台运维"}


def test_a_unit_of_another_department_is_not_a_valid_filter(client, forms, reviewer):
    elsewhere = factory.make_unit("上海市财政局直属单位", factory.make_department("上海市财政局"))
    assert len(rows(client, unit=elsewhere.pk)) == 8  # ignored, never a way in


def test_invalid_filter_values_are_ignored(client, forms, reviewer):
    assert len(rows(client, year="abc", sort="password", flag="X_NOPE")) == 8


def test_clicking_a_column_header_sorts_and_clicking_again_reverses(client, forms, reviewer):
    assert rows(client, sort="total")[0] == "科普讲座"  # 85.00
    assert rows(client, sort="-total")[0] == "数据平台运维"  # 100.00
    assert rows(client, sort="grade")[-1] == "科普讲座"  # 优 before 良
    by_project = rows(client, sort="project")
    assert by_project == sorted(by_project)
    html = client.get(reverse("review_queue"), {"sort": "total", "year": "2023"}).content.decode()
    assert 'aria-sort="ascending"' in html
    assert "?sort=-total&amp;year=2023" in html or "?year=2023&amp;sort=-total" in html


def test_pages_keep_the_filters(client, forms, reviewer, monkeypatch):
    monkeypatch.setattr(review, "PAGE_SIZE", 3)
    first = client.get(reverse("review_queue"), {"year": "2023"})
    assert len(first.context["page"]) == 3 and first.context["page"].paginator.num_pages == 3
    assert "?year=2023&amp;page=2" in first.content.decode()
    last = rows(client, year="2023", page="3")
    assert len(last) == 1
