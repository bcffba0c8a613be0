"""The parser caches what it makes of recurring cell texts: neither other dumps read in between nor
a caller changing the forms it got changes what a dump reads as."""

import copy
from pathlib import Path

from importer.parsing import parse_bytes, parse_text

SAMPLE = Path(__file__).resolve().parent.parent / "importer" / "samples" / "sstec-2023-self-evaluations.txt"


def test_a_dump_read_again_gives_the_same_forms():
    data = SAMPLE.read_bytes()
    forms, errors = parse_bytes(data, SAMPLE.name)
    expected = copy.deepcopy(forms)
    for form in forms:
        form.warnings.append("changed by the caller")
        form.figures.indicators[0].name = "changed by the caller"
        form.figures.funding.pop()
    # The same cells in other layouts, spacing and notation go through the caches in between.
    text = data.decode("utf-8")
    parse_text(text.replace("\n\t", "\n\t\t").replace("满意度指标", "满意 度指 标"), "shifted.txt")
    parse_text(text.replace("=", "＝").replace("(", "（").replace(")", "）"), "full-width.txt")

    again, errors_again = parse_bytes(data, SAMPLE.name)

    assert errors == errors_again == []
    assert len(again) == 6
    assert again == expected
