"""The look of a generated report when the office supplies no template of its own: A4, 公文 margins
(GB/T 9704), 仿宋 body, 宋体 title and tables, 黑体/楷体 headings, the page number centred in the footer."""

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

# (style, East Asian font, size in points, bold)
FONTS = [
    ("Normal", "仿宋", 14, False),
    ("Title", "宋体", 22, True),
    ("Subtitle", "楷体", 16, False),
    ("Heading 1", "黑体", 16, False),
    ("Heading 2", "楷体", 15, True),
    ("Table Grid", "宋体", 10.5, False),
]
LATIN_FONT = "Times New Roman"


def set_fonts(style_or_run, east_asian: str, size=None, bold=None):
    """Name the font for Chinese and Latin text alike (Word picks the East Asian face from w:eastAsia)."""
    font = style_or_run.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
    fonts.set(qn("w:eastAsia"), east_asian)


TABLE_TEXT = "表格文字"


def table_text_style(document):
    """The paragraph style of table cells: the template's own when it defines one by this name."""
    styles = document.styles
    if any(style.name == TABLE_TEXT for style in styles):
        return styles[TABLE_TEXT]
    style = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    set_fonts(style, "宋体", 10.5)
    style.paragraph_format.first_line_indent = Cm(0)
    style.paragraph_format.line_spacing = 1.0
    style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
    return style


def default_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    for name, east_asian, size, bold in FONTS:
        style = document.styles[name]
        set_fonts(style, east_asian, size, bold)
        if name in ("Title", "Subtitle"):
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _drop_title_rule(document.styles["Title"])
    document.styles["Normal"].paragraph_format.line_spacing = Pt(28)
    add_page_number(section.footer.paragraphs[0])
    return document


def _drop_title_rule(style):
    """python-docx's Title style draws a blue rule under the title; a report has none."""
    properties = style.element.pPr
    if properties is not None:
        for border in properties.findall(qn("w:pBdr")):
            properties.remove(border)


def add_page_number(paragraph):
    """'— n —' centred, n being a PAGE field that Word and LibreOffice fill in."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" —")
