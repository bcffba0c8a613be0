"""Reference data every installation needs: the role groups and their admin permissions."""

from django.contrib.auth.models import Group, Permission

from evaluations import roles

# 系统管理员 manages accounts and reference data in the admin; evaluations are not theirs to change.
ADMINISTRATOR_MODELS = {
    "auth": ["user", "group"],
    "evaluations": ["department", "departmentflagrule", "unit", "project", "profile"],
}


def ensure_role_groups(**kwargs):
    for name in roles.ALL:
        Group.objects.get_or_create(name=name)
    administrators = Group.objects.get(name=roles.ADMINISTRATOR)
    for app_label, models in ADMINISTRATOR_MODELS.items():
        administrators.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
        )
    # Unlocking an account locked after repeated failed sign-ins is deleting its axes attempt; the sign-in
    # logs themselves stay out of the administrators' reach.
    administrators.permissions.add(*Permission.objects.filter(
        content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]))
