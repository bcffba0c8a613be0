"""Separation of duties on the demo accounts: 系统管理员 manage accounts and reference data but never judge or
fill in a form, and cannot widen their own rights; 审计员 change nothing; nobody needs superuser status."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.urls import reverse

from evaluations import roles
from evaluations.models import Department, Evaluation, Unit
from importer.models import StagedImport
from tests import factory
from tests.whole_site import admin_url, admin_url_names, site_url, site_url_names, snapshot

pytestmark = pytest.mark.django_db

SIGNED_IN = {"login", "password_change", "password_change_done", "notifications"}  # every account's own pages
FORM_OUTPUTS = {"evaluation_export", "evaluation_print", "evaluation_pdf"}  # whoever reads a form may print it
TARGETS_READ = {"target_tables", "target_table", "target_export", "monitoring_entry", "project_years"}
PAGES = {
    "staff": SIGNED_IN | FORM_OUTPUTS | TARGETS_READ | {
        "staff_home", "new_evaluation", "evaluation_detail", "evaluation_entry", "evaluations_export", "import_upload",
        "import_preview", "import_result", "evaluation_report", "report_texts", "new_target_table",
        "evaluation_target_reasons", "import_target_tables"},
    "reviewer": SIGNED_IN | FORM_OUTPUTS | TARGETS_READ | {
        "review_queue", "review_evaluation", "spot_check", "dashboard", "dashboard_export", "evaluation_detail",
        "evaluations_export", "import_upload", "import_preview", "import_result", "completeness", "completeness_export",
        "department_reports", "summary_report", "evaluation_report", "report_texts", "monitoring_overview",
        "import_target_tables"},
    # The demo's fire-alarm form is not approved yet: not the finance bureau's to see.
    "finance": SIGNED_IN | {"finance_queue", "completeness", "completeness_export", "evaluations_export", "dashboard",
                            "dashboard_export"},
    "auditor": SIGNED_IN | FORM_OUTPUTS | TARGETS_READ | {
        "audit_trail", "evaluation_detail", "evaluations_export", "department_reports", "summary_report",
        "evaluation_report"},
    "admin": SIGNED_IN,  # home sends them to the admin site, where their work is
}
ADMINISTRATOR_ADMIN_PAGES = [
    f"admin:{model}_{page}" for model in ("auth_user", "evaluations_department", "evaluations_unit",
                                          "evaluations_project", "evaluations_profile") for page in ("changelist", "add")
] + ["admin:index", "admin:axes_accessattempt_changelist", "admin:evaluations_unit_import", "admin:evaluations_unit_export"]
EVALUATION_MODELS = ["evaluation", "fundingline", "indicator", "workflowevent", "reviewcomment", "historicalevaluation",
                     "historicalfundingline", "historicalindicator"]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    users = {user.username: user for user in User.objects.all()}
    for user in (users["staff"], users["reviewer"]):
        StagedImport.objects.create(created_by=user)
        StagedImport.objects.create(created_by=user, completed_at="2026-01-01T00:00:00Z", result={"forms": [], "errors": []})
    return users


def demo_url(name, user):
    """The URL `name` for a real object: the demo unit's evaluation, or the user's own staged import."""
    staged = StagedImport.objects.filter(created_by=user, completed_at__isnull=name != "import_result").first()
    return site_url(name, Evaluation.objects.get(project__name="火灾报警系统升级改造"), staged or StagedImport(pk=0))


@pytest.mark.parametrize("username", list(PAGES))
def test_each_role_gets_its_pages_without_being_a_superuser(client, demo, username):
    user = demo[username]
    assert not user.is_superuser
    client.force_login(user)
    answered = {}
    for name, names in site_url_names().items():
        answered[name] = client.get(demo_url(name, user)).status_code
    assert {name for name, status in answered.items() if status == 200} == PAGES[username]
    assert set(answered.values()) <= {200, 302, 403, 404, 405}


def test_the_administrator_does_daily_work_in_the_admin_without_superuser_status(client, demo):
    client.force_login(demo["admin"])
    for name in ADMINISTRATOR_ADMIN_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("admin:auth_user_change", args=[demo["staff"].pk])).status_code == 200


def test_the_administrator_has_no_right_over_evaluations(client, demo):
    rights = demo["admin"].get_all_permissions()
    assert not {right for right in rights if right.split(".")[1].rsplit("_", 1)[1] in EVALUATION_MODELS}
    client.force_login(demo["admin"])
    evaluation = Evaluation.objects.get(project__name="火灾报警系统升级改造")
    changelists = [f"admin:evaluations_{model}_changelist" for model in EVALUATION_MODELS]
    for name in set(changelists) & set(admin_url_names()):  # funding lines are only an inline of evaluations
        assert client.get(reverse(name)).status_code == 403, name
    change = reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    assert client.get(change).status_code == 403


def test_the_administrator_cannot_approve_return_edit_or_submit(client, demo):
    evaluation = Evaluation.objects.get(project__name="火灾报警系统升级改造")
    client.force_login(demo["admin"])
    before = snapshot()
    review = {"version": evaluation.version, "comment": "管理员不该能做的事", "text": "管理员留言", "acknowledged": []}
    for name in ("review_approve", "review_return", "review_unapprove", "review_comment"):
        assert client.post(reverse(name, args=[evaluation.pk]), review).status_code == 404, name
    entry = factory.entry_form_data(evaluation.figures(), evaluation.version, action="submit", goal_actual="管理员改的")
    assert client.post(reverse("evaluation_entry", args=[evaluation.pk]), entry).status_code == 404
    assert client.post(reverse("new_evaluation"), {"year": 2024, "new_project_name": "管理员的项目"}).status_code == 404
    admin_change = factory.admin_change_data(evaluation, goal_actual="管理员改的")
    assert client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), admin_change).status_code == 403
    assert client.post(reverse("admin:evaluations_evaluation_add"), admin_change).status_code == 403
    assert snapshot() == before


def test_the_administrator_manages_accounts_reference_data_and_unlocks(client, demo):
    client.force_login(demo["admin"])
    response = client.post(reverse("admin:auth_user_add"), {
        "username": "newstaff", "password1": "Zpb-new-2026!", "password2": "Zpb-new-2026!", "usable_password": "true"})
    assert response.status_code == 302 and User.objects.filter(username="newstaff").exists()
    new = User.objects.get(username="newstaff")
    department = Department.objects.get(name="上海市科学技术委员会")
    response = client.post(reverse("admin:evaluations_profile_add"), profile_data(new, roles.REVIEWER, department=department))
    assert response.status_code == 302 and roles.has_role(User.objects.get(pk=new.pk), roles.REVIEWER)
    response = client.post(reverse("admin:evaluations_unit_add"), {"department": department.pk, "name": "新单位"})
    assert response.status_code == 302 and Unit.objects.filter(name="新单位").exists()

    AccessAttempt.objects.create(username="staff", ip_address="10.0.0.1", failures_since_start=5)
    attempt = AccessAttempt.objects.get()
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 403  # the sign-in log is not theirs


def user_change_data(user, **changes):
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": "",
            "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def profile_data(user, role, unit=None, department=None):
    return {"user": user.pk, "role": role, "unit": unit.pk if unit else "", "department": department.pk if department else ""}


def test_the_administrator_cannot_widen_their_own_rights(client, demo):
    admin = demo["admin"]
    client.force_login(admin)
    before = snapshot()
    everything = list(Permission.objects.values_list("pk", flat=True))
    own = user_change_data(admin, is_superuser="on", user_permissions=everything)
    client.post(reverse("admin:auth_user_change", args=[admin.pk]), own)
    admin.refresh_from_db()
    assert not admin.is_superuser and not admin.user_permissions.exists()
    staff = demo["staff"]
    client.post(reverse("admin:auth_user_change", args=[staff.pk]), user_change_data(staff, is_superuser="on"))
    assert not User.objects.get(pk=staff.pk).is_superuser
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert not admin.has_perm("evaluations.change_evaluation")
    assert snapshot()[2:] == before[2:]


def test_an_account_holds_one_role_which_needs_its_place(client, demo):
    client.force_login(demo["admin"])
    new = User.objects.create_user("newreviewer", password=factory.PASSWORD)
    response = client.post(reverse("admin:evaluations_profile_add"), profile_data(new, roles.REVIEWER))
    assert response.status_code == 200 and "审核人须指定主管部门。" in response.content.decode()
    assert not hasattr(User.objects.get(pk=new.pk), "profile")


NOT_CHANGES = {"login", "logout", "admin:login", "admin:logout"}  # signing in and out
OWN_PASSWORD = {"password_change", "admin:password_change"}  # an auditor too keeps their password fresh
OWN_SETTINGS = {"notifications_read", "notifications_mail"}  # and reads their notifications, mail on or off
# The queue's selection posted for a download; a publication package asked for (built from approved forms, kept
# for the one who asked, no form changed).
READS = {"evaluations_export", "request_package"}
# Pages that only read and answer any method alike: a POST to them gets the page the auditor may see anyway.
READ_ONLY = {"home", "evaluation_detail", "evaluation_export", "evaluation_report", "evaluation_print", "evaluation_pdf",
             "notifications"}


def test_every_post_by_an_auditor_is_refused_and_changes_nothing(client, demo):
    client.force_login(demo["auditor"])
    evaluation = Evaluation.objects.get(project__name="火灾报警系统升级改造")
    data = {
        **factory.entry_form_data(evaluation.figures(), evaluation.version, action="submit", goal_actual="审计员改的"),
        "comment": "审计员不该能做的事", "text": "审计员留言", "year": 2024, "new_project_name": "审计员的项目",
        "action": "delete_selected", "_selected_action": ["1"], "post": "yes", "name": "审计员改的",
    }
    before = snapshot()
    answers = {}
    for name, names in {**site_url_names(), **admin_url_names()}.items():
        if name in NOT_CHANGES | OWN_PASSWORD | OWN_SETTINGS | READS:
            continue
        if name.startswith("admin:"):
            url = admin_url(name, names)
        else:
            url = demo_url(name, demo["staff"])
        response = client.post(url, data)
        answers[name] = response.status_code
        if name.startswith("admin:"):
            # Auditors are not staff: the admin site sends them to its sign-in page, whatever they post.
            assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), name
        elif name in READ_ONLY:
            assert response.status_code == client.get(url).status_code, name
        else:
            assert response.status_code in (403, 404, 405), name
        assert snapshot() == before, name
    assert len(answers) > 100  # the whole site was tried, the admin included
