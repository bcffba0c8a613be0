"""Two reviewers approve two forms of one unit at the same moment: each transaction recounts the unit's tally
under the tally row's lock, so the second one's recount waits for the first to commit and counts both forms.
Without the lock each would count only its own change and the last to write would leave the tally one short.
Real threads, real PostgreSQL locks."""

import pytest
from django.db import connection

from evaluations import tallies, workflow
from evaluations.models import Evaluation, UnitYearTally
from tests import factory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; it serialises writers anyway"),
    pytest.mark.django_db(transaction=True),
]

HOLD = 0.5  # seconds each one keeps its form changed, not yet recounted nor committed


def test_two_approvals_in_one_unit_at_once_are_both_counted(monkeypatch):
    first = factory.make_submitted_evaluation()
    second = factory.make_submitted_evaluation(project=factory.make_project("第二个项目"))
    wang = factory.make_reviewer("wang", department=first.department)
    zhao = factory.make_reviewer("zhao", department=first.department)
    factory.pause_after(monkeypatch, "evaluations.workflow._move", HOLD)

    outcomes = factory.at_the_same_moment(
        lambda: workflow.approve(first, wang, first.flag_codes.split()),
        lambda: workflow.approve(second, zhao, second.flag_codes.split()),
    )

    assert all(isinstance(result, Evaluation) for result, _ in outcomes), outcomes
    tally = UnitYearTally.objects.get(unit=first.unit, year=2023)
    assert (tally.status_submitted, tally.status_approved) == (0, 2)
    kept = list(UnitYearTally.objects.order_by("pk").values())
    tallies.recount_all()
    assert list(UnitYearTally.objects.order_by("pk").values()) == kept
