"""Who may see and do what: object scoping shared by every view.

- 填报人 see (and, while a form is theirs to fill, edit) their own unit's evaluations.
- 审核人 see and review every unit of their own department.
- 审计员 read every evaluation and the audit trail; they change nothing.
- 财政局审核人 see every department's approved and accepted forms, send them back to the department,
  and accept a department's year.
- 系统管理员 manage accounts and reference data in the admin site. They neither review nor read
  evaluations: keeping those who grant access apart from those who judge the forms (separation of
  duties), so they get 404 on every evaluation page like any other outsider.

Pages answer 404, not 403, to anyone outside their scope, so they do not reveal what exists.
"""

from evaluations import roles
from evaluations.models import Evaluation


def visible_evaluations(user):
    """填报人 see their unit, 审核人 their department, 审计员 everything (read-only)."""
    evaluations = Evaluation.objects.select_related("project__unit__department")
    if not user.is_authenticated:
        return evaluations.none()
    if user.is_superuser or roles.has_role(user, roles.AUDITOR):
        return evaluations
    if can_oversee(user):
        return overseen_evaluations(user)
    if roles.has_role(user, roles.REVIEWER) and roles.user_department(user):
        return evaluations.filter(department=roles.user_department(user))
    if roles.has_role(user, roles.STAFF) and roles.user_unit(user):
        return evaluations.filter(project__unit=roles.user_unit(user))
    return evaluations.none()


def can_review(user) -> bool:
    """Only a 审核人 with a department reviews; superusers too must hold the role."""
    return roles.has_role(user, roles.REVIEWER) and roles.user_department(user) is not None


def can_audit(user) -> bool:
    return roles.has_role(user, roles.AUDITOR)


def reviewable_evaluations(user):
    """The evaluations `user` may return, approve and unapprove: their department's, if a reviewer."""
    evaluations = Evaluation.objects.select_related("project__unit__department")
    if not can_review(user):
        return evaluations.none()
    return evaluations.filter(department=roles.user_department(user))


def can_oversee(user) -> bool:
    """The finance bureau's level: every department, what the departments have approved."""
    return roles.has_role(user, roles.FINANCE)


def overseen_evaluations(user):
    """What reaches the finance bureau: each department's approved (and accepted) forms."""
    evaluations = Evaluation.objects.select_related("project__unit__department")
    if not can_oversee(user):
        return evaluations.none()
    return evaluations.filter(status__in=(Evaluation.Status.APPROVED, Evaluation.Status.ACCEPTED))
