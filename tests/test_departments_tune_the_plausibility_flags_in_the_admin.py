"""Which §6 flags are on, and at what severity, per department: set in the admin (defaults: SCORING.md), every
change in the history with who made it, and the department's forms rescored so lists follow."""

import pytest
from django.urls import reverse

from evaluations import scoring
from evaluations.models import DepartmentFlagRule, Evaluation
from tests import factory

pytestmark = pytest.mark.django_db
AHEAD = "国内外科技合作交流"


def test_tuning_switches_flags_off_and_changes_their_severity():
    flags = [scoring.Flag("W_SCORE_AHEAD_OF_SPENDING", scoring.WARNING, "…", place="funding"),
             scoring.Flag("I_SATISFACTION_UNSUPPORTED", scoring.INFO, "…", indicator=6),
             scoring.Flag("W_UNIT_MISSING", scoring.WARNING, "…", indicator=2)]
    tuned = scoring.tuned(flags, {"W_SCORE_AHEAD_OF_SPENDING": None, "I_SATISFACTION_UNSUPPORTED": scoring.WARNING})
    assert [(f.code, f.severity) for f in tuned] == [("I_SATISFACTION_UNSUPPORTED", "warning"), ("W_UNIT_MISSING", "warning")]
    assert scoring.tuned(flags, {}) == flags


def rules_post(department, *rules):
    data = {"name": department.name, "flag_rules-TOTAL_FORMS": len(rules), "flag_rules-INITIAL_FORMS": 0,
            "flag_rules-MIN_NUM_FORMS": 0, "flag_rules-MAX_NUM_FORMS": 1000}
    for n, (code, enabled, severity) in enumerate(rules):
        data.update({f"flag_rules-{n}-code": code, f"flag_rules-{n}-severity": severity,
                     f"flag_rules-{n}-department": department.pk})
        if enabled:
            data[f"flag_rules-{n}-enabled"] = "on"
    return data


@pytest.fixture
def forms():
    made = {f["project_name"]: factory.make_sample_evaluation(f) for f in
            (factory.sample_form(AHEAD), factory.sample_form("火灾报警系统升级改造"))}
    Evaluation.objects.update(status=Evaluation.Status.SUBMITTED)
    return made


def test_an_administrator_tunes_a_department_and_its_forms_follow(client, forms, django_capture_on_commit_callbacks):
    admin = factory.make_administrator()
    client.force_login(admin)
    department = forms[AHEAD].department
    with django_capture_on_commit_callbacks(execute=True):  # the rescoring task is queued once the change commits
        response = client.post(reverse("admin:evaluations_department_change", args=[department.pk]), rules_post(
            department, ("W_SCORE_AHEAD_OF_SPENDING", False, "warning"), ("I_SATISFACTION_UNSUPPORTED", True, "warning")))
    assert response.status_code == 302, response.content.decode()[:2000]

    ahead, fire = (Evaluation.objects.get(pk=forms[name].pk) for name in (AHEAD, "火灾报警系统升级改造"))
    assert not ahead.has_flag("W_SCORE_AHEAD_OF_SPENDING")
    assert "W_SCORE_AHEAD_OF_SPENDING" not in [f.code for f in ahead.flags()]
    assert fire.has_flag("I_SATISFACTION_UNSUPPORTED") and fire.warning_count == 1
    assert [f.severity for f in fire.flags() if f.code == "I_SATISFACTION_UNSUPPORTED"] == ["warning"]
    history = DepartmentFlagRule.history.order_by("history_id")
    assert [(h.code, h.enabled, h.history_type, h.history_user) for h in history] == [
        ("W_SCORE_AHEAD_OF_SPENDING", False, "+", admin), ("I_SATISFACTION_UNSUPPORTED", True, "+", admin)]

    # The reviewer must now acknowledge it before approving, as any warning.
    client.force_login(factory.make_reviewer("reviewer", department))
    page = client.get(reverse("review_evaluation", args=[fire.pk])).content.decode()
    assert 'name="acknowledged" value="I_SATISFACTION_UNSUPPORTED"' in page


def test_other_departments_keep_the_defaults(forms):
    elsewhere = factory.make_unit("区科委直属单位", factory.make_department("区科学技术委员会"))
    other = factory.make_evaluation(factory.make_project(AHEAD, elsewhere), 2023,
                                    factory.sample_figures(factory.sample_form(AHEAD)))
    DepartmentFlagRule.objects.create(department=forms[AHEAD].department, code="W_SCORE_AHEAD_OF_SPENDING",
                                      enabled=False, severity="warning")
    other = Evaluation.objects.get(pk=other.pk)
    assert "W_SCORE_AHEAD_OF_SPENDING" in [f.code for f in other.flags()]
