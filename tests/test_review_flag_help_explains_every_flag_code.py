"""Every flag code the scoring rules can raise has a short Chinese title and explanation of the right severity."""

import inspect
import re

from evaluations import flag_help, scoring
from tests import factory
from tests.sample_forms import SAMPLE_FORMS

SEVERITY_BY_PREFIX = {"E": scoring.ERROR, "W": scoring.WARNING, "I": scoring.INFO}


def codes_in_the_rules():
    return set(re.findall(r'"([EWI]_[A-Z_]+)"', inspect.getsource(scoring)))


def test_the_catalogue_covers_exactly_the_codes_of_the_rules():
    assert len(codes_in_the_rules()) == 23  # SCORING.md §4, and the four §6 flags that need no 绩效目标表 or last year's form
    assert set(flag_help.FLAG_HELP) == codes_in_the_rules()


def test_each_entry_is_chinese_and_of_the_severity_its_code_names():
    for code, entry in flag_help.FLAG_HELP.items():
        assert entry.severity == SEVERITY_BY_PREFIX[code[0]]
        assert re.search(r"[\u4e00-\u9fff]", entry.title) and len(entry.title) <= 8
        assert re.search(r"[\u4e00-\u9fff]", entry.explanation)


def test_flags_raised_by_the_sample_forms_agree_with_the_catalogue():
    for form in SAMPLE_FORMS:
        for flag in scoring.flags_for(factory.sample_figures(form)):
            assert flag_help.FLAG_HELP[flag.code].severity == flag.severity


def test_grouping_keeps_every_place_of_a_code_together():
    flags = scoring.flags_for(factory.sample_figures(factory.sample_form("国内外科技合作交流")))
    groups = {group.help.code: group for group in flag_help.group_flags(flags)}
    assert groups["W_OVERACHIEVED"].indicators == [9, 10, 12, 13, 14, 21, 27]


def test_codes_are_listed_errors_first():
    entries = flag_help.helps_for_codes("I_WEIGHT_SPLIT W_UNIT_MISSING E_TOTAL")
    assert [entry.code for entry in entries] == ["E_TOTAL", "W_UNIT_MISSING", "I_WEIGHT_SPLIT"]
