"""Every status change of an evaluation: one function each, one transaction, its audit row inside it.

Each function locks the evaluation row first, so two people acting at the same moment
get exactly one transition; the other gets a WorkflowError with a Chinese message.
Pass `expected_version` (the version the person was looking at) to refuse acting on a form
that changed since their page was drawn.
"""

from django.db import transaction

from evaluations import form_checks, scoring
from evaluations.models import Evaluation, ReviewComment, WorkflowEvent

Status = Evaluation.Status
Action = WorkflowEvent.Action


class WorkflowError(Exception):
    """A transition that is not allowed now; the message is for the user."""


def _locked(evaluation, expected_version=None) -> Evaluation:
    locked = Evaluation.objects.select_for_update().prefetch_related("funding_lines", "indicators").get(pk=evaluation.pk)
    if expected_version is not None and locked.version != expected_version:
        raise WorkflowError(
            f"该自评表在您打开页面后已被修改（您看到的是第 {expected_version} 版，现在是第 {locked.version} 版），"
            "操作未执行。请查看最新内容后再操作。"
        )
    return locked


def _require_status(evaluation, allowed, doing):
    if evaluation.status not in allowed:
        raise WorkflowError(f"该自评表当前状态为“{evaluation.get_status_display()}”，不能{doing}。请刷新页面查看最新状态。")


def _move(evaluation, action, to_status, actor, comment=""):
    event = WorkflowEvent.objects.create(
        evaluation=evaluation, action=action, from_status=evaluation.status, to_status=to_status, actor=actor,
        comment=comment,
    )
    evaluation.status = to_status
    evaluation.version += 1
    evaluation._history_user = actor
    evaluation._change_reason = action.label  # names the action on the history row of this save
    evaluation.save(update_fields=["status", "version", "updated_at"])
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
    if not evaluation.indicators.all():
        problems.append("尚未填写绩效指标。")
    problems += form_checks.submission_problems(evaluation)
    return problems


@transaction.atomic
def submit(evaluation, actor, expected_version=None) -> Evaluation:
    evaluation = _locked(evaluation, expected_version)
    _require_status(evaluation, (Status.DRAFT, Status.RETURNED), "提交")
    problems = submission_problems(evaluation)
    if problems:
        raise WorkflowError("不能提交：" + "".join(problems))
    _move(evaluation, Action.SUBMIT, Status.SUBMITTED, actor)
    return evaluation


@transaction.atomic
def return_for_revision(evaluation, actor, comment: str, expected_version=None) -> Evaluation:
    comment = comment.strip()
    if not comment:
        raise WorkflowError("退回时必须填写退回意见。")
    evaluation = _locked(evaluation, expected_version)
    _require_status(evaluation, (Status.SUBMITTED,), "退回")
    _move(evaluation, Action.RETURN, Status.RETURNED, actor, comment)
    ReviewComment.objects.create(evaluation=evaluation, author=actor, text=f"退回：{comment}")
    return evaluation


@transaction.atomic
def approve(evaluation, actor, acknowledged_codes=(), comment: str = "", expected_version=None) -> Evaluation:
    """Approve a submitted evaluation; every warning code it carries must be acknowledged."""
    evaluation = _locked(evaluation, expected_version)
    _require_status(evaluation, (Status.SUBMITTED,), "审核通过")
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
    _require_status(evaluation, (Status.APPROVED,), "撤销审核")
    _move(evaluation, Action.UNAPPROVE, Status.SUBMITTED, actor, comment)
    ReviewComment.objects.create(evaluation=evaluation, author=actor, text=f"撤销审核：{comment}")
    return evaluation


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
