"""The publication package of a department's year, built on the task queue: one PDF of every approved
form in the official layout and the summary report, zipped; its progress is shown and only the person
who asked for it downloads it."""

import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from reports.models import PublicationPackage
from tests import factory
from tests.reports_helpers import DEDUCTED_PROJECT, approved_department, docx_text, pdf_pages, pdf_text, save_page_image, to_pdf
from tests.sample_forms import SAMPLE_FORMS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def package_folder(settings, tmp_path):
    settings.ZPB_PACKAGE_ROOT = tmp_path / "packages"


@pytest.fixture
def reviewer():
    return factory.make_reviewer(department=factory.make_department())


@pytest.fixture
def evaluations(reviewer):
    return approved_department(reviewer)


def request_package(client, user, department, year=2023):
    client.force_login(user)
    return client.post(reverse("request_package"), {"department": department.pk, "year": year})


def test_the_package_holds_one_pdf_of_the_approved_forms_and_the_summary(client, reviewer, evaluations, tmp_path, settings):
    settings.ZPB_PACKAGE_FORMS_PER_PDF_STEP = 3  # 7 forms: three PDF steps, then the report, then the zip
    department = evaluations[0].department
    factory.make_submitted_evaluation(project=factory.make_project("待审项目", evaluations[0].unit))
    response = request_package(client, reviewer, department)
    package = PublicationPackage.objects.get()
    assert response.url == reverse("package_status", args=[package.pk])
    assert (package.status, package.steps_done, package.steps_total, package.form_count) == ("done", 5, 5, 7)
    progress = client.get(reverse("package_progress", args=[package.pk])).json()
    assert progress["percent"] == 100 and progress["status_label"] == "已完成"
    assert progress["download"] == reverse("package_download", args=[package.pk])

    download = client.get(reverse("package_download", args=[package.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(BytesIO(b"".join(download.streaming_content)))
    pdf_name = "上海市科学技术委员会2023年度项目支出绩效自评表.pdf"
    report_name = "上海市科学技术委员会2023年度项目支出绩效自评汇总报告.docx"
    assert sorted(archive.namelist()) == sorted([pdf_name, report_name])
    archive.extractall(tmp_path)

    pdf = tmp_path / pdf_name
    printed = pdf_text(pdf)
    assert pdf_pages(pdf) >= 7  # each form starts a sheet of its own
    assert printed.count("财政项目支出绩效自评表") == 7 and "待审项目" not in printed
    for form in SAMPLE_FORMS:
        _, budget, executed, rate = form["funding"]["total"]
        for figure in (budget, executed, rate, form["total"]):
            assert figure in printed, (form["project_name"], figure)
    assert DEDUCTED_PROJECT in printed.replace(" ", "")
    save_page_image(pdf, "reports-package-forms-page1")

    report = tmp_path / report_name
    assert "共有 7 个项目的绩效自评表经审核通过" in docx_text(report.read_bytes())
    assert all(form["project_name"] in pdf_text(to_pdf(report)).replace(" ", "") for form in SAMPLE_FORMS)


def test_the_status_page_draws_the_progress_for_the_script_to_follow(client, reviewer, evaluations):
    request_package(client, reviewer, evaluations[0].department)
    package = PublicationPackage.objects.get()
    page = client.get(reverse("package_status", args=[package.pk])).content.decode()
    assert 'data-progress-url="%s"' % reverse("package_progress", args=[package.pk]) in page
    assert '<progress id="package-progress" max="100" value="100">' in page
    assert "js/package-progress.js" in page and "<script>" not in page


def test_a_year_without_approved_forms_queues_nothing(client, reviewer):
    evaluation = factory.make_submitted_evaluation()
    response = request_package(client, reviewer, evaluation.department)
    assert response.status_code == 302 and not PublicationPackage.objects.exists()
    assert "没有审核通过的自评表" in client.get(response.url).content.decode()


def test_a_failed_build_says_why_in_chinese(client, reviewer, evaluations, settings):
    settings.ZPB_SOFFICE = "no-such-libreoffice"
    request_package(client, reviewer, evaluations[0].department)
    package = PublicationPackage.objects.get()
    assert package.status == "failed" and "LibreOffice" in package.error and not package.file
    assert client.get(reverse("package_download", args=[package.pk])).status_code == 404
    assert package.error in client.get(reverse("package_status", args=[package.pk])).content.decode()


def test_only_the_requester_gets_the_package(client, reviewer, evaluations):
    request_package(client, reviewer, evaluations[0].department)
    package = PublicationPackage.objects.get()
    colleague = factory.make_reviewer("colleague", department=evaluations[0].department)
    others = [colleague, factory.make_auditor(), factory.make_staff(unit=evaluations[0].unit),
              factory.make_reviewer("other", department=factory.make_department("上海市财政局"))]
    for person in others:
        client.force_login(person)
        for name in ("package_status", "package_progress", "package_download"):
            assert client.get(reverse(name, args=[package.pk])).status_code == 404, (person, name)
    client.logout()
    response = client.get(reverse("package_download", args=[package.pk]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_reviewer_cannot_ask_for_another_departments_package(client, evaluations):
    other = factory.make_reviewer("other", department=factory.make_department("上海市财政局"))
    request_package(client, other, evaluations[0].department)
    # The department asked for is not theirs: the form falls back to their own, which has no forms.
    assert not PublicationPackage.objects.filter(department=evaluations[0].department).exists()
