"""Audit retention: rows older than the setting are pruned; under 180 days is refused."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from evaluations import workflow
from evaluations.models import Evaluation, WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db


def age_everything(days):
    then = timezone.now() - timedelta(days=days)
    Evaluation.history.update(history_date=then)
    WorkflowEvent.objects.update(created_at=then)


def test_rows_older_than_the_retention_are_deleted_and_newer_kept():
    old = factory.make_evaluation()
    workflow.record(old, WorkflowEvent.Action.SAVE, None)
    age_everything(400)
    fresh = factory.make_evaluation(project=factory.make_project("新项目"))
    out = StringIO()
    call_command("prune_audit", "--days", "365", stdout=out)
    assert not Evaluation.history.filter(id=old.pk).exists()
    assert Evaluation.history.filter(id=fresh.pk).exists()
    assert not WorkflowEvent.objects.filter(evaluation=old).exists()
    assert "已删除" in out.getvalue()


def test_a_dry_run_deletes_nothing():
    factory.make_evaluation()
    age_everything(400)
    before = Evaluation.history.count()
    call_command("prune_audit", "--days", "200", "--dry-run", stdout=StringIO())
    assert Evaluation.history.count() == before > 0


@pytest.mark.parametrize("days", [0, 30, 179])
def test_less_than_180_days_is_refused(days):
    factory.make_evaluation()
    age_everything(400)
    with pytest.raises(CommandError, match="少于 180 天"):
        call_command("prune_audit", "--days", str(days), stdout=StringIO())
    assert Evaluation.history.exists()


@override_settings(ZPB_AUDIT_RETENTION_DAYS=90)
def test_a_retention_setting_under_180_days_is_refused_too():
    with pytest.raises(CommandError, match="少于 180 天"):
        call_command("prune_audit", stdout=StringIO())
