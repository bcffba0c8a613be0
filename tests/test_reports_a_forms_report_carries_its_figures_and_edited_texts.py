"""A form's 项目支出绩效自评报告 (.docx): its figures, tables and deduction reasons come from the form, the
problems and improvements are the edited texts; A4, 仿宋 body, a PAGE field in the footer; LibreOffice
prints it and the figures are in the PDF."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from reports.models import ReportText
from tests import factory
from tests.reports_helpers import (DEDUCTED_PROJECT, DEVIATION, approved_department, docx_text, pdf_text,
                                   save_page_image, to_pdf)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return factory.make_reviewer(department=factory.make_department())


@pytest.fixture
def deducted(reviewer):
    return next(e for e in approved_department(reviewer) if e.project.name == DEDUCTED_PROJECT)


def download(client, user, evaluation):
    client.force_login(user)
    response = client.get(reverse("evaluation_report", args=[evaluation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    return response.content


def test_the_report_holds_the_forms_figures_deductions_and_edited_texts(client, reviewer, deducted, tmp_path):
    ReportText.save_texts(deducted, reviewer, "场地改造导致讲座延期。", "明年一季度补办两场讲座。", expected_version=0)
    content = download(client, reviewer, deducted)
    text = docx_text(content)
    assert f"{DEDUCTED_PROJECT}项目支出绩效自评报告" in text
    assert "（2023年度）" in text
    # The funding table and sentence, the indicator table, total and grade.
    assert "年度资金总额 | 100.00 | 100.00 | 100.00 | 100.00" in text
    assert "执行率 100.00%" in text
    assert "满意度指标 | 服务对象满意度指标 | 服务对象满意度 | 满意 | 部分达成 | 10.00 | 7.00" in text
    assert "自评总分 97.00 分，评分等级为“优”" in text
    # The deduction with the form's own reason, and the texts as edited (not the draft).
    assert f"服务对象满意度 | 3.00 | {DEVIATION}" in text
    assert "场地改造导致讲座延期。" in text and "明年一季度补办两场讲座。" in text

    pdf = tmp_path / "report.docx"
    pdf.write_bytes(content)
    printed = pdf_text(to_pdf(pdf))
    for figure in ("97.00", "部分达成", "明年一季度补办两场讲座", DEDUCTED_PROJECT):
        assert figure in printed.replace(" ", "")
    assert save_page_image(pdf.with_suffix(".pdf"), "reports-form-report-page1").exists()


def test_a_form_never_edited_gets_the_draft_written_from_its_deviation(client, reviewer, deducted):
    text = docx_text(download(client, reviewer, deducted))
    assert "扣 3.00 分。原因：受场地改造影响，两场讲座顺延至次年" in text
    assert "针对“服务对象满意度”：提前落实备用场地，按季度跟踪进度。" in text


def test_the_report_is_a4_in_fangsong_with_a_page_number_field(client, reviewer, deducted):
    document = Document(BytesIO(download(client, reviewer, deducted)))
    section = document.sections[0]
    assert (round(section.page_width / Cm(1), 1), round(section.page_height / Cm(1), 1)) == (21.0, 29.7)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋"
    assert document.styles["Title"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    table_text = document.styles["表格文字"]
    assert table_text.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" and table_text.font.size.pt == 10.5
    assert {p.style.name for table in document.tables for cell in table._cells for p in cell.paragraphs} == {"表格文字"}
    footer = section.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer


def test_an_office_template_replaces_the_look(client, reviewer, deducted, settings, tmp_path):
    template = Document()
    template.add_paragraph("某某局专用模板封面")
    template.sections[0].header.paragraphs[0].text = "某某局内部资料"
    path = tmp_path / "office.docx"
    template.save(path)
    settings.ZPB_REPORT_TEMPLATES = {"evaluation": str(path), "summary": ""}
    document = Document(BytesIO(download(client, reviewer, deducted)))
    assert document.paragraphs[0].text == "某某局专用模板封面"
    assert document.sections[0].header.paragraphs[0].text == "某某局内部资料"
    assert f"{DEDUCTED_PROJECT}项目支出绩效自评报告" in docx_text(download(client, reviewer, deducted))
