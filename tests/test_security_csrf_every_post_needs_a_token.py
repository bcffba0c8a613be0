"""A POST without the CSRF token is refused (403, with a Chinese page) at every URL of the site, the admin
included, for users who could otherwise act there; nothing changes. With the token the same POST works."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from evaluations.models import Evaluation, ReviewComment
from importer.models import StagedImport
from tests import factory
from tests.whole_site import admin_url, admin_url_names, site_url, site_url_names, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """An evaluation waiting for review, the people who could act on it, a staged import of each importer."""
    evaluation = factory.make_submitted_evaluation()
    people = {
        "staff": factory.make_staff(), "reviewer": factory.make_reviewer(),
        "superuser": User.objects.create_superuser("root", password=factory.PASSWORD),
    }
    for user in people.values():
        StagedImport.objects.create(created_by=user)
    return evaluation, people


def post_data(evaluation):
    """What each form of the site posts, all at once: were the token not required, something would change."""
    return {
        **factory.entry_form_data(evaluation.figures(), evaluation.version, goal_actual="无令牌的修改"),
        "comment": "无令牌", "text": "无令牌的意见", "year": 2024, "new_project_name": "无令牌的项目",
        "username": "staff", "password": factory.PASSWORD, "old_password": factory.PASSWORD,
        "new_password1": "Zpb-new-2026!", "new_password2": "Zpb-new-2026!", "name": "无令牌",
        "action": "delete_selected", "_selected_action": ["1"], "post": "yes",
    }


def test_every_post_without_a_token_is_refused(site):
    evaluation, people = site
    before = snapshot()
    tried = 0
    for username, user in people.items():
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        client.get("/accounts/login/")  # the browser holds a CSRF cookie; the form just lacks the token
        assert "csrftoken" in client.cookies
        staged = StagedImport.objects.get(created_by=user)
        urls = [site_url(name, evaluation, staged) for name in site_url_names()]
        urls += [admin_url(name, names) for name, names in admin_url_names().items()]
        for url in urls:
            response = client.post(url, post_data(evaluation))
            assert response.status_code == 403, (username, url, response.status_code)
            tried += 1
        assert snapshot() == before
    assert tried > 3 * 100


def test_the_refusal_is_explained_in_chinese(site):
    evaluation, people = site
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reviewer"])
    response = client.post(reverse("review_comment", args=[evaluation.pk]), {"text": "无令牌的意见"})
    assert response.status_code == 403
    assert "页面已过期（403）" in response.content.decode() and "内容没有保存" in response.content.decode()


def test_signing_in_without_a_token_is_refused_too():
    factory.make_staff()
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "staff", "password": factory.PASSWORD})
    assert response.status_code == 403 and "_auth_user_id" not in client.session


def test_with_the_token_the_same_post_works(site):
    evaluation, people = site
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reviewer"])
    page = client.get(reverse("review_evaluation", args=[evaluation.pk]))
    token = page.context["csrf_token"]
    response = client.post(reverse("review_comment", args=[evaluation.pk]), {"text": "有令牌的意见", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ReviewComment.objects.get().text == "有令牌的意见"
    assert Evaluation.objects.get().status == Evaluation.Status.SUBMITTED
