"""manage.py export_report and export_package write the same documents the pages give."""

import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests import factory
from tests.reports_helpers import DEPARTMENT, approved_department, docx_text
from tests.sample_forms import SAMPLE_FORMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluations():
    return approved_department(factory.make_reviewer(department=factory.make_department()))


def test_export_report_writes_the_departments_summary(evaluations, tmp_path):
    out = tmp_path / "out.docx"
    call_command("export_report", "--year", "2023", "-o", str(out))  # the only department that year
    text = docx_text(out.read_bytes())
    assert f"{DEPARTMENT}2023年度项目支出绩效自评汇总报告" in text
    assert all(form["project_name"] in text for form in SAMPLE_FORMS)
    call_command("export_report", "--year", "2023", "--department", DEPARTMENT, "-o", str(out))
    assert docx_text(out.read_bytes()) == text


def test_export_package_writes_the_zip(evaluations, tmp_path):
    out = tmp_path / "out.zip"
    call_command("export_package", "--year", "2023", "--department", DEPARTMENT, "-o", str(out))
    names = zipfile.ZipFile(out).namelist()
    assert sorted(names) == sorted([f"{DEPARTMENT}2023年度项目支出绩效自评表.pdf", f"{DEPARTMENT}2023年度项目支出绩效自评汇总报告.docx"])


@pytest.mark.parametrize("command, arguments, message", [
    ("export_report", ["--year", "2023", "--department", "没有的部门"], "没有主管部门“没有的部门”"),
    ("export_report", ["--year", "1999"], "1999年度没有自评表"),
    ("export_package", ["--year", "2022", "--department", DEPARTMENT], "没有审核通过的自评表"),
])
def test_bad_arguments_get_a_chinese_error_and_write_nothing(evaluations, tmp_path, command, arguments, message):
    out = tmp_path / "out"
    with pytest.raises(CommandError, match=message):
        call_command(command, *arguments, "-o", str(out))
    assert not out.exists()


def test_two_departments_need_the_name(evaluations, tmp_path):
    factory.make_evaluation(project=factory.make_project("另一项目", factory.make_unit("另一单位", factory.make_department("另一部门"))))
    with pytest.raises(CommandError, match="请用 --department 指定"):
        call_command("export_report", "--year", "2023", "-o", str(tmp_path / "out.docx"))
