"""Every page of review, dashboard and audit, for every role: anonymous → sign-in, outsiders → 404, the right role → 200."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from evaluations.models import Evaluation, Evidence, ReviewComment, WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db

USERS = ["staff", "reviewer", "auditor", "administrator", "other_unit_staff", "other_department_reviewer", "no_role"]


@pytest.fixture
def people():
    department = factory.make_department()
    unit = factory.make_unit(department=department)
    other_department = factory.make_department("上海市财政局")
    return {
        "staff": factory.make_staff("staff", unit=unit),
        "reviewer": factory.make_reviewer("reviewer", department=department),
        "auditor": factory.make_auditor(),
        "administrator": factory.make_administrator(),
        "other_unit_staff": factory.make_staff("other_unit", unit=factory.make_unit("上海市科学技术情报研究所", department)),
        "other_department_reviewer": factory.make_reviewer("other_department", department=other_department),
        "no_role": factory.make_user("nobody"),
    }


@pytest.fixture
def evaluation(people):
    return factory.make_submitted_evaluation()


def only(*allowed, status=200):
    return {user: status if user in allowed else 404 for user in USERS}


# (url name, takes the evaluation's pk, expected status by user)
PAGES = [
    ("review_queue", False, only("reviewer", "other_department_reviewer")),
    ("review_evaluation", True, only("reviewer")),
    ("spot_check", True, only("reviewer")),
    ("dashboard", False, only("reviewer", "other_department_reviewer")),
    ("dashboard_export", False, only("reviewer", "other_department_reviewer")),
    ("audit_trail", False, only("auditor")),
    # 系统管理员 manage accounts, not forms: they do not read evaluations either.
    ("evaluation_detail", True, {**only("staff", "reviewer", "auditor")}),
]
ACTIONS = ["review_return", "review_approve", "review_unapprove", "review_comment"]


def url(name, evaluation, takes_pk=True):
    return reverse(name, args=[evaluation.pk]) if takes_pk else reverse(name)


@pytest.mark.parametrize("name, takes_pk, expected", PAGES, ids=[page[0] for page in PAGES])
@pytest.mark.parametrize("user", USERS)
def test_each_page_for_each_user(client, people, evaluation, name, takes_pk, expected, user):
    client.force_login(people[user])
    response = client.get(url(name, evaluation, takes_pk))
    assert response.status_code == expected[user]
    if response.status_code == 200 and user == "other_department_reviewer":
        assert evaluation.project.name not in response.content.decode(errors="ignore")


@pytest.mark.parametrize("user", USERS)
def test_evidence_downloads_like_its_form(client, people, evaluation, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = Evidence(evaluation=evaluation, position=None, original_name="验收报告.pdf", content_type="application/pdf",
                    size=9, uploaded_by=people["staff"])
    item.file.save("验收报告.pdf", ContentFile(b"%PDF-1.4\n"))
    client.force_login(people[user])
    assert client.get(reverse("evidence_download", args=[item.pk])).status_code == only("staff", "reviewer", "auditor")[user]
    client.logout()
    assert client.get(reverse("evidence_download", args=[item.pk])).url.startswith("/accounts/login/")


@pytest.mark.parametrize("name, takes_pk", [(page[0], page[1]) for page in PAGES] + [(a, True) for a in ACTIONS])
def test_anonymous_is_sent_to_sign_in(client, evaluation, name, takes_pk):
    for method in (client.get, client.post):
        response = method(url(name, evaluation, takes_pk))
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("user", [u for u in USERS if u != "reviewer"])
def test_only_the_departments_reviewer_may_act_and_others_change_nothing(client, people, evaluation, name, user):
    client.force_login(people[user])
    response = client.post(url(name, evaluation), {"version": evaluation.version, "comment": "试图操作", "text": "试图留言"})
    assert response.status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED and evaluation.version == 1
    assert not WorkflowEvent.objects.exists() and not ReviewComment.objects.exists()


@pytest.mark.parametrize("name", ACTIONS)
def test_review_actions_answer_only_post(client, people, evaluation, name):
    client.force_login(people["reviewer"])
    assert client.get(url(name, evaluation)).status_code == 405


def test_home_sends_reviewers_to_the_queue_and_auditors_to_the_trail(client, people):
    client.force_login(people["reviewer"])
    assert client.get("/").url == reverse("review_queue")
    client.force_login(people["auditor"])
    assert client.get("/").url == reverse("audit_trail")
    client.force_login(people["staff"])
    chain = [url for url, _ in client.get("/", follow=True).redirect_chain]
    assert reverse("review_queue") not in chain and reverse("audit_trail") not in chain


def test_the_navigation_shows_each_role_its_links(client, people):
    links = {"审核队列": reverse("review_queue"), "统计": reverse("dashboard"), "审计记录": reverse("audit_trail")}
    seen = {}
    for user in ("reviewer", "auditor", "staff"):
        client.force_login(people[user])
        page = client.get("/", follow=True).content.decode()
        seen[user] = {label for label, href in links.items() if f'href="{href}">{label}<' in page}
    assert seen == {"reviewer": {"审核队列", "统计"}, "auditor": {"审计记录"}, "staff": set()}


@pytest.mark.parametrize("role", ["auditor", "administrator", "finance"])
def test_the_import_pages_are_not_there_for_roles_that_import_nothing(client, role):
    client.force_login(factory.make_user(role, role, is_staff=role == "administrator"))
    assert client.get(reverse("import_upload")).status_code == 404
# --- Target tables, projects and monitoring (targets app) ----------------------------------------------

@pytest.fixture
def table(people):
    from targets.models import TargetTable
    from tests.targets_factory import make_table

    return make_table(status=TargetTable.Status.APPROVED)


def target_url(name, table, takes):
    if takes == "table":
        return reverse(name, args=[table.pk])
    if takes == "project":
        return reverse(name, args=[table.project_id])
    if takes == "evaluation":
        from evaluations.models import Evaluation

        evaluation = Evaluation.objects.filter(project=table.project).first() or factory.make_evaluation(table.project)
        return reverse(name, args=[evaluation.pk])
    return reverse(name)


# (url name, what it takes, expected status by user)
TARGET_PAGES = [
    ("target_tables", None, only("staff", "other_unit_staff", "reviewer", "other_department_reviewer", "auditor")),
    ("new_target_table", None, only("staff", "other_unit_staff")),
    ("target_table", "table", only("staff", "reviewer", "auditor")),
    ("target_export", "table", only("staff", "reviewer", "auditor")),
    ("monitoring_entry", "table", only("staff", "reviewer", "auditor")),
    ("monitoring_overview", None, only("reviewer", "other_department_reviewer")),
    ("project_years", "project", only("staff", "reviewer", "auditor")),
    ("evaluation_target_reasons", "evaluation", only("staff")),
]
TARGET_ACTIONS = [("target_approve", "table"), ("target_return", "table"), ("target_start_evaluation", "table"),
                  ("evaluation_target_check", "evaluation")]
# Who may post to each action, and what they get for a post without the rows the entry page would send.
TARGET_ACTION_OWNERS = {"target_approve": ("reviewer", 302), "target_return": ("reviewer", 302),
                        "target_start_evaluation": ("staff", 302), "evaluation_target_check": ("staff", 400)}


@pytest.mark.parametrize("name, takes, expected", TARGET_PAGES, ids=[page[0] for page in TARGET_PAGES])
@pytest.mark.parametrize("user", USERS)
def test_each_target_page_for_each_user(client, people, table, name, takes, expected, user):
    client.force_login(people[user])
    response = client.get(target_url(name, table, takes))
    assert response.status_code == expected[user]
    if response.status_code == 200 and user in ("other_department_reviewer", "other_unit_staff"):
        assert table.project.name not in response.content.decode(errors="ignore")


@pytest.mark.parametrize("name, takes", [(page[0], page[1]) for page in TARGET_PAGES] + TARGET_ACTIONS)
def test_anonymous_is_sent_to_sign_in_from_target_pages(client, table, name, takes):
    for method in (client.get, client.post):
        response = method(target_url(name, table, takes))
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("name, takes", TARGET_ACTIONS)
@pytest.mark.parametrize("user", USERS)
def test_target_actions_are_only_for_their_role(client, people, table, name, takes, user):
    from targets.models import TargetEvent

    client.force_login(people[user])
    allowed, status = TARGET_ACTION_OWNERS[name]
    url = target_url(name, table, takes)
    before = TargetEvent.objects.count()
    response = client.post(url, {"version": table.version, "comment": "试图操作"})
    if user == allowed:
        assert response.status_code == status
    else:
        assert response.status_code == 404 and TargetEvent.objects.count() == before
    assert client.get(url).status_code == 405  # only POST, whoever asks
