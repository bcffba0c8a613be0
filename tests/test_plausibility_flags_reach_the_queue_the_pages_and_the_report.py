"""The §6 flags of the sample (SCORING.md): W_SCORE_AHEAD_OF_SPENDING on 国内外科技合作交流 and
I_SATISFACTION_UNSUPPORTED on three forms, in the import report, the queue's flag filter, the review page,
the form's page and the dashboard; W_TEXT_REUSED in a dry run's report among the forms read together."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from evaluations.models import Evaluation
from importer import sources
from importer.report import form_report, reused_among
from tests import factory

pytestmark = pytest.mark.django_db
AHEAD = "国内外科技合作交流"


def import_sample(*options):
    out = StringIO()
    try:
        call_command("import_dumps", str(factory.SAMPLE_DUMP), "--json", *options, stdout=out, stderr=StringIO())
    except SystemExit as exit_:
        assert exit_.code == 0
    return {form["project_name"]: form for form in json.loads(out.getvalue())["forms"]}


def section_6(report_form):
    codes = {"W_SCORE_AHEAD_OF_SPENDING", "W_UNDERSPENT", "W_TEXT_REUSED", "I_SATISFACTION_UNSUPPORTED"}
    return sorted((f["code"], f["indicator"]) for f in report_form["flags"] if f["code"] in codes)


@pytest.mark.parametrize("options", [("--dry-run",), ()], ids=["dry-run", "import"])
def test_the_import_report_carries_the_section_6_flags(options):
    report = import_sample(*options)
    assert section_6(report[AHEAD]) == [("W_SCORE_AHEAD_OF_SPENDING", None)]
    flag = next(f for f in report[AHEAD]["flags"] if f["code"] == "W_SCORE_AHEAD_OF_SPENDING")
    assert flag["severity"] == "warning" and "94.56%" in flag["message"]
    assert section_6(report["火灾报警系统升级改造"]) == [("I_SATISFACTION_UNSUPPORTED", 6)]
    assert section_6(report["绿色技术银行综合管理与运行"]) == []


def test_the_queue_filters_by_score_ahead_of_spending_and_the_pages_show_it(client):
    import_sample()
    reviewer = factory.make_reviewer(department=factory.make_department())
    client.force_login(reviewer)
    queue = client.get(reverse("review_queue"), {"flag": "W_SCORE_AHEAD_OF_SPENDING"})
    listed = [row.project_name for row in queue.context["page"]]
    assert listed == [AHEAD]
    assert "得分高于花钱" in queue.content.decode()  # the flag's title in the row, and among the filter's choices

    evaluation = Evaluation.objects.get(project__name=AHEAD)
    review = client.get(reverse("review_evaluation", args=[evaluation.pk])).content.decode()
    assert "得分高于花钱" in review and "明显高于预算执行率 94.56%" in review
    detail = client.get(reverse("evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "明显高于预算执行率 94.56%" in detail


def test_the_dashboard_counts_them(client):
    import_sample()
    client.force_login(factory.make_reviewer(department=factory.make_department()))
    top = dict((help.code, count) for help, count in client.get(reverse("dashboard")).context["figures"].top_flags)
    assert (top["W_SCORE_AHEAD_OF_SPENDING"], top["I_SATISFACTION_UNSUPPORTED"]) == (1, 3)


def test_a_report_without_the_database_finds_copied_texts_among_the_forms_read_together():
    forms, _ = sources.parse_file(factory.SAMPLE_DUMP.read_bytes(), factory.SAMPLE_DUMP.name)
    by_name = {form.project_name: form for form in forms}
    by_name["信息化建设项目"].goal_actual = by_name["技术转移合作"].goal_actual  # 500 characters, copied whole
    reused = reused_among(forms)
    report = form_report(by_name["信息化建设项目"], reused=reused[id(by_name["信息化建设项目"])])
    (flag,) = [f for f in report["flags"] if f["code"] == "W_TEXT_REUSED"]
    assert flag["indicator"] is None
    assert "《技术转移合作》（上海科学技术交流中心，2023年度）年度总体目标的实际完成情况" in flag["message"]
    assert sum(len(found) for found in reused.values()) == 2  # each names the other; no other form resembles one
