"""A reviewer or the finance bureau reloading a page gets the page drawn last time only while nothing it
shows has changed, whichever way a row changes (workflow, bulk update, plain SQL, the reader's own
account, a later statement of the same transaction); a change in another department leaves a department's
pages kept and redraws the finance bureau's; on SQLite every page is drawn."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from evaluations import roles, workflow
from evaluations.models import DepartmentYear, Evaluation, Notification, PageChange, Project, Unit
from tests import factory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


def drawn(response) -> bool:
    """Whether the view drew the page (a kept page is sent without a template context)."""
    assert response.status_code == 200
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


@on_postgresql
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
    assert not drawn(client.get(reverse("review_queue")))


@on_postgresql
def test_each_statement_of_a_transaction_counts_not_only_its_first(client, reviewer_with_forms):
    """The test runs in one transaction, as a request may: the second and third change are seen too."""
    for total in ("61.50", "62.50", "63.50"):
        client.get(reverse("review_queue"))
        assert not drawn(client.get(reverse("review_queue")))
        Evaluation.objects.filter(project__name="乙项目").update(computed_total=total)
        after = client.get(reverse("review_queue"))
        assert drawn(after) and total in after.content.decode()


@on_postgresql
def test_another_departments_change_keeps_a_departments_pages_and_redraws_the_finance_bureaus(client, reviewer_with_forms):
    other = factory.make_unit("另一部门的单位", factory.make_department("上海市教育委员会"))
    elsewhere = factory.make_submitted_evaluation(project=factory.make_project("丙项目", other))
    finance = factory.make_user("finance", roles.FINANCE)
    finance_client = type(client)()
    finance_client.force_login(finance)
    finance_client.get(reverse("finance_queue"))  # sets its CSRF cookie
    pages = [(client, reverse("review_queue")), (client, reverse("dashboard")), (client, reverse("completeness")),
             (finance_client, reverse("finance_queue")), (finance_client, reverse("completeness"))]
    for reader, url in pages:
        reader.get(url)
        assert not drawn(reader.get(url)), url

    Evaluation.objects.filter(pk=elsewhere.pk).update(computed_total="70.00")

    assert [drawn(reader.get(url)) for reader, url in pages] == [False, False, False, True, True]


@on_postgresql
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


@on_postgresql
def test_another_users_sign_in_keeps_the_pages(client, reviewer_with_forms):
    colleague = factory.make_reviewer("reviewer2", department=reviewer_with_forms.profile.department)
    client.get(reverse("review_queue"))
    assert not drawn(client.get(reverse("review_queue")))
    type(client)().force_login(colleague)  # signing in writes the colleague's last_login
    colleague.refresh_from_db()
    assert colleague.last_login is not None
    assert not drawn(client.get(reverse("review_queue")))


@on_postgresql
def test_a_page_outside_the_readers_role_is_never_kept(client, reviewer_with_forms):
    staff = factory.make_staff("staff", unit=Unit.objects.get())
    client.force_login(staff)
    client.get(reverse("staff_home"))
    for _ in range(2):
        assert client.get(reverse("review_queue")).status_code == 404


@on_postgresql
def test_compacting_the_log_draws_each_page_once_more_and_changes_still_count(client, reviewer_with_forms):
    client.get(reverse("review_queue"))
    call_command("compact_page_changes", stdout=open("/dev/null", "w"))
    assert PageChange.objects.count() <= 3  # the newest of each scope (department, 0) and one more of 0
    assert drawn(client.get(reverse("review_queue")))
    assert not drawn(client.get(reverse("review_queue")))
    Evaluation.objects.filter(project__name="乙项目").update(computed_total="61.50")
    assert drawn(client.get(reverse("review_queue")))


@on_postgresql
def test_every_table_of_the_projects_apps_is_watched():
    ours = [apps.get_app_config(label) for label in ("evaluations", "importer", "targets", "reports")]
    tables = {model._meta.db_table for config in ours for model in config.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy} - {PageChange._meta.db_table}
    tables.add(get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'zpb_page_change'")
        watched = {name.strip('"') for (name,) in cursor.fetchall()}
    assert {"evaluations_evaluation", "evaluations_indicator", "targets_targettable"} <= tables
    assert tables - watched == set()
    assert "django_session" not in watched  # written by every request: it would draw every page anew


def test_on_sqlite_or_without_a_csrf_cookie_every_page_is_drawn(client):
    factory.make_submitted_evaluation()
    client.force_login(factory.make_reviewer())
    assert drawn(client.get(reverse("review_queue")))  # no CSRF cookie yet: drawing the page sets it
    if connection.vendor != "postgresql":
        assert drawn(client.get(reverse("review_queue")))
