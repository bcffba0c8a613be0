"""W_TARGET_CHANGED and W_TARGET_BELOW_LAST_ACTUAL come from the targets app (evaluations.form_checks): each has a
Chinese title and explanation of warning severity, the review queue filters by them, and the reviewer may
acknowledge them."""

import re

import pytest
from django.urls import reverse

from evaluations import flag_help, form_checks, scoring
from targets.models import TargetTable
from tests import factory
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db
CODES = ["W_TARGET_CHANGED", "W_TARGET_BELOW_LAST_ACTUAL"]


def test_each_code_has_help_of_warning_severity():
    assert form_checks.codes() == CODES
    for code in CODES:
        entry = flag_help.help_for(code)
        assert entry.severity == scoring.WARNING and entry.severity_label == "警告"
        assert re.search(r"[\u4e00-\u9fff]", entry.title) and len(entry.title) <= 8 and "。" in entry.explanation


def test_the_queue_filters_by_a_target_flag(client):
    table = make_table(status=TargetTable.Status.APPROVED)
    figures = factory.clean_figures()
    figures.indicators[0].target = "=1(场)"
    factory.make_submitted_evaluation(figures=figures, project=table.project, year=2023)
    factory.make_submitted_evaluation(project=factory.make_project("另一个项目"), year=2023)
    client.force_login(factory.make_reviewer())
    page = client.get(reverse("review_queue"), {"flag": "W_TARGET_CHANGED"}).content.decode()
    assert "改动绩效目标（W_TARGET_CHANGED）" in page
    assert "火灾报警系统升级改造" in page and "另一个项目" not in page
