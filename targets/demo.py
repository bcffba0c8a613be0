"""Demo target tables for `manage.py load_demo` (evaluations.signals.demo_loaded): each sample form's 2023
targets (its own indicators, approved), three 2023 monitorings (a red, a yellow and a green light), and a 2024
year for two projects: one waiting for the reviewer with a target below 2023's actual, one approved and monitored."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User

from evaluations import roles
from evaluations.models import Evaluation
from targets import workflow
from targets.models import TargetTable

# 2023 spending by 30 June (万元): against 49.58 % of the year gone, red, yellow and green.
MONITORED_2023 = {"火灾报警系统升级改造": "8.00", "技术转移合作": "15.00", "绿色技术银行综合管理与运行": "70.00"}
# 2024: one table waiting for the reviewer, its 系统账号开通率 target (≥95 %) below 2023's 100 %; one approved.
SUBMITTED_2024 = "信息化建设项目"
LOWER_2024 = {"系统账号开通率": "≥95(%)"}
APPROVED_2024 = "国内外科技合作交流"


def _rows(evaluation, changed=None):
    changed = changed or {}
    return [workflow.IndicatorValues(row.level1, row.level2, row.name, changed.get(row.name, row.target), row.weight)
            for row in evaluation.indicators.all()]


def _budgets(amount):
    return {"budget": amount, "budget_current_year": amount, "budget_other": Decimal("0.00")}


def _table(evaluation, year, staff, changed=None):
    table = workflow.create_table(evaluation.project.unit, year, staff, project=evaluation.project)
    return workflow.save_table(table, table.version, evaluation.goal_expected, _budgets(evaluation.total_budget),
                               _rows(evaluation, changed), staff)


def _people():
    """(the demo staff of each unit, the demo reviewer of each department), by their ids: each table is
    written by its own unit's staff and approved by its own department's reviewer."""
    # Newest first, so that the first account made for a unit or department is the one kept.
    users = User.objects.filter(profile__role__in=[roles.STAFF, roles.REVIEWER]).select_related("profile").order_by("-pk")
    staff = {user.profile.unit_id: user for user in users if user.profile.role == roles.STAFF}
    reviewers = {user.profile.department_id: user for user in users if user.profile.role == roles.REVIEWER}
    return staff, reviewers


def load(sender=None, **kwargs):
    if TargetTable.objects.filter(year=2023).exists():
        return None  # loaded before
    staff_of, reviewer_of = _people()
    samples = list(Evaluation.objects.filter(year=2023).select_related("project__unit").prefetch_related("indicators"))
    for evaluation in samples:
        staff, reviewer = staff_of[evaluation.unit_id], reviewer_of[evaluation.department_id]
        table = workflow.submit(_table(evaluation, 2023, staff), staff)
        table = workflow.approve(table, reviewer, "样例：随预算批准。")
        spent = MONITORED_2023.get(evaluation.project.name)
        if spent:
            workflow.record_monitoring(table, datetime.date(2023, 6, 30), Decimal(spent), {}, staff)
    by_name = {evaluation.project.name: evaluation for evaluation in samples}
    if SUBMITTED_2024 in by_name:
        staff = staff_of[by_name[SUBMITTED_2024].unit_id]
        workflow.submit(_table(by_name[SUBMITTED_2024], 2024, staff, LOWER_2024), staff)
    if APPROVED_2024 in by_name:
        evaluation = by_name[APPROVED_2024]
        staff, reviewer = staff_of[evaluation.unit_id], reviewer_of[evaluation.department_id]
        table = workflow.approve(workflow.submit(_table(evaluation, 2024, staff), staff), reviewer)
        first = table.indicators.first()
        workflow.record_monitoring(table, datetime.date(2024, 6, 30), Decimal("200.00"),
                                   {first.pk: "已举办 2 次"} if first else {}, staff)
    return f"绩效目标表：样例 2023 年度 {len(samples)} 份（已批准），2024 年度 2 份（一份待审核，一份已批准并有运行监控）"
