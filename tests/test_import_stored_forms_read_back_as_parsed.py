"""A parsed form kept as JSON on the staged import reads back equal to what the parser gave: every
figure, every Decimal exactly, the line range as a tuple; the JSON holds data only."""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

import pytest

from importer import parsing, sources, stored
from tests import factory


def sample_forms():
    forms, errors = parsing.parse_bytes(factory.SAMPLE_DUMP.read_bytes(), file="sstec.txt")
    assert len(forms) == 6 and not errors
    return forms


def test_every_sample_form_reads_back_equal():
    for form in sample_forms():
        data = json.loads(json.dumps(stored.to_json(form)))  # what the JSON column gives back
        again = stored.from_json(parsing.ParsedForm, data)
        assert again == form
        assert isinstance(again.lines, tuple)
        assert isinstance(again.figures.indicators[0].weight, Decimal)


def test_decimals_keep_their_places_and_missing_figures_stay_missing():
    form = sample_forms()[1]
    form.figures.funding[0].weight = Decimal("10.50")
    form.figures.funding[1].score = None
    data = stored.to_json(form)
    assert data["figures"]["funding"][0]["weight"] == "10.50"
    again = stored.from_json(parsing.ParsedForm, data)
    assert str(again.figures.funding[0].weight) == "10.50" and again.figures.funding[1].score is None


@pytest.mark.django_db
def test_forms_read_from_a_workbook_read_back_equal():
    workbook = factory.xlsx_bytes([factory.make_evaluation()], summary=False)
    forms, errors = sources.parse_file(workbook, "form.xlsx")
    assert forms and not errors
    for form in forms:
        assert stored.from_json(parsing.ParsedForm, json.loads(json.dumps(stored.to_json(form)))) == form


def test_a_union_it_cannot_tell_apart_is_refused_rather_than_guessed():
    with pytest.raises(TypeError):
        stored.from_json(int | str, "1")


class Unit(Enum):
    WAN = "万元"
    YUAN = "元"


@dataclass
class Note:
    place: str
    message: str


@dataclass
class Printed:
    """Field shapes a reader may add to a form: enums, optional tuples, lists of notes, maps of Decimals."""

    unit: Unit
    pages: tuple[int, int] | None
    notes: list[Note] = field(default_factory=list)
    weights: dict[str, Decimal] = field(default_factory=dict)
    spans: tuple[int, ...] = ()


def test_other_field_shapes_read_back_equal():
    printed = Printed(Unit.YUAN, (1, 3), [Note("第2页", "页码略去")], {"产出指标": Decimal("50.00")}, (1, 2, 3))
    data = json.loads(json.dumps(stored.to_json(printed)))
    assert data["unit"] == "元" and data["weights"] == {"产出指标": "50.00"}
    assert stored.from_json(Printed, data) == printed
    assert stored.from_json(Printed, {**data, "pages": None}).pages is None
