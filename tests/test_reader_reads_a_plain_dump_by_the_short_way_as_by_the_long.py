"""A plain tab dump is read by a shorter way (grid.dump_grid, which skips telling layouts apart) than any
other text (parsing.parse_any_text). Both feed the one form reader, and for every tab dump in the
test material they give the same forms, notes and errors, so the short way cannot drift from the long."""

from dataclasses import asdict
from pathlib import Path

import pytest

from importer import grid, parsing

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "tests" / "material").rglob("*.txt")) + sorted((ROOT / "importer" / "samples").glob("*.txt"))


def text_of(path: Path) -> str:
    return parsing.decode(path.read_bytes()).lstrip("\ufeff")


DUMPS = [path for path in TEXTS if grid.dump_grid(text_of(path)) is not None]


def test_the_material_holds_tab_dumps_of_every_kind_and_texts_that_are_none():
    names = {path.name for path in DUMPS}
    assert {"sstec-2023-self-evaluations.txt", "sample-export.pdfplumber-tables.txt", "anhui-chizhou-2022.txt",
            "beijing-haidian-2016-cut-off.txt"} <= names
    # Text laid out by spaces, one cell a line, pdfplumber's text before its tables: the long way only.
    assert not names & {"sample-export.pdftotext-layout.txt", "sample-export.pdftotext-raw.txt",
                        "sample-export.pdfplumber-both.txt", "sample-spaces-expanded.txt"}


@pytest.mark.parametrize("path", DUMPS, ids=[path.name for path in DUMPS])
def test_a_dump_reads_alike_by_either_way(path):
    text = text_of(path)
    short = parsing.read_grid(grid.dump_grid(text), path.name)
    long = parsing.parse_any_text(text, path.name)
    assert [asdict(form) for form in short[0]] == [asdict(form) for form in long[0]]
    assert [asdict(error) for error in short[1]] == [asdict(error) for error in long[1]]
    assert parsing.parse_text(text, path.name) == short


@pytest.mark.parametrize("text", [
    " a\t b \n\t\u3000x\u3000\t\n  \n\tq ",  # white space at every edge of a cell
    "a\x0bb\t c\x1f\n\x85\t\u2028",  # white space other than spaces
    "财政项目支出绩效自评表\n（2023年度）\n项目名称\t\t甲\n",
])
def test_the_short_way_splits_cells_as_the_tab_adapter_does(text):
    assert grid.dump_grid(text).rows == grid.tab_grid(text.split("\n")).rows


def test_text_that_is_not_plainly_tabbed_goes_the_long_way():
    assert grid.dump_grid("") is None
    assert grid.dump_grid("一\n二\n三\t四\n" + "五\n" * 8) is None  # a tab in fewer than a tenth of the lines
