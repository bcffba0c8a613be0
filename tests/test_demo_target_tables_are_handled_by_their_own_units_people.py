"""The demo's target tables are submitted by their own unit's staff and approved by their own department's
reviewer: the 科委 reviewer's trail holds no table of the 教委's unit."""

from io import StringIO

import pytest
from django.core.management import call_command

from targets.models import TargetEvent

pytestmark = pytest.mark.django_db
Action = TargetEvent.Action


def test_each_table_is_submitted_and_approved_within_its_own_department():
    call_command("load_demo", stdout=StringIO())
    events = TargetEvent.objects.filter(action__in=[Action.SUBMIT, Action.APPROVE]).select_related(
        "table__project__unit__department", "actor__profile")
    assert {event.table.project.unit.department.name for event in events} == {"上海市科学技术委员会", "上海市教育委员会"}
    for event in events:
        profile = event.actor.profile
        if event.action == Action.SUBMIT:
            assert profile.unit == event.table.project.unit, event
        else:
            assert profile.department == event.table.project.unit.department, event
    assert {event.actor.username for event in events if event.action == Action.APPROVE} == {"reviewer", "reviewer2"}
