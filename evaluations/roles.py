"""Roles: a fixed property of each account, stored on its Profile, granted by someone else.

A role is one of the choices below, set in code: not a group whose name or permissions an
administrator could edit. What each role may do in the admin site is also set here
(RolePermissionBackend), so nothing an administrator can change in the admin widens a duty.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "填报人"
    REVIEWER = "reviewer", "审核人"
    AUDITOR = "auditor", "审计员"
    ADMINISTRATOR = "administrator", "系统管理员"
    FINANCE = "finance", "财政局审核人"


STAFF, REVIEWER, AUDITOR, ADMINISTRATOR, FINANCE = Role.STAFF, Role.REVIEWER, Role.AUDITOR, Role.ADMINISTRATOR, Role.FINANCE

# 系统管理员 manage accounts and reference data in the admin; evaluations are not theirs to change.
# Unlocking an account locked after repeated failed sign-ins is deleting its axes attempt; the sign-in
# logs themselves stay out of their reach.
ADMINISTRATOR_PERMISSIONS = {
    "auth": {"add_user", "change_user", "delete_user", "view_user"},
    "evaluations": {
        f"{action}_{model}"
        for model in ("department", "departmentflagrule", "unit", "project", "profile")
        for action in ("add", "change", "delete", "view")
    },
    "axes": {"view_accessattempt", "delete_accessattempt"},
}


def user_role(user) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    profile = getattr(user, "profile", None)
    return profile.role if profile and profile.role else None


def has_role(user, role: str) -> bool:
    return user_role(user) == role


def user_unit(user):
    profile = getattr(user, "profile", None)
    return profile.unit if profile else None


def user_department(user):
    profile = getattr(user, "profile", None)
    return profile.department if profile else None


class ProfileLoadingBackend(ModelBackend):
    """Django's sign-in by user name and password; each request's user comes with its profile, department
    and unit in the same query, since nearly every page asks for the role and the scope at once."""

    def get_user(self, user_id):
        user = (get_user_model()._default_manager.select_related("profile__department", "profile__unit")
                .filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None


class RolePermissionBackend(BaseBackend):
    """Admin-site permissions that follow from an account's role, as code says, not as stored."""

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not has_role(user_obj, ADMINISTRATOR):
            return set()
        return {f"{app}.{codename}" for app, codenames in ADMINISTRATOR_PERMISSIONS.items() for codename in codenames}

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))

