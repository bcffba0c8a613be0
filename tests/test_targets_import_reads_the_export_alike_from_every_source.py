"""A target table is read by the form pipeline's adapters: our own export, its PDF (LibreOffice) and that PDF's
`pdftotext -layout` text give the same table, and the export read back is exactly the table exported."""

import io
from decimal import Decimal

import pytest

from importer import target_reader
from targets import workflow
from targets.models import TargetTable
from tests.reader_helpers import MATERIAL
from tests.targets_factory import make_table, target_rows

D = Decimal
SOURCES = ["target-export.xlsx", "target-export.pdf", "target-export.pdftotext-layout.txt"]


def read(name):
    tables, errors = target_reader.parse_file((MATERIAL / name).read_bytes(), name)
    assert errors == []
    assert len(tables) == 1
    return tables[0]


def figures(table) -> tuple:
    """What every source must agree on; texts without white space (a PDF wraps lines where the sheet has none)."""
    goal, budgets, rows = workflow.content(table)
    return ("".join(goal.split()), budgets, table.year, table.project_name, table.department, table.unit,
            [(row.level1, row.level2, "".join(row.name.split()), "".join(row.target.split()), row.weight) for row in rows])


@pytest.mark.parametrize("name", SOURCES)
def test_every_source_reads_the_figures_of_the_workbook(name):
    table = read(name)
    assert figures(table) == figures(read("target-export.xlsx"))
    assert (table.project_name, table.year, table.budget, table.budget_other) == (
        "火灾报警系统升级改造", 2023, D("56.00"), D("0.00"))
    assert [row.target for row in table.indicators][2::3] == ["=100.00(百分比)", ">90.00(百分比)"]
    assert [row.weight for row in table.indicators] == [D("10.00"), D("20.00"), D("10.00"), D("30.00"), D("10.00"),
                                                        D("10.00")]


def test_the_layout_text_says_its_lines_may_need_checking_and_the_pdf_its_page():
    assert any("按版面排列" in warning for warning in read("target-export.pdftotext-layout.txt").warnings)
    assert read("target-export.pdf").pages == (1, 1) and read("target-export.pdf").warnings == []


@pytest.mark.django_db
def test_the_export_read_back_is_exactly_the_table_exported():
    from targets import excel

    rows = target_rows()
    rows += [workflow.IndicatorValues("效益指标", "社会效益指标", "按时发布", "2场", D("0.00")),
             workflow.IndicatorValues("效益指标", "社会效益指标", "开通率", "≥95%", D("0.00")),
             workflow.IndicatorValues("效益指标", "社会效益指标", "年内完成", "12月底前完成", D("0.00"))]
    table = make_table(rows=rows, goal="第一段目标。\n第二段：公式样的文字 =SUM(A1) 照原样。", status=TargetTable.Status.APPROVED)
    out = io.BytesIO()
    excel.write_table(out, table)
    tables, errors = target_reader.parse_file(out.getvalue(), "导出.xlsx")
    assert errors == [] and len(tables) == 1
    assert workflow.content(tables[0]) == workflow.content(table)
    assert (tables[0].year, tables[0].project_name, tables[0].unit) == (2023, table.project.name, table.project.unit.name)
