"""The escalation found by the attack on a production-mode server, replayed through the admin site: an
administrator who edits everything the admin site offers them about themselves (groups, their own account,
their own profile, a new profile for themselves) still gets 404 on every form, the queue and the audit trail.
Roles are a field of the profile with fixed choices, granted by someone else, not a renamable group."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.urls import reverse

from evaluations import roles
from evaluations.models import Department, Evaluation, Profile, Unit
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    return admin


def try_everything_on_oneself(client, admin):
    """Every change the admin site could offer an administrator that would widen their own duties."""
    department = Department.objects.get(name="上海市科学技术委员会")
    unit = Unit.objects.get(department=department)
    # The old escalation: rename the auditors' group away and one's own group into its name.
    group_pk = Group.objects.create(name="系统管理员").pk
    client.post(reverse("admin:auth_group_change", args=[group_pk]), {"name": "审计员", "permissions": []})
    client.post(reverse("admin:auth_group_add"), {"name": "审核人"})
    client.post(reverse("admin:auth_user_change", args=[admin.pk]), {
        "username": admin.username, "is_active": "on", "is_staff": "on", "is_superuser": "on",
        "groups": [group_pk], "user_permissions": list(Permission.objects.values_list("pk", flat=True)),
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    own = admin.profile
    for role, place in ((roles.AUDITOR, {}), (roles.REVIEWER, {"department": department.pk}),
                        (roles.STAFF, {"unit": unit.pk})):
        client.post(reverse("admin:evaluations_profile_change", args=[own.pk]),
                    {"user": admin.pk, "role": role, "unit": "", "department": "", **place})
    client.post(reverse("admin:evaluations_profile_delete", args=[own.pk]), {"post": "yes"})
    client.post(reverse("admin:evaluations_profile_add"),
                {"user": admin.pk, "role": roles.REVIEWER, "unit": "", "department": department.pk})


def test_an_administrator_who_edits_everything_still_sees_no_form(client, admin):
    approved_before = set(Evaluation.objects.filter(status=Evaluation.Status.APPROVED).values_list("pk", flat=True))
    try_everything_on_oneself(client, admin)

    admin = User.objects.get(pk=admin.pk)
    assert (admin.profile.role, admin.profile.unit, admin.profile.department) == (roles.ADMINISTRATOR, None, None)
    assert not admin.is_superuser and not admin.user_permissions.exists() and not admin.groups.exists()
    for evaluation in Evaluation.objects.all():
        for name in ("evaluation_detail", "evaluation_entry", "review_evaluation", "evaluation_export"):
            assert client.get(reverse(name, args=[evaluation.pk])).status_code == 404, name
        assert client.post(reverse("review_approve", args=[evaluation.pk]),
                           {"version": evaluation.version, "acknowledged": []}).status_code == 404
    for name in ("review_queue", "audit_trail", "dashboard", "dashboard_export", "finance_queue", "completeness"):
        assert client.get(reverse(name)).status_code == 404, name
    assert set(Evaluation.objects.filter(status=Evaluation.Status.APPROVED).values_list("pk", flat=True)) == approved_before


def test_the_admin_refuses_each_step_with_a_reason_not_an_error(client, admin):
    group = Group.objects.create(name="系统管理员")
    assert client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 403
    own_profile = reverse("admin:evaluations_profile_change", args=[admin.profile.pk])
    assert 'name="_save"' not in client.get(own_profile).content.decode()  # shown read-only
    assert client.post(own_profile, {"user": admin.pk, "role": roles.AUDITOR}).status_code == 403
    response = client.post(reverse("admin:evaluations_profile_add"),
                           {"user": admin.pk, "role": roles.AUDITOR, "unit": "", "department": ""})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()


def test_another_administrator_grants_the_role(client, admin):
    """Granting is still possible, by someone else: a second administrator changes the first one's profile."""
    other = factory.make_administrator("admin2")
    client.force_login(other)
    department = Department.objects.get(name="上海市科学技术委员会")
    response = client.post(reverse("admin:evaluations_profile_change", args=[admin.profile.pk]),
                           {"user": admin.pk, "role": roles.REVIEWER, "unit": "", "department": department.pk})
    assert response.status_code == 302
    assert Profile.objects.get(user=admin).role == roles.REVIEWER
    granted = Profile.history.filter(user=admin).latest("history_date")
    assert (granted.history_user, granted.role) == (other, roles.REVIEWER)
