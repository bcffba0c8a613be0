"""A reviewer reloading the queue gets the page drawn last time only while no row it was drawn from has
changed, whichever way a row changes (workflow, bulk update, plain SQL, the reader's own account); on
SQLite every page is drawn."""

import pytest
from django.db import connection
from django.urls import reverse

from evaluations import workflow
from evaluations.models import DepartmentYear, Evaluation, Notification, Project, Unit
from tests import factory

# Committed for real: every request's write is a transaction of its own, and row versions are told apart
# by the transaction that wrote them; inside one test-wide transaction they could not be.
pytestmark = pytest.mark.django_db(transaction=True)


def drawn(response) -> bool:
    """Whether the view drew the page (a kept page is sent without a template context)."""
    return response.context is not None


@pytest.fixture
def reviewer_with_forms(client):
    unit = factory.make_unit()
    for name in ("甲项目", "乙项目"):
        factory.make_submitted_evaluation(project=factory.make_project(name, unit))
    reviewer = factory.make_reviewer()
    client.force_login(reviewer)
    client.get(reverse("review_queue"))  # the first page sets the CSRF cookie a browser sends from then on
    return reviewer


def changes():
    """Ways a row the queue shows is written, each a function of (reviewer) with the text it puts on the page."""

    def approve(reviewer):
        workflow.approve(Evaluation.objects.get(project__name="甲项目"), reviewer)
        return 'class="status status-approved"'

    def bulk_update(reviewer):
        Evaluation.objects.filter(project__name="乙项目").update(computed_total="61.50")
        return "61.50"

    def plain_sql(reviewer):
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Project._meta.db_table} SET name = %s WHERE name = %s", ["乙项目（更名）", "乙项目"])
        return "乙项目（更名）"

    def unit_renamed(reviewer):
        Unit.objects.update(name="改名后的单位")
        return "改名后的单位"

    def notified(reviewer):
        Notification.objects.create(recipient=reviewer, kind=Notification.Kind.SUBMITTED, text="新提交")
        return 'aria-label="1 条待处理"'

    def own_name(reviewer):
        reviewer.last_name, reviewer.first_name = "李", "审核"
        reviewer.save()
        return "李审核"

    def due_date(reviewer):
        DepartmentYear.objects.create(department=reviewer.profile.department, year=2023, due_date="2020-01-01")
        return 'aria-label="1 条待处理"'  # the overdue year's reminder, counted in the menu

    return [approve, bulk_update, plain_sql, unit_renamed, notified, own_name, due_date]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fingerprint reads PostgreSQL's row versions")
@pytest.mark.parametrize("change", changes(), ids=lambda change: change.__name__)
def test_a_kept_page_is_sent_until_a_row_it_shows_changes(client, reviewer_with_forms, change):
    first = client.get(reverse("review_queue"))
    again = client.get(reverse("review_queue"))
    assert drawn(first) and not drawn(again)
    assert again.content == first.content

    shown = change(reviewer_with_forms)

    after = client.get(reverse("review_queue"))
    assert drawn(after)
    assert shown in after.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fingerprint reads PostgreSQL's row versions")
def test_another_query_another_reviewer_or_a_waiting_message_get_a_page_of_their_own(client, reviewer_with_forms):
    client.get(reverse("review_queue"))
    assert not drawn(client.get(reverse("review_queue")))
    assert drawn(client.get(reverse("review_queue"), {"q": "甲"}))

    colleague = factory.make_reviewer("reviewer2", department=reviewer_with_forms.profile.department)
    colleague.last_name = "王"
    colleague.save()
    client.force_login(colleague)
    page = client.get(reverse("review_queue"))
    assert drawn(page) and "王" in page.content.decode()
    assert not drawn(client.get(reverse("review_queue")))
    # An empty comment writes nothing and leaves a message for the next page: that page is drawn to show it.
    form = Evaluation.objects.get(project__name="甲项目")
    client.post(reverse("review_comment", args=[form.pk]), {"text": ""})
    with_message = client.get(reverse("review_queue"))
    assert drawn(with_message) and "意见不能为空" in with_message.content.decode()


def test_on_sqlite_or_without_a_csrf_cookie_every_page_is_drawn(client):
    factory.make_submitted_evaluation()
    client.force_login(factory.make_reviewer())
    first = client.get(reverse("review_queue"))  # no CSRF cookie yet: drawing the page sets it
    assert drawn(first)
    if connection.vendor != "postgresql":
        assert drawn(client.get(reverse("review_queue")))
