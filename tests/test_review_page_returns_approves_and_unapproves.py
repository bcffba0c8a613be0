"""The review page: the whole form read-only with its flags explained, and the reviewer's actions on it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from evaluations import workflow
from evaluations.models import Evaluation, WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db
Status = Evaluation.Status


@pytest.fixture
def reviewer(client):
    user = factory.make_reviewer()
    client.force_login(user)
    return user


@pytest.fixture
def flagged():
    """技术转移合作 as imported: W_UNIT_MISSING on indicators 13 and 14, I_WEIGHT_SPLIT."""
    evaluation = factory.make_sample_evaluation(factory.sample_form("技术转移合作"))
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Status.SUBMITTED)
    evaluation.refresh_from_db()
    return evaluation


def page(client, evaluation):
    response = client.get(reverse("review_evaluation", args=[evaluation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post(client, name, evaluation, follow=True, **data):
    data.setdefault("version", evaluation.version)
    return client.post(reverse(name, args=[evaluation.pk]), data, follow=follow)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_page_shows_the_whole_form_and_explains_each_flag_where_it_fired(client, reviewer, flagged):
    html = page(client, flagged)
    assert "科技服务人才队伍提升综合满意度" in html  # an indicator of the read-only form
    assert 'id="indicator-13" class="flagged"' in html and 'id="indicator-14" class="flagged"' in html
    assert 'data-code="W_UNIT_MISSING"' in html
    assert "缺少单位" in html and "没有可用的计量单位" in html  # title and explanation of the code
    assert 'href="#indicator-13"' in html and 'href="#indicator-14"' in html
    assert 'name="acknowledged" value="W_UNIT_MISSING"' in html
    assert 'name="acknowledged" value="I_WEIGHT_SPLIT"' not in html  # info never needs acknowledging
    assert f'name="version" value="{flagged.version}"' in html


def test_return_with_a_comment_sends_the_form_back(client, reviewer, flagged):
    response = post(client, "review_return", flagged, comment="请补充第 13、14 项的计量单位")
    flagged.refresh_from_db()
    assert flagged.status == Status.RETURNED
    assert any("已退回" in m for m in messages_of(response))
    html = response.content.decode()
    assert "退回：请补充第 13、14 项的计量单位" in html  # in the comment thread
    assert "已退回，等待填报人修改后重新提交" in html


def test_return_without_a_comment_is_refused_with_a_message(client, reviewer, flagged):
    response = post(client, "review_return", flagged, comment="  ")
    flagged.refresh_from_db()
    assert flagged.status == Status.SUBMITTED
    assert messages_of(response) == ["退回时必须填写退回意见。"]


def test_approve_needs_each_warning_acknowledged(client, reviewer, flagged):
    response = post(client, "review_approve", flagged)
    flagged.refresh_from_db()
    assert flagged.status == Status.SUBMITTED
    assert any("W_UNIT_MISSING" in m for m in messages_of(response))

    response = post(client, "review_approve", flagged, acknowledged=["W_UNIT_MISSING"], comment="已核实")
    flagged.refresh_from_db()
    assert flagged.status == Status.APPROVED
    html = response.content.decode()
    assert "表单已锁定" in html and reverse("review_unapprove", args=[flagged.pk]) in html
    assert reverse("review_approve", args=[flagged.pk]) not in html


def test_a_form_with_errors_offers_no_approval_and_refuses_one(client, reviewer):
    evaluation = factory.make_submitted_evaluation(factory.clean_figures(declared_total=Decimal("90.00")))
    html = page(client, evaluation)
    assert "有错误标记，不能审核通过" in html and ">审核通过</button>" not in html
    response = post(client, "review_approve", evaluation, acknowledged=["E_TOTAL"])
    evaluation.refresh_from_db()
    assert evaluation.status == Status.SUBMITTED
    assert messages_of(response) == ["该自评表有错误标记，不能审核通过，请退回修改。"]


def test_unapprove_is_an_explicit_commented_action(client, reviewer):
    evaluation = workflow.approve(factory.make_submitted_evaluation(), reviewer)
    response = post(client, "review_unapprove", evaluation, comment="")
    evaluation.refresh_from_db()
    assert evaluation.status == Status.APPROVED and messages_of(response) == ["撤销审核时必须说明理由。"]
    post(client, "review_unapprove", evaluation, comment="执行数需重新核对")
    evaluation.refresh_from_db()
    assert evaluation.status == Status.SUBMITTED
    assert evaluation.events.last().comment == "执行数需重新核对"


def test_a_stale_page_is_refused_with_a_clear_message(client, reviewer, flagged):
    seen = flagged.version
    Evaluation.objects.filter(pk=flagged.pk).update(version=seen + 1)  # staff or an import saved meanwhile
    response = post(client, "review_return", flagged, version=seen, comment="请修改")
    flagged.refresh_from_db()
    assert flagged.status == Status.SUBMITTED and not WorkflowEvent.objects.exists()
    (message,) = messages_of(response)
    assert "已被修改" in message and "请查看最新内容" in message


def test_a_post_without_the_version_is_refused(client, reviewer, flagged):
    response = client.post(reverse("review_return", args=[flagged.pk]), {"comment": "请修改"}, follow=True)
    flagged.refresh_from_db()
    assert flagged.status == Status.SUBMITTED
    assert "操作未执行" in messages_of(response)[0]


def test_comments_form_a_thread_and_the_status_history_is_shown(client, reviewer, flagged):
    client.post(reverse("review_comment", args=[flagged.pk]), {"text": "第 13 项单位是什么？"}, follow=True)
    response = client.post(reverse("review_comment", args=[flagged.pk]), {"text": " "}, follow=True)
    assert messages_of(response) == ["意见不能为空，且不超过 2000 字。"]
    post(client, "review_return", flagged, comment="请补充单位")
    html = page(client, flagged)
    assert html.index("第 13 项单位是什么？") < html.index("退回：请补充单位")
    assert '<td class="nowrap">退回</td>' in html and "已提交 → 已退回" in html
    assert f"{reviewer.username} · " in html  # the author of each comment


def test_an_approved_form_is_locked_in_the_admin_too(client):
    evaluation = workflow.approve(factory.make_submitted_evaluation(), factory.make_reviewer())
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    change_url = f"/admin/evaluations/evaluation/{evaluation.pk}/change/"
    html = client.get(change_url).content.decode()
    assert 'name="_save"' not in html  # shown read-only
    assert client.post(change_url, {"year": 2024}).status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.year == 2023
