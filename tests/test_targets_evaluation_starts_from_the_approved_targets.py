"""A self-evaluation starts from its approved target table; departing from it raises W_TARGET_CHANGED at the row
(approved → reported), needs a stated reason before submitting, and the reviewer acknowledges it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import workflow as evaluation_workflow
from evaluations.models import Evaluation, WorkflowEvent
from targets import workflow
from targets.models import TargetChangeReason, TargetEvent, TargetTable
from tests import factory
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db
Status = TargetTable.Status


@pytest.fixture
def staff():
    return factory.make_staff()


@pytest.fixture
def approved(staff):
    return make_table(status=Status.APPROVED)


def codes(evaluation):
    return [(flag.code, flag.indicator) for flag in evaluation.flags() if flag.code == "W_TARGET_CHANGED"]


def test_starting_prefills_name_target_and_weight_of_each_approved_row(client, staff, approved):
    client.force_login(staff)
    response = client.post(reverse("target_start_evaluation", args=[approved.pk]))
    evaluation = Evaluation.objects.get()
    assert response.url == reverse("evaluation_entry", args=[evaluation.pk])
    assert (evaluation.project, evaluation.year, evaluation.goal_expected) == (approved.project, 2023, "完成年度任务。")
    rows = list(evaluation.indicators.values_list("level1", "level2", "name", "target", "weight", "actual", "score"))
    assert rows == [(r.level1, r.level2, r.name, r.target, r.weight, "", Decimal("0.00")) for r in approved.indicators.all()]
    assert codes(evaluation) == []
    assert TargetEvent.objects.filter(action="start_evaluation", actor=staff).count() == 1
    assert WorkflowEvent.objects.filter(evaluation=evaluation, action="create").count() == 1
    page = client.get(response.url).content.decode()
    assert ">\n服务覆盖面</textarea>" in page and ">\n≥90(%)</textarea>" in page


def test_only_an_approved_table_starts_an_evaluation_and_only_once(client, staff):
    draft = make_table()
    client.force_login(staff)
    client.post(reverse("target_start_evaluation", args=[draft.pk]))
    assert not Evaluation.objects.exists()
    workflow.submit(draft, None)
    workflow.approve(draft, None)
    client.post(reverse("target_start_evaluation", args=[draft.pk]))
    response = client.post(reverse("target_start_evaluation", args=[draft.pk]), follow=True)
    assert Evaluation.objects.count() == 1 and "已经存在" in response.content.decode()


def test_a_changed_target_is_flagged_at_its_row_until_and_after_a_reason_is_given(client, staff, approved):
    evaluation = workflow.start_evaluation(approved, staff)
    figures = factory.clean_figures()
    figures.indicators[1].target = "≥80(%)"  # approved ≥90(%)
    client.force_login(staff)
    data = factory.entry_form_data(figures, evaluation.version)
    client.post(reverse("evaluation_entry", args=[evaluation.pk]), data)
    evaluation.refresh_from_db()
    assert codes(evaluation) == [("W_TARGET_CHANGED", 2)] and evaluation.has_flag("W_TARGET_CHANGED")
    [flag] = [f for f in evaluation.flags() if f.code == "W_TARGET_CHANGED"]
    assert "年度指标值：≥90(%) → ≥80(%)" in flag.message and "尚未说明调整理由" in flag.message

    page = client.get(reverse("evaluation_entry", args=[evaluation.pk])).content.decode()
    assert "年度指标值：≥90(%) → ≥80(%)" in page and reverse("evaluation_target_reasons", args=[evaluation.pk]) in page

    with pytest.raises(evaluation_workflow.WorkflowError, match="尚未说明调整理由"):
        evaluation_workflow.submit(evaluation, staff)

    reasons_url = reverse("evaluation_target_reasons", args=[evaluation.pk])
    assert "≥90(%) → ≥80(%)" in client.get(reasons_url).content.decode()
    too_long = client.post(reasons_url, {"key-0": "approved:2", "reason-0": "长" * 2001}, follow=True)
    assert "最多 2000 个字" in too_long.content.decode() and not TargetChangeReason.objects.exists()
    client.post(reasons_url, {"key-0": "approved:1", "reason-0": "写给另一处改动的理由"})  # no longer a difference
    assert not TargetChangeReason.objects.exists()
    client.post(reasons_url, {"key-0": "approved:2", "reason-0": "年中预算调减，覆盖面相应调整。"})
    assert TargetChangeReason.objects.get().reason == "年中预算调减，覆盖面相应调整。"
    assert WorkflowEvent.objects.filter(evaluation=evaluation, action="save", comment__contains="调整理由").exists()
    [flag] = [f for f in Evaluation.objects.get().flags() if f.code == "W_TARGET_CHANGED"]
    assert "调整理由：年中预算调减" in flag.message
    evaluation_workflow.submit(Evaluation.objects.get(), staff)
    assert Evaluation.objects.get().status == Evaluation.Status.SUBMITTED


def test_dropped_and_added_indicators_raise_it_too(staff, approved):
    evaluation = workflow.start_evaluation(approved, staff)
    figures = factory.clean_figures()
    figures.indicators[0] = factory.indicator("成本指标", "经济成本指标", "单位成本", "≤5(万元)", "4(万元)")
    evaluation.replace_figures(figures)
    evaluation.rescore()
    found = sorted(codes(Evaluation.objects.get()), key=str)
    assert found == [("W_TARGET_CHANGED", 1), ("W_TARGET_CHANGED", None)]


def test_the_reviewer_sees_it_at_the_cell_and_must_acknowledge_it(client, staff, approved):
    evaluation = workflow.start_evaluation(approved, staff)
    figures = factory.clean_figures()
    figures.indicators[0].weight, figures.indicators[1].weight = Decimal("40.00"), Decimal("40.00")
    figures.indicators[0].score, figures.indicators[1].score = Decimal("40.00"), Decimal("40.00")
    evaluation.replace_figures(factory.clean_figures(indicators=figures.indicators))
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.rescore(save=False)
    evaluation.save()
    reviewer = factory.make_reviewer()
    client.force_login(reviewer)
    page = client.get(reverse("review_evaluation", args=[evaluation.pk])).content.decode()
    assert "分值：50.00 → 40.00" in page and "改动绩效目标" in page
    url = reverse("review_approve", args=[evaluation.pk])
    client.post(url, {"version": evaluation.version, "acknowledged": ["W_OVERACHIEVED"]})
    assert Evaluation.objects.get().status == Evaluation.Status.SUBMITTED
    client.post(url, {"version": evaluation.version, "acknowledged": ["W_TARGET_CHANGED"]})
    assert Evaluation.objects.get().status == Evaluation.Status.APPROVED


def test_without_an_approved_table_nothing_is_compared(staff):
    make_table(status=Status.SUBMITTED)
    evaluation = factory.make_evaluation(figures=factory.clean_figures(indicators=factory.clean_figures().indicators[:1]))
    assert codes(evaluation) == []
    assert not any("调整理由" in problem for problem in evaluation_workflow.submission_problems(evaluation))


def test_imported_forms_are_compared_the_same_way(approved):
    """The importer scores a form from the figures it is writing (Evaluation.rescore(figures=…)); so are they compared."""
    evaluation = factory.make_evaluation(project=approved.project, figures=factory.clean_figures())
    figures = factory.clean_figures()
    figures.indicators[2].name = "群众满意度"
    flags = evaluation.rescore(save=True, figures=figures)
    assert [(f.code, f.indicator) for f in flags if f.code == "W_TARGET_CHANGED"] == [("W_TARGET_CHANGED", 3)]


def test_approving_targets_refreshes_the_flags_of_an_evaluation_that_exists_already(staff):
    table = make_table(status=Status.SUBMITTED)
    figures = factory.clean_figures()
    figures.indicators[0].name = "举办讲座"
    evaluation = factory.make_evaluation(project=table.project, figures=figures)
    assert not evaluation.has_flag("W_TARGET_CHANGED")
    workflow.approve(table, None)
    assert Evaluation.objects.get().has_flag("W_TARGET_CHANGED")


def test_a_new_imported_form_is_compared_before_it_is_created(approved):
    """New imported forms are scored before they are created in bulk (no primary key yet)."""
    figures = factory.clean_figures()
    figures.indicators[0].weight = Decimal("45.00")
    evaluation = Evaluation(project=approved.project, year=2023)
    flags = evaluation.rescore(save=False, figures=figures)
    [flag] = [f for f in flags if f.code == "W_TARGET_CHANGED"]
    assert flag.indicator == 1 and "分值：50.00 → 45.00" in flag.message and evaluation.has_flag("W_TARGET_CHANGED")
