"""Every page that shows a form offers its clean print, its PDF and its workbook; the print is the official
layout on A4 with 填报人 / 审核人 / 单位（盖章） / 日期 lines and no chrome, flags or codes; the PDF is the
same page printed by Chromium; both are scoped like the form."""

import re
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Evaluation
from tests import factory
from tests.conftest import sign_in

SIGNATURE_LINES = ("填报人：", "审核人：", "单位（盖章）：", "日期：")


@pytest.fixture
def flagged():
    return factory.make_sample_evaluation(factory.sample_form("技术转移合作"))  # W_UNIT_MISSING on 13, 14


@pytest.mark.django_db
def test_the_print_page_is_the_form_with_signature_lines_and_nothing_else(client, flagged):
    client.force_login(factory.make_staff(unit=flagged.project.unit))
    page = client.get(reverse("evaluation_print", args=[flagged.pk])).content.decode()
    for line in SIGNATURE_LINES:
        assert line in page
    assert "财政项目支出绩效自评表" in page and "技术转移合作" in page
    assert "site-header" not in page and "li class=\"flag" not in page
    assert re.findall(r"\b[EWI]_[A-Z_]{3,}", page) == []


@pytest.mark.django_db
def test_the_print_and_pdf_are_scoped_like_the_form(client, flagged):
    outsider = factory.make_staff("other", unit=factory.make_unit("别的单位"))
    for name in ("evaluation_print", "evaluation_pdf"):
        url = reverse(name, args=[flagged.pk])
        assert client.get(url).status_code == 302  # anonymous: to the sign-in page
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.logout()


@pytest.mark.django_db
def test_the_pdf_is_the_print_on_a4_pages(client, flagged, tmp_path):
    client.force_login(factory.make_reviewer(department=flagged.project.unit.department))
    response = client.get(reverse("evaluation_pdf", args=[flagged.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("财政项目支出绩效自评表", "技术转移合作", "填报人", "单位（盖章）"):
        assert words in text
    assert "缺少单位" not in text and "W_UNIT_MISSING" not in text  # no flags on paper


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_every_form_page_offers_print_pdf_and_excel_and_the_print_is_clean(page, flagged, screenshot):
    Evaluation.objects.filter(pk=flagged.pk).update(status=Evaluation.Status.SUBMITTED)
    factory.make_reviewer(department=flagged.project.unit.department)
    sign_in(page, "reviewer", factory.PASSWORD)
    for name in ("review_evaluation", "evaluation_detail"):
        page.goto(reverse(name, args=[flagged.pk]))
        for link in ("打印", "导出 PDF", "导出 Excel"):
            expect(page.get_by_role("link", name=link, exact=True)).to_be_visible()

    with page.context.expect_page() as opened:
        page.get_by_role("link", name="打印", exact=True).click()
    printout = opened.value
    printout.wait_for_load_state()
    expect(printout.get_by_role("button", name="打印")).to_be_visible()
    printout.emulate_media(media="print")
    expect(printout.get_by_role("button", name="打印")).to_be_hidden()
    for line in SIGNATURE_LINES:
        expect(printout.locator("table.signatures td", has_text=line)).to_be_visible()
    printout.screenshot(path=str(screenshot("print-page-reviewer").parent / "print-page-as-printed.png"), full_page=True)
    printout.close()
