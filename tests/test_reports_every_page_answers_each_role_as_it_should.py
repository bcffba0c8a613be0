"""Every report page for every role: anonymous → sign-in, outsiders → 404, the right role → 200.

A form's report: those who see the form (its unit's staff, its department's reviewer, auditors); its texts:
the unit's staff and the department's reviewer. The department's documents: reviewers (their own
department) and auditors. A package: only the person who asked for it."""

import pytest
from django.urls import reverse

from reports.models import PublicationPackage
from tests import factory
from tests.test_roles_every_page_answers_each_role_as_it_should import USERS, only, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(people):
    return factory.make_submitted_evaluation()


@pytest.fixture
def package(people, evaluation):
    """A finished package of the reviewer's (no file needed to answer the status pages)."""
    return PublicationPackage.objects.create(requested_by=people["reviewer"], department=evaluation.department,
                                             year=2023, status=PublicationPackage.Status.FAILED, error="示例")


PAGES = [
    ("department_reports", None, only("reviewer", "other_department_reviewer", "auditor")),
    ("summary_report", None, only("reviewer", "other_department_reviewer", "auditor")),
    ("evaluation_report", "evaluation", only("staff", "reviewer", "auditor")),
    ("report_texts", "evaluation", only("staff", "reviewer")),
    ("package_status", "package", only("reviewer")),
    ("package_progress", "package", only("reviewer")),
]


def url(name, argument, evaluation, package):
    objects = {"evaluation": evaluation, "package": package}
    return reverse(name, args=[objects[argument].pk]) if argument else reverse(name)


@pytest.mark.parametrize("name, argument, expected", PAGES, ids=[page[0] for page in PAGES])
@pytest.mark.parametrize("user", USERS)
def test_each_page_for_each_user(client, people, evaluation, package, name, argument, expected, user):
    client.force_login(people[user])
    response = client.get(url(name, argument, evaluation, package))
    assert response.status_code == expected[user]
    if response.status_code == 200 and user == "other_department_reviewer":
        assert evaluation.project.name.encode() not in response.content


@pytest.mark.parametrize("name, argument", [(page[0], page[1]) for page in PAGES]
                         + [("request_package", None), ("package_download", "package")])
def test_anonymous_is_sent_to_sign_in(client, evaluation, package, name, argument):
    for method in (client.get, client.post):
        response = method(url(name, argument, evaluation, package))
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("user", USERS)
def test_only_reviewers_and_auditors_may_ask_for_a_package(client, people, evaluation, user):
    client.force_login(people[user])
    response = client.post(reverse("request_package"), {"department": evaluation.department.pk, "year": 2023})
    # Nothing approved yet: those allowed are sent back to the page with the reason; the others get 404.
    assert response.status_code == (302 if user in ("reviewer", "other_department_reviewer", "auditor") else 404)
    assert not PublicationPackage.objects.exclude(error="示例").exists()
    assert client.get(reverse("request_package")).status_code in (404, 405)


def test_auditors_only_read_the_texts(client, people, evaluation):
    client.force_login(people["auditor"])
    response = client.post(reverse("report_texts", args=[evaluation.pk]), {"problems": "改", "improvements": "改", "version": 0})
    assert response.status_code == 404


def test_the_navigation_links_reports_for_reviewers_and_auditors(client, people):
    seen = {}
    for user in ("reviewer", "auditor", "staff"):
        client.force_login(people[user])
        seen[user] = f'href="{reverse("department_reports")}">报告<' in client.get("/", follow=True).content.decode()
    assert seen == {"reviewer": True, "auditor": True, "staff": False}
