"""Who may import which forms: staff their own unit's, reviewers their department's."""

from evaluations import roles


def can_import(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if roles.has_role(user, roles.REVIEWER) and roles.user_department(user):
        return True
    return roles.has_role(user, roles.STAFF) and roles.user_unit(user) is not None


def scope_problem(user, form) -> str:
    """Why `user` may not import `form`, or "" when they may."""
    if user.is_superuser:
        return ""
    department = roles.user_department(user)
    if roles.has_role(user, roles.REVIEWER) and department:
        if form.department == department.name:
            return ""
        return f"此表的主管部门“{form.department}”不是您所在的“{department.name}”，不能导入。"
    unit = roles.user_unit(user)
    if unit and form.unit == unit.name and form.department == unit.department.name:
        return ""
    return f"此表的实施单位“{form.unit}”不是您所在的单位，不能导入。"
