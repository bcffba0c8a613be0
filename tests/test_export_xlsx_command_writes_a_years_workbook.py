"""`manage.py export_xlsx --year Y [--unit] [--department] [--status] -o FILE`."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from evaluations.models import Evaluation
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluations():
    own_unit = factory.make_unit()
    other_unit = factory.make_unit("上海市科学技术情报研究所")
    finance = factory.make_unit("上海市科学技术情报研究所", factory.make_department("上海市财政局"))
    factory.make_evaluation(factory.make_project("交流项目", own_unit), status=Evaluation.Status.SUBMITTED)
    factory.make_evaluation(factory.make_project("草稿项目", own_unit))
    factory.make_evaluation(factory.make_project("情报项目", other_unit), status=Evaluation.Status.SUBMITTED)
    factory.make_evaluation(factory.make_project("财政项目", finance))
    factory.make_evaluation(factory.make_project("往年项目", own_unit), year=2022)


def form_sheets(path):
    names = load_workbook(path, read_only=True).sheetnames
    assert names[0] == "汇总"
    return set(names[1:])


def test_a_year_goes_to_one_workbook(evaluations, tmp_path, capsys):
    call_command("export_xlsx", "--year", "2023", "-o", str(tmp_path / "all.xlsx"))
    assert form_sheets(tmp_path / "all.xlsx") == {"交流项目", "草稿项目", "情报项目", "财政项目"}
    assert "已导出 4 份自评表" in capsys.readouterr().err


def test_unit_department_and_status_narrow_it(evaluations, tmp_path):
    out = str(tmp_path / "out.xlsx")
    call_command("export_xlsx", "--year", "2023", "--unit", "上海科学技术交流中心", "-o", out)
    assert form_sheets(out) == {"交流项目", "草稿项目"}
    call_command("export_xlsx", "--year", "2023", "--department", "上海市科学技术委员会", "--status", "已提交", "-o", out)
    assert form_sheets(out) == {"交流项目", "情报项目"}
    call_command("export_xlsx", "--year", "2023", "--unit", "上海市科学技术情报研究所", "--department", "上海市财政局",
                 "--status", "draft", "-o", out)
    assert form_sheets(out) == {"财政项目"}


def test_unknown_ambiguous_or_empty_selections_are_refused(evaluations, tmp_path):
    out = tmp_path / "out.xlsx"
    with pytest.raises(CommandError, match="没有实施单位“不存在”"):
        call_command("export_xlsx", "--year", "2023", "--unit", "不存在", "-o", str(out))
    with pytest.raises(CommandError, match="请同时用 --department"):
        call_command("export_xlsx", "--year", "2023", "--unit", "上海市科学技术情报研究所", "-o", str(out))
    with pytest.raises(CommandError, match="没有符合条件的自评表"):
        call_command("export_xlsx", "--year", "2019", "-o", str(out))
    assert not out.exists()
