"""pdfplumber's text followed by its tables (one row a line, a wrapped cell's line break inside its
row): the tables give the cells, the text each form's title and year, and the 一级/二级 labels that
the PDF prints outside both pages' tables when a merged cell crosses a page break."""

from tests.reader_helpers import MATERIAL, SAMPLE, by_project, read


def test_the_forms_read_with_the_figures_and_flags_of_the_dump():
    dump = by_project(read(SAMPLE)[0])
    forms, errors = read(MATERIAL / "sample-export.pdfplumber-both.txt")
    assert errors == []
    assert by_project(forms) == dump
    # Rows joined from several lines keep the number of their first line.
    assert forms[0].lines[0] == 8


def test_a_label_printed_between_two_pages_tables_labels_the_rows_around_it():
    forms, _ = read(MATERIAL / "sample-export.pdfplumber-both.txt")
    form = next(form for form in forms if form.project_name == "国内外科技合作交流")
    # The labels stand alone on text lines 174 and 175, just above the header repeated on page 5.
    assert {note["place"] for note in form.notes if "表格外的" in note["message"]} == {"第 174 行", "第 175 行"}
    first_of_page_5 = next(i for i in form.figures.indicators if i.name.startswith("协同创新") and "开展技术对接" in i.name)
    assert (first_of_page_5.level1, first_of_page_5.level2) == ("产出指标", "数量指标")
