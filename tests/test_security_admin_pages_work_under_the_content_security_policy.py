"""The admin site under the Content Security Policy: its pages draw and their scripts run, with no violation
(the `page` fixture fails the test on any CSP report or JavaScript error)."""

import pytest
from django.contrib.auth.models import User

from tests import factory
from tests.conftest import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_administrator_manages_accounts_and_reference_data(page, screenshot):
    factory.make_staff()
    factory.make_administrator()
    sign_in(page, "admin", factory.PASSWORD)
    page.goto("/admin/")
    page.get_by_role("heading", name="系统管理").wait_for()
    screenshot("admin-index")

    page.goto("/admin/auth/user/")
    page.get_by_role("link", name="staff", exact=True).click()
    page.get_by_role("heading", name="staff").wait_for()
    screenshot("admin-user-change")

    page.goto("/admin/evaluations/profile/add/")
    # The unit picker is drawn by the admin's autocomplete script: proof that its scripts ran.
    page.locator("#id_unit + .select2-container").wait_for()
    screenshot("admin-profile-add")

    page.goto("/admin/evaluations/unit/")
    page.get_by_role("link", name="上海科学技术交流中心").wait_for()

    # django-import-export's export page: its select-all box is an inline handler the policy allows by hash.
    page.goto("/admin/evaluations/unit/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() == 3 and all(fields.nth(n).is_checked() for n in range(3))
    page.locator("input.select-toggle").uncheck()
    assert not any(fields.nth(n).is_checked() for n in range(3))
    page.locator("input.select-toggle").check()
    screenshot("admin-unit-export")
    with page.expect_download() as download:
        page.locator('input[type="submit"]').click()
    assert download.value.suggested_filename.endswith(".xlsx")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_evaluation_change_page_draws_and_adds_an_indicator_row(page, screenshot):
    evaluation = factory.make_evaluation()
    User.objects.create_superuser("root", password=factory.PASSWORD)
    sign_in(page, "root", factory.PASSWORD)
    page.goto(f"/admin/evaluations/evaluation/{evaluation.pk}/change/")
    rows = page.locator("#indicators-group tbody tr.form-row.has_original")
    assert rows.count() == 3
    # "Add another" is a link the admin's inlines.js creates: it only exists when scripts may run.
    page.locator("#indicators-group .add-row a").click()
    assert page.locator("#indicators-group tbody tr.form-row.dynamic-indicators").count() == 4
    # The project field is an autocomplete (select2): open it and let it fetch the choices.
    page.locator(".field-project .select2-selection").click()
    page.locator(".select2-results__option", has_text="火灾报警系统升级改造").wait_for()
    page.keyboard.press("Escape")
    screenshot("admin-evaluation-change")
