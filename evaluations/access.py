"""Which evaluations a user may see: object scoping shared by every view."""

from evaluations import roles
from evaluations.models import Evaluation


def visible_evaluations(user):
    """填报人 see their unit, 审核人 their department, 审计员 everything (read-only)."""
    evaluations = Evaluation.objects.select_related("project__unit__department")
    if not user.is_authenticated:
        return evaluations.none()
    if user.is_superuser or roles.has_role(user, roles.AUDITOR):
        return evaluations
    if roles.has_role(user, roles.REVIEWER) and roles.user_department(user):
        return evaluations.filter(project__unit__department=roles.user_department(user))
    if roles.has_role(user, roles.STAFF) and roles.user_unit(user):
        return evaluations.filter(project__unit=roles.user_unit(user))
    return evaluations.none()
