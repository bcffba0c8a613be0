"""Auditors read; they change nothing: every POST they make, to any page of the site, is refused or inert."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evaluations import workflow
from evaluations.models import Evaluation, FundingLine, Indicator, ReviewComment, WorkflowEvent
from tests import factory
from tests.whole_site import site_url

pytestmark = pytest.mark.django_db
REVIEW_PAGES = {"review_queue", "review_evaluation", "review_return", "review_approve", "review_unapprove",
                "review_comment", "dashboard", "dashboard_export", "audit_trail"}
# The admin is tested below; signing in and out change no data; an auditor keeps their own notification settings.
NOT_APP_PAGES = ("admin", "login", "logout", "notifications_read", "notifications_mail")


def app_url_names(patterns=None, prefix=""):
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                names += app_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in NOT_APP_PAGES:
            names.append((pattern.name, list(pattern.pattern.converters)))
    return names


def snapshot():
    """Row counts of every table of the project's apps, and each evaluation's status and version."""
    counts = {model._meta.label: model.objects.count()
              for app in ("evaluations", "importer", "auth") for model in apps.get_app_config(app).get_models()}
    return counts, list(Evaluation.objects.order_by("pk").values_list("pk", "status", "version"))


@pytest.fixture
def evaluation():
    evaluation = factory.make_submitted_evaluation()
    factory.make_reviewer()
    return evaluation


@pytest.mark.parametrize("name, arguments", app_url_names(), ids=[name for name, _ in app_url_names()])
def test_every_post_by_an_auditor_is_refused(client, evaluation, name, arguments):
    client.force_login(factory.make_auditor())
    before = snapshot()
    response = client.post(site_url(name, evaluation), {
        "version": evaluation.version, "comment": "审计员不该能做的事", "text": "审计员留言",
        "acknowledged": ["I_WEIGHT_SPLIT"], "year": 2023,
    })
    assert snapshot() == before
    if name in REVIEW_PAGES:
        assert response.status_code in (404, 405)


AUDIT_MODELS = [WorkflowEvent, ReviewComment, Evaluation.history.model, FundingLine.history.model,
                Indicator.history.model]


@pytest.mark.parametrize("model", AUDIT_MODELS, ids=[m._meta.model_name for m in AUDIT_MODELS])
def test_the_admin_shows_the_trail_read_only_even_to_superusers(client, evaluation, model):
    workflow.return_for_revision(evaluation, User.objects.get(username="reviewer"), "请修改")
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    changelist = client.get(base)
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    row = model.objects.order_by("pk").first()
    before = snapshot()
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{row.pk}/change/", {}).status_code == 403
    assert 'name="_save"' not in client.get(f"{base}{row.pk}/change/").content.decode()
    assert client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(base, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert snapshot() == before


def test_evaluations_cannot_be_deleted_in_the_admin_since_their_trail_would_go_with_them(client, evaluation):
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    assert client.post(f"/admin/evaluations/evaluation/{evaluation.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()
