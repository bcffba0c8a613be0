"""Every status change of an evaluation: one function each, one transaction, its audit row inside it.

Each function locks the evaluation row first, so two people acting at the same moment
get exactly one transition; the other gets a WorkflowError with a Chinese message.
Pass `expected_version` (the version the person was looking at) to refuse acting on a form
that changed since their page was drawn.
"""

from django.db import transaction

from django.utils import timezone

from evaluations import form_checks, notifications, scoring, tallies
from evaluations.completeness import missing_projects
from evaluations.models import DepartmentYear, Evaluation, ReviewComment, WorkflowEvent

Status = Evaluation.Status
Action = WorkflowEvent.Action


class WorkflowError(Exception):
    """A transition that is not allowed now; the message is for the user."""


def lock(queryset, pk, expected_version=None, document="自评表", error=WorkflowError):
    """The row `pk` of `queryset`, locked for this transaction; refused when it is no longer the version the
    person was looking at. Shared by every document with a workflow (自评表, 绩效目标表)."""
    locked = queryset.select_for_update().get(pk=pk)
    if expected_version is not None and locked.version != expected_version:
        raise error(
            f"该{document}在您打开页面后已被修改（您看到的是第 {expected_version} 版，现在是第 {locked.version} 版），"
            "操作未执行。请查看最新内容后再操作。"
        )
    return locked


def require_status(document_row, allowed, doing, document="自评表", error=WorkflowError):
    if document_row.status not in allowed:
        raise error(f"该{document}当前状态为“{document_row.get_status_display()}”，不能{doing}。请刷新页面查看最新状态。")


def _locked(evaluation, expected_version=None) -> Evaluation:
    return lock(Evaluation.objects.prefetch_related("funding_lines", "indicators"), evaluation.pk, expected_version)


def _move(evaluation, action, to_status, actor, comment=""):
    event = WorkflowEvent.objects.create(
        evaluation=evaluation, action=action, from_status=evaluation.status, to_status=to_status, actor=actor,
        comment=comment,
    )
    evaluation.status = to_status
    evaluation.version += 1
    if to_status == Status.SUBMITTED and evaluation.submitted_at is None:
        evaluation.submitted_at = event.created_at
    evaluation._history_user = actor
    evaluation._change_reason = action.label  # names the action on the history row of this save
    evaluation.save(update_fields=["status", "version", "submitted_at", "updated_at"])
    return event


def submission_problems(evaluation) -> list[str]:
    """Why the evaluation cannot be submitted yet; empty when it can."""
    problems = []
    flags = evaluation.flags()
    errors = [f for f in flags if f.severity == scoring.ERROR]
    if errors:
        problems.append(f"还有 {len(errors)} 个错误标记需要改正。")
    if any(f.code == "W_DEDUCTION_UNEXPLAINED" for f in flags):
        problems.append("有扣分的指标未填写偏差原因分析及改进措施。")
    missing = evaluation.missing()
    if missing:
        problems.append(f"尚未填写：{'；'.join(missing)}。")
    problems += form_checks.submission_problems(evaluation)
    return problems


@transaction.atomic
def submit(evaluation, actor, expected_version=None) -> Evaluation:
    evaluation = _locked(evaluation, expected_version)
    require_status(evaluation, (Status.DRAFT, Status.RETURNED), "提交")
    problems = submission_problems(evaluation)
    if problems:
        raise WorkflowError("不能提交：" + "".join(problems))
    _move(evaluation, Action.SUBMIT, Status.SUBMITTED, actor)
    notifications.notify(notifications.department_reviewers(evaluation.department), notifications.Kind.SUBMITTED,
                         f"{evaluation.unit.name}提交了“{evaluation}”，等待审核。", evaluation)
    return evaluation


@transaction.atomic
def return_for_revision(evaluation, actor, comment: str, expected_version=None) -> Evaluation:
    comment = comment.strip()
    if not comment:
        raise WorkflowError("退回时必须填写退回意见。")
    evaluation = _locked(evaluation, expected_version)
    require_status(evaluation, (Status.SUBMITTED,), "退回")
    _move(evaluation, Action.RETURN, Status.RETURNED, actor, comment)
    ReviewComment.objects.create(evaluation=evaluation, author=actor, text=f"退回：{comment}")
    notifications.notify(notifications.unit_staff(evaluation.unit), notifications.Kind.RETURNED,
                         f"“{evaluation}”被退回修改：{comment}", evaluation)
    return evaluation


@transaction.atomic
def approve(evaluation, actor, acknowledged_codes=(), comment: str = "", expected_version=None) -> Evaluation:
    """Approve a submitted evaluation; every warning code it carries must be acknowledged."""
    evaluation = _locked(evaluation, expected_version)
    require_status(evaluation, (Status.SUBMITTED,), "审核通过")
    flags = evaluation.flags()
    if any(f.severity == scoring.ERROR for f in flags):
        raise WorkflowError("该自评表有错误标记，不能审核通过，请退回修改。")
    unacknowledged = sorted({f.code for f in flags if f.severity == scoring.WARNING} - set(acknowledged_codes))
    if unacknowledged:
        raise WorkflowError("请逐项确认警告后再审核通过：" + "、".join(unacknowledged))
    _move(evaluation, Action.APPROVE, Status.APPROVED, actor, comment.strip())
    if comment.strip():
        ReviewComment.objects.create(evaluation=evaluation, author=actor, text=f"审核通过：{comment.strip()}")
    return evaluation


