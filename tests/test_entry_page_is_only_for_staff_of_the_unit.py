"""The entry page: anonymous → sign-in, other unit's staff → 404, reviewers and auditors cannot edit → 404, own staff → 200."""

import pytest
from django.urls import reverse

from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return factory.make_evaluation()


@pytest.fixture
def url(evaluation):
    return reverse("evaluation_entry", args=[evaluation.pk])


def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_staff_of_another_unit_gets_404(client, url):
    client.force_login(factory.make_staff("other", unit=factory.make_unit("上海市科学技术情报研究所")))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("make_user", [
    lambda: factory.make_reviewer("reviewer"),
    lambda: factory.make_auditor("auditor"),
    lambda: factory.make_administrator("admin"),
    lambda: factory.make_user("nobody", unit=factory.make_unit()),
])
def test_other_roles_cannot_open_or_post_the_entry_page(client, evaluation, url, make_user):
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    data = factory.entry_form_data(factory.clean_figures(), evaluation.version)
    assert client.post(url, data).status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.version == 1


def test_staff_of_the_unit_gets_the_entry_form(client, evaluation, url):
    client.force_login(factory.make_staff())
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-entry-form' in page
    assert f'name="version" value="{evaluation.version}"' in page
    assert 'aria-label="第3行 得分"' in page
    assert 'id="entry-rules"' in page


@pytest.mark.parametrize("url_name", ["staff_home", "new_evaluation"])
def test_staff_pages_are_not_for_other_roles(client, url_name):
    client.force_login(factory.make_reviewer())
    assert client.get(reverse(url_name)).status_code == 404
    client.logout()
    assert client.get(reverse(url_name)).url.startswith("/accounts/login/")


def test_home_sends_staff_to_their_units_evaluations(client):
    client.force_login(factory.make_staff())
    assert client.get("/").url == reverse("staff_home")


def test_staff_cannot_reach_a_draft_of_another_unit_by_number(client):
    other = factory.make_evaluation(factory.make_project("别的项目", factory.make_unit("别的单位")))
    client.force_login(factory.make_staff())
    assert client.get(reverse("evaluation_entry", args=[other.pk])).status_code == 404
    assert Evaluation.objects.count() == 1
