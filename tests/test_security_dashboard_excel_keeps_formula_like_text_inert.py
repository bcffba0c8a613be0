"""The dashboard's Excel writes unit and department names that begin like a formula as inert text,
as the evaluation workbook and the admin exports do (tests/test_excel_text_that_looks_like_a_formula_stays_text.py,
tests/test_export_admin_moves_reference_data_through_spreadsheets.py)."""

import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factory

pytestmark = pytest.mark.django_db
FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1,2)"]


def test_formula_like_names_are_text_in_the_dashboard_workbook(client):
    department = factory.make_department('=HYPERLINK("http://evil","部门")')
    for name in FORMULA_LIKE:
        factory.make_submitted_evaluation(project=factory.make_project("项目", factory.make_unit(name, department)))
    client.force_login(factory.make_reviewer(department=department))
    response = client.get(reverse("dashboard_export"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(BytesIO(data))
    sheet = workbook["各单位执行率"]
    names = {sheet.cell(row, 1).value: sheet.cell(row, 1) for row in range(3, sheet.max_row + 1)}
    assert set(names) == set(FORMULA_LIKE)
    for cell in names.values():
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    title = sheet["A1"]
    assert title.value.startswith('=HYPERLINK("http://evil","部门")') and title.data_type == "s" and title.quotePrefix
    with zipfile.ZipFile(BytesIO(data)) as archive:
        sheets = b"".join(archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets
