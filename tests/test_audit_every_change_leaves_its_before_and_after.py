"""Every change to an evaluation and its rows — admin, import, workflow — leaves history rows with who and before/after."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from evaluations.models import Evaluation, FundingLine, Indicator, WorkflowEvent
from importer import loader, parsing
from tests import factory

pytestmark = pytest.mark.django_db
SAMPLE = "importer/samples/sstec-2023-self-evaluations.txt"


def changes(record):
    return {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}


def sample_forms():
    with open(SAMPLE, "rb") as dump:
        forms, errors = parsing.parse_bytes(dump.read(), file="sstec.txt")
    assert not errors
    return {form.project_name: form for form in forms}


def test_a_save_through_the_admin(client):
    root = User.objects.create_superuser("root", password=factory.PASSWORD)
    client.force_login(root)
    evaluation = factory.make_evaluation()
    data = factory.admin_change_data(evaluation, **{"indicators-2-score": "9.00", "declared_total": "99.00"})
    response = client.post(f"/admin/evaluations/evaluation/{evaluation.pk}/change/", data)
    assert response.status_code == 302

    satisfaction = Indicator.history.filter(position=3).first()
    assert (satisfaction.history_type, satisfaction.history_user) == ("~", root)
    assert changes(satisfaction) == {"score": (Decimal("10.00"), Decimal("9.00"))}
    latest = Evaluation.history.filter(id=evaluation.pk).first()
    assert latest.history_user == root
    assert changes(latest)["computed_total"] == (Decimal("100.00"), Decimal("99.00"))
    assert changes(latest)["flag_codes"] == ("", "W_DEDUCTION_UNEXPLAINED")
    # Untouched rows leave no history noise.
    assert not Indicator.history.filter(position=1, history_type="~").exists()


def test_an_import_and_a_re_import(client):
    importer = factory.make_reviewer()
    form = sample_forms()["技术转移合作"]
    evaluation = loader.load_form(form, importer).evaluation
    assert Evaluation.history.get(id=evaluation.pk, history_type="+").history_user == importer
    assert FundingLine.history.filter(evaluation_id=evaluation.pk, history_type="+", history_user=importer).count() == 4
    assert Indicator.history.filter(evaluation_id=evaluation.pk, history_type="+", history_user=importer).count() == 14

    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.RETURNED)  # back in staff's hands
    form.figures.indicators[12].target = "≥90(%)"  # indicator 13 with its unit corrected
    form.figures.indicators[12].actual = "90.00(%)"
    assert loader.load_form(form, importer).outcome == loader.UPDATED
    thirteen = Indicator.history.filter(evaluation_id=evaluation.pk, position=13).first()
    assert (thirteen.history_type, thirteen.history_user) == ("~", importer)
    assert changes(thirteen) == {"target": ("≥90(null)", "≥90(%)"), "actual": ("90.00(null)", "90.00(%)")}
    latest = Evaluation.history.filter(id=evaluation.pk).first()
    assert changes(latest)["version"] == (1, 2)
    assert [e.action for e in evaluation.events.all()] == ["import", "import"]


def test_a_workflow_action_through_the_review_page(client):
    evaluation = factory.make_submitted_evaluation()
    reviewer = factory.make_reviewer()
    client.force_login(reviewer)
    client.post(reverse("review_return", args=[evaluation.pk]), {"version": 1, "comment": "请补充说明"})
    event = WorkflowEvent.objects.get()
    assert (event.action, event.actor, event.from_status, event.to_status) == ("return", reviewer, "submitted", "returned")
    latest = Evaluation.history.filter(id=evaluation.pk).first()
    assert (latest.history_user, latest.history_change_reason) == (reviewer, "退回")
    assert changes(latest) == {"status": ("submitted", "returned"), "version": (1, 2)}
