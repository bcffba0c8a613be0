"""Some PDF fonts (Chromium printing CJK text) extract as Kangxi radicals and CJK radicals
supplement characters that look like the ideographs (项⽬, 主管部⻔): a PDF's text is read as the
ideographs, and a title that carries its year without brackets (`2023年度项目支出绩效自评表`) gives it."""

from importer import grid, parsing
from tests.test_parser_layout import dump


def test_radicals_are_read_as_the_ideographs():
    assert grid._unwrap("项⽬名称\n主管部⻔") == "项目名称\n主管部门"
    assert grid._unwrap("⻓⻛⻢") == "长风马"


def test_a_title_may_carry_the_year_without_brackets():
    after_title = dump().split("\n", 3)[3]
    [form], errors = parsing.parse_text("2023年度项目支出绩效自评表\n\n" + after_title, "dump.txt")
    assert errors == [] and form.year == 2023
