"""The department's summary report (.docx) of a year's approved forms: grade distribution, execution
rates per unit and per project, the projects with deductions and their reasons, the warnings the
reviewer acknowledged, and the dashboard's charts as pictures; LibreOffice prints it with the figures."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from evaluations import workflow
from evaluations.models import Evaluation
from tests import factory
from tests.reports_helpers import (DEDUCTED_PROJECT, DEVIATION, approved_department, docx_text, pdf_text,
                                   save_page_image, to_pdf)
from tests.sample_forms import SAMPLE_FORMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return factory.make_reviewer(department=factory.make_department())


@pytest.fixture
def evaluations(reviewer):
    return approved_department(reviewer)


def summary(client, user, department, year=2023):
    client.force_login(user)
    response = client.get(reverse("summary_report"), {"department": department.pk, "year": year})
    assert response.status_code == 200
    return response.content


def test_the_summary_counts_rates_deductions_and_acknowledged_flags(client, reviewer, evaluations, tmp_path):
    department = evaluations[0].department
    # A form still waiting for review is left out of the published figures, and said to be.
    factory.make_submitted_evaluation(project=factory.make_project("待审项目", evaluations[0].unit))
    content = summary(client, reviewer, department)
    text = docx_text(content)
    assert "上海市科学技术委员会2023年度项目支出绩效自评汇总报告" in text
    assert "共有 7 个项目的绩效自评表经审核通过" in text
    assert "另有 1 份自评表尚未审核通过" in text and "待审项目" not in text
    # Grade distribution: all seven 优.
    assert "优 | 7 | 100.00" in text and "良 | 0 | 0.00" in text
    # Each sample project with its budget, execution and rate as printed on its form.
    for form in SAMPLE_FORMS:
        _, budget, executed, rate = form["funding"]["total"]
        assert f"{form['project_name']} | {budget} | {executed} | {rate} | {form['total']} | {form['grade']}" in text
    budget = sum(e.total_budget for e in evaluations)
    assert f"全年预算数合计 {budget} 万元" in text
    # Deductions with their reasons: the budget execution of the samples and the partly achieved indicator.
    assert f"{DEDUCTED_PROJECT} | 服务对象满意度 | 3.00 | {DEVIATION}" in text
    assert "绿色技术银行综合管理与运行 | 预算执行率 | 0.40 | 预算执行率 96.05%" in text
    # The warnings approval confirmed (the samples carry 超额完成 and 缺计量单位 warnings).
    acknowledged = {e.project.name for e in evaluations if any(c.startswith("W_") for c in e.flag_codes.split())}
    assert acknowledged and all(f"{name} | " in text for name in acknowledged)
    assert "W_" not in text  # flags by their Chinese names, never their codes
    # The charts are pictures in the document.
    document = Document(BytesIO(content))
    pictures = [shape for shape in document.inline_shapes]
    assert len(pictures) == 2
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 2 and all(image.blob.startswith(b"\x89PNG") for image in images)

    path = tmp_path / "summary.docx"
    path.write_bytes(content)
    pdf = to_pdf(path)
    printed = pdf_text(pdf).replace(" ", "")
    for form in SAMPLE_FORMS:
        assert form["funding"]["total"][2] in printed  # each project's 全年执行数
    assert DEDUCTED_PROJECT in printed
    save_page_image(pdf, "reports-summary-page1")
    save_page_image(pdf, "reports-summary-page2", page=2)


def test_a_year_without_approved_forms_says_so(client, reviewer):
    evaluation = factory.make_submitted_evaluation()
    text = docx_text(summary(client, reviewer, evaluation.department))
    assert "尚无审核通过的绩效自评表" in text and "另有 1 份自评表尚未审核通过" in text
    assert Evaluation.objects.get().status == Evaluation.Status.SUBMITTED


def test_without_the_chart_renderer_the_page_says_so_in_chinese(client, reviewer, settings):
    settings.ZPB_RSVG_CONVERT = "no-such-rsvg-convert"
    evaluation = factory.make_submitted_evaluation()
    client.force_login(reviewer)
    response = client.get(reverse("summary_report"), {"department": evaluation.department.pk, "year": 2023}, follow=True)
    assert response.status_code == 200 and "服务器未安装 rsvg-convert" in response.content.decode()


def test_the_rate_chart_names_its_cut_when_there_are_many_units(client, reviewer):
    department = factory.make_department()
    for n in range(16):
        evaluation = factory.make_submitted_evaluation(project=factory.make_project(f"项目{n}", factory.make_unit(f"单位{n:02d}", department)))
        workflow.approve(evaluation, reviewer)
    text = docx_text(summary(client, reviewer, department))
    assert "图中为执行率最低的 15 个单位" in text and "单位15 | 1 | 100.00" in text
