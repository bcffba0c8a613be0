"""Sheets are written as XML text (evaluations/excel.py), and that XML is what openpyxl's own writer
makes of the same cells: the same types, styles, escaping and kept spaces, whatever the text."""

import zipfile
from xml.etree.ElementTree import canonicalize
from decimal import Decimal
from io import BytesIO

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import NamedStyle
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from evaluations import excel

TRICKY_TEXT = ["=1+1", "-无", "+2", "@x", "\t=1", "\r=1", "#N/A", "#REF!", " 前后有空格 ", "  ", "a&b<c>\"d'",
               "第一行\n第二行", "\x01\x02", "x" * 40000, "是\x00否", "中文（全角）"]
texts = st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=30))
numbers = st.one_of(st.integers(-10**12, 10**12),
                    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9))
rows = st.lists(st.lists(st.one_of(st.none(), texts, numbers), min_size=1, max_size=6), max_size=6)


@settings(max_examples=60, deadline=None)
@given(header=st.lists(st.sampled_from(["名称", "=数值", "说明", " 备注"]), min_size=1, max_size=6), rows=rows)
def test_a_table_is_the_xml_openpyxl_writes_for_it(header, rows):
    out = BytesIO()
    excel.write_table(out, "表/格", header, rows)
    assert _parts(out) == _parts(_written_by_openpyxl(header, rows))


def _written_by_openpyxl(header, rows) -> BytesIO:
    """The table through openpyxl's write-only cells, as evaluations/excel.py wrote it before."""
    workbook = Workbook(write_only=True)
    for name, style in excel.STYLES.items():
        workbook.add_named_style(NamedStyle(name=name, **style))
    sheet = workbook.create_sheet("表_格")
    for column, label in enumerate(header):
        sheet.column_dimensions["ABCDEF"[column]].width = max(10, min(40, excel._display_width(label) + 2))
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.freeze_panes = "A2"

    def cell(value, style):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
        written = WriteOnlyCell(sheet, value)
        written.style = style
        if isinstance(value, str) and value.startswith(excel.FORMULA_STARTS):
            written.data_type = "s"
            written.quotePrefix = True
        return written

    sheet.append([cell(label, excel.HEADER) for label in header])
    for row in rows:
        sheet.append([cell(value, excel.PLAIN_NUMBER if isinstance(value, Decimal) else excel.PLAIN) for value in row])
    out = BytesIO()
    workbook.save(out)
    return out


def _parts(out: BytesIO) -> dict[str, str]:
    """Every part but the document properties (they hold the time of writing), as canonical XML: openpyxl's own
    bytes differ in empty-tag spacing with and without lxml installed, the XML they stand for does not."""
    with zipfile.ZipFile(out) as package:
        return {name: canonicalize(package.read(name).decode("utf-8")) for name in package.namelist()
                if not name.startswith("docProps/")}
