"""A target table's workflow: staff draft and submit, the department's reviewer returns or approves; approved tables
are locked. Each change is one transaction with its event row and history; refused changes leave nothing behind."""

from decimal import Decimal

import pytest

from targets import workflow
from targets.models import TargetEvent, TargetIndicator, TargetTable
from tests import factory
from tests.targets_factory import make_table, target_rows

pytestmark = pytest.mark.django_db
Status = TargetTable.Status
BUDGETS = {"budget": Decimal("100.00"), "budget_current_year": Decimal("100.00"), "budget_other": Decimal("0.00")}


def test_the_whole_way_leaves_an_event_and_history_for_each_step():
    staff, reviewer = factory.make_staff(), factory.make_reviewer()
    table = workflow.create_table(staff.profile.unit, 2024, staff, project_name="新项目")
    table = workflow.save_table(table, 1, "目标", BUDGETS, target_rows(), staff)
    table = workflow.submit(table, staff, expected_version=table.version)
    table = workflow.return_for_revision(table, reviewer, "指标值偏低", expected_version=table.version)
    table = workflow.save_table(table, table.version, "目标（修改）", BUDGETS, target_rows(), staff)
    table = workflow.submit(table, staff)
    table = workflow.approve(table, reviewer, "同意")
    events = list(TargetEvent.objects.values_list("action", "from_status", "to_status", "actor__username", "comment"))
    assert events == [
        ("create", "", "draft", "staff", ""), ("save", "draft", "draft", "staff", ""),
        ("submit", "draft", "submitted", "staff", ""), ("return", "submitted", "returned", "reviewer", "指标值偏低"),
        ("save", "returned", "returned", "staff", ""), ("submit", "returned", "submitted", "staff", ""),
        ("approve", "submitted", "approved", "reviewer", "同意"),
    ]
    assert table.history.count() == 7 and table.history.first().history_user == reviewer
    assert TargetIndicator.history.filter(history_user=staff).count() == 3


def test_saving_updates_rows_in_place_drops_the_missing_and_keeps_history():
    table = make_table()
    first = TargetIndicator.objects.get(table=table, position=1)
    rows = target_rows()[:2]
    rows[0].target = "≥3(场)"
    workflow.save_table(table, table.version, "目标", BUDGETS, rows, None)
    assert list(TargetIndicator.objects.filter(table=table).values_list("position", "target")) == [(1, "≥3(场)"), (2, "≥90(%)")]
    assert TargetIndicator.objects.get(position=1).pk == first.pk
    assert [h.target for h in first.history.all()] == ["≥3(场)", "=2(场)"]


def test_an_approved_table_is_locked():
    table = make_table(status=Status.APPROVED)
    for change in (lambda: workflow.save_table(table, table.version, "改", BUDGETS, target_rows(), None),
                   lambda: workflow.submit(table, None), lambda: workflow.approve(table, None),
                   lambda: workflow.return_for_revision(table, None, "再改")):
        with pytest.raises(workflow.TargetError, match="已批准"):
            change()
    assert TargetTable.objects.get().version == table.version


def test_a_stale_page_changes_nothing():
    table = make_table()
    with pytest.raises(workflow.TargetError, match="已被他人修改"):
        workflow.save_table(table, table.version - 1, "旧页面", BUDGETS, [], None)
    with pytest.raises(workflow.TargetError, match="第 1 版"):
        workflow.submit(table, None, expected_version=1)
    assert TargetIndicator.objects.count() == 3 and TargetTable.objects.get().goal == "完成年度任务。"


def test_an_incomplete_table_cannot_be_submitted():
    table = make_table(rows=target_rows()[:1], goal="")
    with pytest.raises(workflow.TargetError) as refused:
        workflow.submit(table, None)
    assert "尚未填写年度总体目标" in str(refused.value) and "缺少效益指标、满意度指标" in str(refused.value)
    assert "指标分值合计为 50.00，应为 90.00（预算执行占 10.00 分）" in str(refused.value)
    assert TargetTable.objects.get().status == Status.DRAFT


def test_returning_needs_a_comment_and_a_submitted_table():
    table = make_table(status=Status.SUBMITTED)
    with pytest.raises(workflow.TargetError, match="退回意见"):
        workflow.return_for_revision(table, None, "  ")
    draft = make_table(project=factory.make_project("另一个项目"))
    with pytest.raises(workflow.TargetError, match="草稿"):
        workflow.return_for_revision(draft, None, "退回")


def test_one_table_per_project_and_year():
    table = make_table()
    with pytest.raises(workflow.TargetError, match="已经存在"):
        workflow.create_table(table.project.unit, 2023, None, project=table.project)
    assert TargetTable.objects.count() == 1
