"""The four roles are Django groups; where a user works is their Profile."""

STAFF = "填报人"
REVIEWER = "审核人"
AUDITOR = "审计员"
ADMINISTRATOR = "系统管理员"
ALL = (STAFF, REVIEWER, AUDITOR, ADMINISTRATOR)


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    # Group names are cached on the user object so templates and views can ask repeatedly.
    if not hasattr(user, "_zpb_roles"):
        user._zpb_roles = set(user.groups.values_list("name", flat=True))
    return role in user._zpb_roles


def user_unit(user):
    profile = getattr(user, "profile", None)
    return profile.unit if profile else None


def user_department(user):
    profile = getattr(user, "profile", None)
    return profile.department if profile else None
