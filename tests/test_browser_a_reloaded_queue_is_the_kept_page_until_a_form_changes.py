"""In Chromium, on the demo data: the reviewer reloads the queue and, while nothing changed, gets the page
drawn before, byte for byte; after approving a form in another tab (a committed request of its own), the next
reload shows the form approved."""

import pytest
from django.core.management import call_command
from django.db import connection

from evaluations.management.commands.load_demo import PASSWORD
from evaluations.models import Evaluation, PageChange
from tests.conftest import sign_in

PROJECT = "火灾报警系统升级改造"


def status_of(page, project):
    row = page.locator("table.queue tbody tr", has=page.get_by_role("link", name=project, exact=True))
    return row.locator(".status").inner_text()


@pytest.mark.browser
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pages are kept on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_reloads_are_kept_until_the_reviewer_approves(page, screenshot):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    sign_in(page, "reviewer", PASSWORD)
    page.get_by_role("heading", name="审核队列").wait_for()
    page.reload()  # the first page set the CSRF cookie; this one is drawn and kept
    drawn = page.content()
    changes = PageChange.objects.count()
    page.reload()
    # The same bytes: a drawn page would hold a freshly masked CSRF token in each of its forms.
    assert page.content() == drawn and PageChange.objects.count() == changes
    assert status_of(page, PROJECT) == "已提交"

    # Approve it in a second tab: a request of its own, committed.
    other = page.context.new_page()
    other.goto(f"/review/{Evaluation.objects.get(project__name=PROJECT, year=2023).pk}/")
    other.get_by_role("button", name="审核通过").click()
    other.get_by_text(f"“{PROJECT}”已审核通过").wait_for()
    other.close()

    page.reload()
    assert status_of(page, PROJECT) == "已通过"
    screenshot("kept-queue-after-approval")
