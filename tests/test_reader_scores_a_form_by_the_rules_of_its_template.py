"""A template family is a profile of data (importer.vocabulary.PROFILES), not a code path: the
Hubei-style form is scored with its 20-point budget block and its qualitative bands 80/50/0, the
sample with the deployment's rules."""

from decimal import Decimal

from evaluations import scoring
from importer import parsing, vocabulary
from importer.report import form_report, rules_for
from tests.reader_helpers import MATERIAL, SAMPLE, read

HUBEI = (MATERIAL / "outside" / "hubei-style-2020.txt").read_text(encoding="utf-8")


def qualitative_form(score: str):
    """The Hubei form with its 时效 indicator partly achieved and scored `score` of 20."""
    text = HUBEI.replace("12月底之前完成\t12月底之前完成\t20\t20", f"12月底之前完成\t部分达成预期指标\t20\t{score}")
    text = text.replace("总分\t\t\t\t\t100\t100", f"总分\t\t\t\t\t100\t{80 + Decimal(score)}")
    assert text != HUBEI
    [form], errors = parsing.parse_text(text, "hubei.txt")
    assert errors == []
    return form


def codes(form):
    return [flag["code"] for flag in form_report(form)["flags"]]


def test_the_hubei_profile_is_recognised_by_its_20_point_block():
    [form], _ = read(MATERIAL / "outside" / "hubei-style-2020.txt")
    rules = rules_for(form, scoring.DEFAULT_RULES)
    assert form.profile == "hubei-20"
    assert rules.funding_weight == Decimal("20") and rules.qualitative_bands == vocabulary.BANDS_80_50
    assert "E_WEIGHTS" not in codes(form)


def test_partly_achieved_at_55_percent_is_inside_the_hubei_band_but_not_the_default():
    form = qualitative_form("11")  # 55 % of 20
    assert "E_QUALITATIVE_BAND" not in codes(form)
    flags = scoring.flags_for(form.figures, scoring.DEFAULT_RULES)
    assert "E_QUALITATIVE_BAND" in [flag.code for flag in flags]


def test_partly_achieved_at_45_percent_is_outside_the_hubei_band():
    assert "E_QUALITATIVE_BAND" in codes(qualitative_form("9"))


def test_the_sample_keeps_the_deployments_rules():
    forms, _ = read(SAMPLE)
    assert {form.profile for form in forms} == {"shanghai-municipal"}
    assert all(rules_for(form) == scoring.DEFAULT_RULES for form in forms)
