"""Some forms (an HTML form printed to PDF, for one) print 评分等级 on the 总分 row, after the total:
both are read from that row, from a PDF's table as from laid-out text."""

from importer import grid, parsing
from tests.reader_helpers import SAMPLE


def _fire_alarm_rows():
    forms_text = SAMPLE.read_text(encoding="utf-8").split("\n")
    name_at = next(i for i, line in enumerate(forms_text) if "火灾报警系统升级改造" in line)
    start = max(i for i in range(name_at) if forms_text[i].startswith("财政项目支出绩效自评表"))
    end = next(i for i in range(start, len(forms_text)) if forms_text[i].startswith("评分等级"))
    return forms_text[start:end + 1]


def test_a_total_row_that_also_holds_the_grade():
    lines = _fire_alarm_rows()
    total_at = next(i for i, line in enumerate(lines) if line.startswith("总分"))
    grade = lines.pop()  # `评分等级\t\t优…`
    lines[total_at] = lines[total_at].rstrip("\t") + "\t" + "\t".join(cell for cell in grade.split("\t") if cell)
    [form], errors = parsing.read_grid(grid.tab_grid(lines), "f.txt")
    assert errors == []
    assert (form.figures.declared_total, form.figures.declared_grade) == (parsing.Decimal("99.86"), "优")


def test_laid_out_text_splits_the_total_from_the_grade_label_one_space_after_it():
    assert [text for *_, text in grid._segments("      总分      100 99.86 评分等级      优")] == [
        "总分", "100", "99.86", "评分等级", "优"]