@transaction.atomic
def unapprove(evaluation, actor, comment: str, expected_version=None) -> Evaluation:
    comment = comment.strip()
    if not comment:
        raise WorkflowError("撤销审核时必须说明理由。")
    evaluation = _locked(evaluation, expected_version)
    require_status(evaluation, (Status.APPROVED,), "撤销审核")
    _move(evaluation, Action.UNAPPROVE, Status.SUBMITTED, actor, comment)
    ReviewComment.objects.create(evaluation=evaluation, author=actor, text=f"撤销审核：{comment}")
    return evaluation


@transaction.atomic
def return_to_department(evaluation, actor, comment: str, expected_version=None) -> Evaluation:
    """The finance bureau sends an approved form back to its department's reviewer (status 已提交), who then
    returns it to the unit or fixes it with them."""
    comment = comment.strip()
    if not comment:
        raise WorkflowError("退回主管部门时必须填写退回意见。")
    evaluation = _locked(evaluation, expected_version)
    require_status(evaluation, (Status.APPROVED,), "退回主管部门")
    _move(evaluation, Action.FINANCE_RETURN, Status.SUBMITTED, actor, comment)
    ReviewComment.objects.create(evaluation=evaluation, author=actor, text=f"财政局退回：{comment}")
    notifications.notify(notifications.department_reviewers(evaluation.department), notifications.Kind.FINANCE_RETURNED,
                         f"财政局退回了“{evaluation}”：{comment}", evaluation)
    return evaluation


def acceptance_problems(department, year) -> list[str]:
    """Why the finance bureau cannot accept the department's year yet; empty when it can."""
    evaluations = Evaluation.objects.filter(department=department, year=year)
    problems = []
    waiting = evaluations.exclude(status__in=(Status.APPROVED, Status.ACCEPTED)).count()
    if waiting:
        problems.append(f"还有 {waiting} 份自评表未经主管部门审核通过。")
    missing = missing_projects(department, year)
    if missing:
        problems.append(f"还有 {len(missing)} 个应报项目没有自评表：{'、'.join(p.name for p in missing[:5])}"
                        f"{'等' if len(missing) > 5 else ''}。")
    if not evaluations.exists():
        problems.append("该部门本年度还没有任何自评表。")
    return problems


def _locked_year(department, year) -> DepartmentYear:
    DepartmentYear.objects.get_or_create(department=department, year=year)
    return DepartmentYear.objects.select_for_update().get(department=department, year=year)


@tallies.deferred()
def _move_year(department_year, from_status, action, to_status, actor, comment):
    evaluations = Evaluation.objects.select_for_update().filter(
        department=department_year.department, year=department_year.year, status=from_status)
    for evaluation in evaluations:
        _move(evaluation, action, to_status, actor, comment)
    department_year._history_user = actor
    department_year._change_reason = action.label
    department_year.save()


@transaction.atomic
def accept_department_year(department, year, actor, comment: str = "") -> DepartmentYear:
    """The finance bureau accepts every form of a department's year at once; they are then locked for the
    department too. Only when every expected form is there and approved (a higher level approves only what
    every level below has approved)."""
    department_year = _locked_year(department, year)
    if department_year.accepted_at:
        raise WorkflowError(f"{department_year}已于 {timezone.localtime(department_year.accepted_at):%Y-%m-%d %H:%M} 接收。")
    problems = acceptance_problems(department, year)
    if problems:
        raise WorkflowError("还不能接收：" + "".join(problems))
    department_year.accepted_at, department_year.accepted_by = timezone.now(), actor
    _move_year(department_year, Status.APPROVED, Action.ACCEPT, Status.ACCEPTED, actor, comment.strip())
    notifications.notify(notifications.department_reviewers(department), notifications.Kind.ACCEPTED,
                         f"财政局已接收{department_year}的全部自评表。")
    return department_year


@transaction.atomic
def unaccept_department_year(department, year, actor, comment: str) -> DepartmentYear:
    comment = comment.strip()
    if not comment:
        raise WorkflowError("撤销接收时必须说明理由。")
    department_year = _locked_year(department, year)
    if not department_year.accepted_at:
        raise WorkflowError(f"{department_year}尚未接收，无需撤销。")
    department_year.accepted_at = department_year.accepted_by = None
    _move_year(department_year, Status.ACCEPTED, Action.UNACCEPT, Status.APPROVED, actor, comment)
    notifications.notify(notifications.department_reviewers(department), notifications.Kind.UNACCEPTED,
                         f"财政局撤销了对{department_year}的接收：{comment}")
    return department_year


@transaction.atomic
def set_due_date(department, year, due_date, actor) -> DepartmentYear:
    """The finance bureau sets when a department's forms of `year` are due (None: no due date); the
    department's tallies are recounted in the same transaction (tallies: which forms are late)."""
    department_year, _ = DepartmentYear.objects.get_or_create(department=department, year=year)
    department_year.due_date = due_date
    department_year._history_user = actor
    department_year._change_reason = "设定截止日期"
    department_year.save(update_fields=["due_date"])
    return department_year


def add_comment(evaluation, author, text: str) -> ReviewComment:
    text = text.strip()
    if not text:
        raise WorkflowError("意见内容不能为空。")
    return ReviewComment.objects.create(evaluation=evaluation, author=author, text=text)


def record(evaluation, action, actor, from_status="", comment="") -> WorkflowEvent:
    """Log an action that changes content rather than status (create, save, import); call inside its transaction."""
    return WorkflowEvent.objects.create(
        evaluation=evaluation, action=action, from_status=from_status, to_status=evaluation.status, actor=actor,
        comment=comment,
    )
