"""In Chromium: a form whose texts hold markup shows that markup as text on the review page and opens no dialog."""

import pytest

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in
from tests.test_security_html_in_texts_is_shown_escaped import IMAGE, SCRIPT, hostile_evaluation


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_review_page_shows_typed_markup_as_text_and_runs_none_of_it(page, screenshot):
    evaluation = hostile_evaluation(Evaluation.Status.SUBMITTED)
    factory.make_reviewer()
    factory.make_staff(unit=evaluation.project.unit)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page, "reviewer", factory.PASSWORD)
    page.goto(f"/review/{evaluation.pk}/")
    page.get_by_label("添加意见").fill(f"意见{IMAGE}")
    page.get_by_role("button", name="添加意见").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"项目{SCRIPT}").first.is_visible()
    assert page.get_by_text(f"意见{IMAGE}").is_visible()
    assert page.locator("img[src=x]").count() == 0 and page.locator("main script").count() == 0
    screenshot("security-typed-markup-review")
    page.goto("/review/")
    page.get_by_role("link", name=f"项目{SCRIPT}").wait_for()

    page.get_by_role("button", name="退出").click()
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(f"/evaluations/{evaluation.pk}/edit/")
    page.get_by_text(f"完成{IMAGE}").wait_for()
    page.wait_for_timeout(300)  # time for any handler that would have fired
    assert dialogs == []
