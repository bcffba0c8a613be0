"""The six sample forms read with identical figures and flags from the tab dump, from a PDF of our
own Excel export read directly, from that workbook, and from the dump with its tabs turned into
spaces (a fixed number per tab, or padded to tab stops as an editor does)."""

import pytest

from tests.reader_helpers import MATERIAL, SAMPLE, by_project, read

SOURCES = [
    "sample-export.pdf",  # LibreOffice's PDF of `manage.py export_xlsx`
    "sample-export.xlsx",
    "sample-spaces-fixed.txt",  # every tab replaced by 4 spaces
    "sample-spaces-expanded.txt",  # every tab padded to the next 8-column stop, a Chinese character 2 wide
]


@pytest.fixture(scope="module")
def dump_forms():
    forms, errors = read(SAMPLE)
    assert errors == [] and len(forms) == 6
    return by_project(forms)


@pytest.mark.parametrize("name", SOURCES)
def test_every_form_reads_with_the_figures_and_flags_of_the_dump(name, dump_forms):
    forms, errors = read(MATERIAL / name)
    assert errors == []
    assert by_project(forms) == dump_forms


def test_a_pdf_form_says_its_pages_and_no_lines():
    forms, _ = read(MATERIAL / "sample-export.pdf")
    # Page 1 is the workbook's 汇总 sheet; the long forms run over two pages.
    assert [form.pages for form in forms] == [(2, 2), (3, 3), (4, 5), (6, 6), (7, 7), (8, 9)]
    assert all(form.lines is None for form in forms)
    summary = forms[0].notes[0]
    assert summary["place"].startswith("第 1 页") and "不属于任何自评表" in summary["message"]
