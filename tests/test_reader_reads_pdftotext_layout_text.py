"""`pdftotext -layout` text of our export's PDF: cells found from the runs of spaces and their
positions, a row's wrapped lines gathered round its middle line, merged 一级/二级 labels put on the
span they are centred on. Four of the six forms read with the dump's figures and flags; the other
two (a merged label across a page break, a goal text overprinting the header) are one clear error
each: none is read wrong."""

from tests.reader_helpers import MATERIAL, SAMPLE, by_project, read


def test_every_form_is_read_as_in_the_dump_or_is_one_error():
    dump = by_project(read(SAMPLE)[0])
    forms, errors = read(MATERIAL / "sample-export.pdftotext-layout.txt")
    read_forms = by_project(forms)
    assert all(read_forms[name] == dump[name] for name in read_forms)
    assert len(read_forms) >= 4
    assert len(read_forms) + len(errors) == 6
    assert all(error.lines and error.project_name in dump for error in errors)


def test_rows_keep_the_line_of_their_middle():
    forms, _ = read(MATERIAL / "sample-export.pdftotext-layout.txt")
    first = next(form for form in forms if form.project_name == "信息化建设项目")
    assert first.lines == (9, 92)


def test_every_form_read_from_laid_out_text_says_to_check_its_texts():
    forms, _ = read(MATERIAL / "sample-export.pdftotext-layout.txt")
    assert all(any("按版面排列的文本" in note["message"] for note in form.notes) for form in forms)
