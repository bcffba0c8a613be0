"""Two people act on one target table at the same moment: exactly one change happens; the other waits for the row
lock, then is refused in Chinese. Real threads, real PostgreSQL locks."""

import pytest
from django.db import connection

from evaluations.models import Evaluation
from targets import workflow
from targets.models import TargetEvent, TargetTable
from tests import factory
from tests.targets_factory import make_table

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; it serialises writers anyway"),
    pytest.mark.django_db(transaction=True),
]
HOLD = 0.5


def test_an_approval_and_a_return_at_the_same_moment_make_one_change(monkeypatch):
    factory.pause_after(monkeypatch, "targets.workflow._move", HOLD)
    wang, zhao = factory.make_reviewer("wang"), factory.make_reviewer("zhao")
    table = make_table(status=TargetTable.Status.SUBMITTED)
    outcomes = factory.at_the_same_moment(lambda: workflow.approve(table, wang),
                                          lambda: workflow.return_for_revision(table, zhao, "目标偏低"))
    done = [result for result, _ in outcomes if isinstance(result, TargetTable)]
    refused = [(result, seconds) for result, seconds in outcomes if isinstance(result, workflow.TargetError)]
    assert len(done) == len(refused) == 1
    assert "不能" in str(refused[0][0]) and refused[0][1] >= HOLD * 0.8
    assert TargetEvent.objects.filter(action__in=["approve", "return"]).count() == 1


def test_two_starts_of_the_same_evaluation_make_one(monkeypatch):
    factory.pause_after(monkeypatch, "targets.workflow.prefilled_figures", HOLD)
    staff = factory.make_staff()
    table = make_table(status=TargetTable.Status.APPROVED)
    outcomes = factory.at_the_same_moment(lambda: workflow.start_evaluation(table, staff),
                                          lambda: workflow.start_evaluation(table, staff))
    assert sorted(type(result).__name__ for result, _ in outcomes) == ["Evaluation", "TargetError"]
    assert Evaluation.objects.count() == 1 and Evaluation.objects.get().indicators.count() == 3
