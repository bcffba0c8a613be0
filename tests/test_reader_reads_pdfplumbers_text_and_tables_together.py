"""pdfplumber's text followed by its tables (one row a line, a wrapped cell's line break inside its
row): the tables give the cells, the text each form's title and year. Forms whose 一级/二级 labels
the PDF prints outside the table (a merged cell across a page break) cannot be completed from the
tables and are one error each, never a wrong form."""

from tests.reader_helpers import MATERIAL, SAMPLE, by_project, read


def test_the_forms_read_with_the_figures_and_flags_of_the_dump():
    dump = by_project(read(SAMPLE)[0])
    forms, errors = read(MATERIAL / "sample-export.pdfplumber-both.txt")
    read_forms = by_project(forms)
    assert len(read_forms) == 5
    assert all(read_forms[name] == dump[name] for name in read_forms)
    [error] = errors
    assert "缺少一级指标" in error.message and error.project_name == "国内外科技合作交流"
    # Rows joined from several lines keep the number of their first line.
    assert forms[0].lines[0] == 8
