"""A batch workbook: 汇总 first with one row per evaluation, then one sheet each under a unique valid title."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from evaluations import excel
from evaluations.models import Evaluation
from evaluations.views.export import filtered_evaluations, write_batch
from tests import factory
from tests.sample_forms import SAMPLE_FORMS

pytestmark = pytest.mark.django_db

VALID_TITLE = re.compile(r"^[^\[\]:*?/\\]{1,31}$")


def test_summary_sheet_comes_first_with_one_row_per_evaluation():
    for form in SAMPLE_FORMS:
        factory.make_sample_evaluation(form)
    flagged = Evaluation.objects.get(project__name="国内外科技合作交流")
    out = BytesIO()
    assert write_batch(out, filtered_evaluations(Evaluation.objects.all(), {"year": 2023})) == 6
    workbook = load_workbook(BytesIO(out.getvalue()))
    assert workbook.sheetnames[0] == "汇总"
    summary = workbook["汇总"]
    assert [cell.value for cell in summary[1]] == list(excel.SUMMARY_HEADER)
    rows = {row[1]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {form["project_name"] for form in SAMPLE_FORMS} == set(workbook.sheetnames[1:])
    unit, project, year, budget, executed, rate, total, grade, status, errors, warnings = rows["国内外科技合作交流"]
    assert (unit, year, grade, status) == ("上海科学技术交流中心", 2023, "优", "草稿")
    assert [Decimal(repr(v)) for v in (budget, executed, rate, total)] == [Decimal(x) for x in ("439.02", "415.18", "94.56", "99.45")]
    assert (errors, warnings) == (flagged.error_count, flagged.warning_count) == (0, 8)  # 7 × W_OVERACHIEVED, W_SCORE_AHEAD_OF_SPENDING
    assert summary["D2"].number_format == "0.00"
    link = summary["B2"].hyperlink
    assert link.location == f"'{summary['B2'].value}'!A1"


def test_sheet_titles_are_unique_short_and_free_of_forbidden_characters():
    names = ["汇总", "a/b\\c[d]e:f*g?h", "x" * 40, "x" * 40, "X" * 40, "history", "'quoted'", "同名", "同名", "同名"]
    # The same project in several years, like a batch over years, is one repeated name.
    evaluations = [factory.make_evaluation(factory.make_project(name), year=2010 + n) for n, name in enumerate(names)]
    workbook = load_workbook(BytesIO(factory.xlsx_bytes(evaluations)))
    titles = workbook.sheetnames
    assert titles[0] == "汇总" and len(titles) == 11
    assert all(VALID_TITLE.match(title) and not title.startswith("'") and not title.endswith("'") for title in titles)
    assert len({title.casefold() for title in titles}) == len(titles)
    assert titles[1:4] == ["汇总(2)", "a_b_c_d_e_f_g_h", "x" * 31]
    assert titles[4] == "x" * 28 + "(2)" and titles[5] == "X" * 28 + "(3)"
    assert titles[6] == "history(2)" and titles[7] == "quoted"
    assert titles[8:] == ["同名", "同名(2)", "同名(3)"]


def test_a_batch_is_fetched_in_a_fixed_number_of_queries(django_assert_num_queries):
    def queries_for(count):
        Evaluation.objects.all().delete()
        unit = factory.make_unit()
        for n in range(count):
            factory.make_evaluation(factory.make_project(f"项目 {n}", unit))
        with django_assert_num_queries(3):  # evaluations, their funding lines, their indicators
            write_batch(BytesIO(), filtered_evaluations(Evaluation.objects.all(), {}))

    queries_for(2)
    queries_for(12)
