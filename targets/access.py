"""Who sees which target tables and projects: the same scopes as evaluations.access.

填报人 their unit's, 审核人 their department's (and only they approve or return), 审计员 everything (read-only).
Everyone else, 系统管理员 included, gets 404."""

from evaluations import roles
from evaluations.access import can_review
from evaluations.models import Project
from targets.models import TargetTable


def _scoped(queryset, user, unit_path, department_path):
    if not user.is_authenticated:
        return queryset.none()
    if roles.has_role(user, roles.AUDITOR):
        return queryset
    if can_review(user):
        return queryset.filter(**{department_path: roles.user_department(user)})
    if roles.has_role(user, roles.STAFF) and roles.user_unit(user):
        return queryset.filter(**{unit_path: roles.user_unit(user)})
    return queryset.none()


def visible_tables(user):
    return _scoped(TargetTable.objects.select_related("project__unit__department"), user,
                   "project__unit", "project__unit__department")


def visible_projects(user):
    return _scoped(Project.objects.select_related("unit__department"), user, "unit", "unit__department")


def reviewable_tables(user):
    if not can_review(user):
        return TargetTable.objects.none()
    return TargetTable.objects.filter(project__unit__department=roles.user_department(user))


def staff_unit(user):
    return roles.user_unit(user) if roles.has_role(user, roles.STAFF) else None
