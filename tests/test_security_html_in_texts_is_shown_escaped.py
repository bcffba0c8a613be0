"""Markup typed into project names, goals, indicator texts and comments is shown as text on every page that
shows them, never run: the raw tags never reach a page, their escaped form does."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import workflow
from evaluations.models import Evaluation
from importer.models import StagedImport
from tests import factory

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
RAW = [SCRIPT, IMAGE, "<script>", "<img src=x"]


def escaped(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def assert_inert(response, shows=True):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    for raw in RAW:
        assert raw not in page
    if shows:
        assert escaped(SCRIPT) in page or escaped(IMAGE) in page


def hostile_evaluation(status=Evaluation.Status.SUBMITTED):
    figures = factory.clean_figures(indicators=[
        factory.indicator(name=f"培训{SCRIPT}", target="=2(场)", actual=f"2.00(场){IMAGE}", weight="50.00",
                          score="40.00", deviation=f"原因{IMAGE}"),
        factory.indicator("效益指标", "社会效益指标", f"覆盖面{IMAGE}", "≥90(%)", "95.00(%)", "30.00"),
        factory.indicator("满意度指标", "服务对象满意度指标", "满意度", "满意", "达成指标", "10.00"),
    ])
    unit = factory.make_unit(f"单位{IMAGE}")
    return factory.make_evaluation(factory.make_project(f"项目{SCRIPT}", unit), figures=figures, status=status,
                                   goal_expected=f"目标{SCRIPT}", goal_actual=f"完成{IMAGE}")


@pytest.fixture
def people():
    department = factory.make_department()
    return {
        "staff": factory.make_staff(unit=factory.make_unit(f"单位{IMAGE}", department)),
        "reviewer": factory.make_reviewer(department=department),
        "auditor": factory.make_auditor(),
    }


def test_staff_pages_show_the_texts_escaped(client, people):
    evaluation = hostile_evaluation(Evaluation.Status.DRAFT)
    client.force_login(people["staff"])
    assert_inert(client.get(reverse("staff_home")))
    assert_inert(client.get(reverse("evaluation_entry", args=[evaluation.pk])))
    assert_inert(client.get(reverse("evaluation_detail", args=[evaluation.pk])))
    assert_inert(client.get(reverse("new_evaluation")))  # the project picker lists the name


def test_a_returned_form_shows_the_reviewers_comment_escaped(client, people):
    evaluation = hostile_evaluation()
    workflow.return_for_revision(evaluation, people["reviewer"], f"请修改{SCRIPT}")
    client.force_login(people["staff"])
    assert_inert(client.get(reverse("evaluation_entry", args=[evaluation.pk])))
    client.force_login(people["reviewer"])
    assert_inert(client.get(reverse("review_evaluation", args=[evaluation.pk])))


def test_review_pages_show_the_texts_escaped(client, people):
    evaluation = hostile_evaluation()
    client.force_login(people["reviewer"])
    client.post(reverse("review_comment", args=[evaluation.pk]), {"text": f"意见{IMAGE}"})
    assert_inert(client.get(reverse("review_queue")))
    response = client.get(reverse("review_evaluation", args=[evaluation.pk]))
    assert_inert(response)
    assert escaped(f"意见{IMAGE}") in response.content.decode()
    assert_inert(client.get(reverse("dashboard")))
    # The message after an action names the project.
    assert_inert(client.post(reverse("review_approve", args=[evaluation.pk]),
                             {"version": evaluation.version, "acknowledged": ["W_DEDUCTION_UNEXPLAINED"]}, follow=True))


def test_the_audit_trail_shows_the_texts_escaped(client, people):
    evaluation = hostile_evaluation()
    workflow.return_for_revision(evaluation, people["reviewer"], f"退回{SCRIPT}")
    client.force_login(people["auditor"])
    assert_inert(client.get(reverse("audit_trail")))
    assert_inert(client.get(reverse("evaluation_detail", args=[evaluation.pk])))


def test_the_plain_home_list_shows_the_texts_escaped(client):
    hostile_evaluation()
    # Users without a work list of their own (here a superuser) get the plain list of what they may see.
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    assert_inert(client.get(reverse("home")))


def test_the_admin_shows_the_texts_escaped(client):
    evaluation = hostile_evaluation()
    client.force_login(User.objects.create_superuser("root", password=factory.PASSWORD))
    assert_inert(client.get(reverse("admin:evaluations_evaluation_changelist")))
    change = client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]))
    assert change.status_code == 200
    for raw in RAW:
        assert raw not in change.content.decode()


def test_the_import_preview_and_result_show_the_texts_escaped(client, people):
    # A workbook's texts are read as typed (only text dumps lose the markup their extractors left), so the
    # hostile text reaches the preview and the result whole, and is shown as text.
    workbook = factory.xlsx_bytes([hostile_evaluation(Evaluation.Status.RETURNED)], summary=False)
    client.force_login(people["reviewer"])
    upload = SimpleUploadedFile("hostile.xlsx", workbook)
    preview = client.post(reverse("import_upload"), {"files": [upload]}, follow=True)
    assert_inert(preview)
    staged = StagedImport.objects.get()
    result = client.post(reverse("import_confirm", args=[staged.pk]), follow=True)
    assert_inert(result)
    assert not Evaluation.objects.filter(project__name="项目alert(1)").exists()
