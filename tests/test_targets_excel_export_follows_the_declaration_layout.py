"""The target table exported as the 项目支出绩效目标申报表: title, year, project, funds, 年度总体目标, then the
indicator grid with 指标性质, 指标值 and 度量单位 apart; typed text never becomes a formula."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from targets.models import TargetTable
from tests import factory
from tests.targets_factory import make_table, target_rows

pytestmark = pytest.mark.django_db


def test_the_sheet_reads_like_the_official_table(client):
    rows = target_rows()
    rows[2].name = "=HYPERLINK(\"http://example.com\")"
    table = make_table(rows=rows, status=TargetTable.Status.APPROVED)
    client.force_login(factory.make_auditor())
    response = client.get(reverse("target_export", args=[table.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row if cell not in (None, "")] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["项目支出绩效目标申报表"] and values[1] == ["（2023年度）"]
    assert values[2] == ["项目名称", "火灾报警系统升级改造"]
    assert values[3] == ["主管部门", "上海市科学技术委员会", "实施单位", "上海科学技术交流中心"]
    assert values[4] == ["项目资金（万元）", "年度资金总额", 100] and values[6] == ["其他资金", 0]
    assert values[7] == ["年度总体目标", "完成年度任务。"]
    assert values[8] == ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "分值"]
    assert values[9] == ["产出指标", "数量指标", "举办培训", "=", "2", "场", 50]
    assert values[10] == ["效益指标", "社会效益指标", "服务覆盖面", "≥", "90", "%", 30]
    assert values[11][2] == '=HYPERLINK("http://example.com")' and values[11][3] == "定性"
    assert values[12] == ["合计", 90]
    raw = io.BytesIO(response.content)
    assert b"<f>" not in __import__("zipfile").ZipFile(raw).read("xl/worksheets/sheet1.xml")


def test_libreoffice_opens_it_and_keeps_formula_like_text_as_text(tmp_path):
    import shutil
    import subprocess

    from targets import excel

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("找不到 LibreOffice（soffice）：请安装 Debian 软件包 libreoffice-calc-nogui。")
    rows = target_rows()
    rows[0].name = "=1+1"
    table = make_table(rows=rows)
    path = tmp_path / "targets.xlsx"
    with path.open("wb") as out:
        excel.write_table(out, table)
    profile = tmp_path / "profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, timeout=300, check=True)
    text = (tmp_path / "targets.csv").read_text(encoding="utf-8")
    # A formula would come out computed ("2"); text comes out as typed.
    assert "项目支出绩效目标申报表" in text and ",=1+1," in text and "服务覆盖面" in text
