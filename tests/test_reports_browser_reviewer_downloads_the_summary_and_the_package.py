"""In Chromium: a reviewer opens 报告 from the navigation, downloads the department's summary report, asks
for the publication package, follows its progress and downloads it; every file in it opens in LibreOffice
with the forms' figures."""

import zipfile

import pytest
from playwright.sync_api import expect

from reports.models import PublicationPackage
from tests import factory
from tests.conftest import sign_in
from tests.reports_helpers import DEPARTMENT, approved_department, docx_text, libreoffice_reads_pdf, pdf_text, to_pdf
from tests.sample_forms import SAMPLE_FORMS

PDF_NAME = f"{DEPARTMENT}2023年度项目支出绩效自评表.pdf"
REPORT_NAME = f"{DEPARTMENT}2023年度项目支出绩效自评汇总报告.docx"


def download(page, click, folder):
    with page.expect_download() as info:
        click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def assert_has_the_sample_figures(printed: str):
    printed = printed.replace(" ", "")
    for form in SAMPLE_FORMS:
        _, budget, executed, rate = form["funding"]["total"]
        assert all(figure in printed for figure in (budget, executed, rate)), form["project_name"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewer_downloads_the_summary_and_the_package(page, screenshot, settings, tmp_path):
    settings.ZPB_PACKAGE_ROOT = tmp_path / "packages"
    page.set_default_timeout(120_000)  # the package is built inside the request in tests (LibreOffice, shared CPU)
    reviewer = factory.make_reviewer("reviewer", department=factory.make_department())
    approved_department(reviewer)
    sign_in(page, "reviewer", factory.PASSWORD)
    page.get_by_role("link", name="报告", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("2023年度绩效自评报告与公开材料")
    screenshot("reports-department-page")

    summary = download(page, page.get_by_role("link", name="下载汇总报告（Word）").click, tmp_path)
    assert summary.name == REPORT_NAME
    assert "共有 7 个项目的绩效自评表经审核通过" in docx_text(summary.read_bytes())

    page.get_by_role("button", name="生成公开材料包").click()
    page.wait_for_load_state()
    assert page.locator("#package-status").inner_text() == "已完成"
    screenshot("reports-package-done")
    package = download(page, page.get_by_role("link", name="下载公开材料包（zip）").click, tmp_path)
    assert package.name == f"{DEPARTMENT}2023年度绩效自评公开材料.zip"
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(package).extractall(unpacked)
    assert sorted(p.name for p in unpacked.iterdir()) == sorted([PDF_NAME, REPORT_NAME])
    assert_has_the_sample_figures(pdf_text(unpacked / PDF_NAME))
    assert_has_the_sample_figures(libreoffice_reads_pdf(unpacked / PDF_NAME))
    assert_has_the_sample_figures(pdf_text(to_pdf(unpacked / REPORT_NAME)))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_package_page_follows_a_build_running_elsewhere(page, screenshot):
    """The worker runs in its own process; the page asks for the progress until the package is done."""
    reviewer = factory.make_reviewer("reviewer", department=factory.make_department())
    package = PublicationPackage.objects.create(requested_by=reviewer, department=reviewer.profile.department, year=2023,
                                                status=PublicationPackage.Status.RUNNING, steps_done=1, steps_total=4,
                                                form_count=30)
    sign_in(page, "reviewer", factory.PASSWORD)
    page.goto(package.get_absolute_url())
    assert page.locator("#package-percent").inner_text() == "25%"
    assert page.get_by_role("link", name="下载公开材料包（zip）").is_hidden()
    screenshot("reports-package-running")
    PublicationPackage.objects.filter(pk=package.pk).update(steps_done=3)
    expect(page.locator("#package-percent")).to_have_text("75%")
    PublicationPackage.objects.filter(pk=package.pk).update(status=PublicationPackage.Status.DONE, steps_done=4)
    page.get_by_role("link", name="下载公开材料包（zip）").wait_for(state="visible")
    assert page.locator("#package-status").inner_text() == "已完成"
