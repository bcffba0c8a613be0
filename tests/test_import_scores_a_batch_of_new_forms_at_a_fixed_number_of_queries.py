"""Importing new forms in bulk reads the approved targets and last years' forms for the whole batch at once,
not two queries per form (which made a province's import take hours), and the forms get the same target
flags as when each is scored alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import form_checks
from evaluations.models import Evaluation
from importer import loader, parsing
from tests import factory
from tests.sample_forms import SAMPLE_FORMS

pytestmark = pytest.mark.django_db


def forms_of(year, copies=("",)):
    """The sample's six forms of `year`, once per suffix in `copies` (a copy's projects carry the suffix)."""
    text = factory.SAMPLE_DUMP.read_text(encoding="utf-8").replace("2023", str(year))
    forms = []
    for suffix in copies:
        copy = text
        for sample in SAMPLE_FORMS:
            copy = copy.replace(sample["project_name"], sample["project_name"] + suffix)
        read, errors = parsing.parse_text(copy, f"{year}{suffix}.txt")
        assert not errors and len(read) == 6
        forms += read
    return forms


def test_a_batch_reads_the_targets_and_last_years_forms_in_two_queries_with_the_same_flags():
    copies = ["", "甲", "乙", "丙"]
    list(loader.load_forms(forms_of(2022, copies)))  # last year's forms, for W_TARGET_BELOW_LAST_ACTUAL
    list(loader.load_forms(forms_of(2023, copies)))
    evaluations = list(Evaluation.objects.filter(year=2023).select_related("project"))
    figures = {e.pk: e.figures() for e in evaluations}
    alone = {e.pk: form_checks.flags(e, figures[e.pk]) for e in evaluations}

    pairs = {(e.project_id, e.year) for e in evaluations}
    with CaptureQueriesContext(connection) as captured, form_checks.preloaded(pairs):
        batch = {e.pk: form_checks.flags(e, figures[e.pk]) for e in evaluations}

    assert len(evaluations) == 24 and batch == alone
    assert any(flag.code == "W_TARGET_BELOW_LAST_ACTUAL" for flags in alone.values() for flag in flags)
    assert len(captured) == 2 + 1  # approved tables, last years' forms, and their indicators (prefetched)


def test_importing_new_forms_scores_them_within_one_preload(monkeypatch):
    batches = []
    real = form_checks.preloaded
    monkeypatch.setattr(form_checks, "preloaded", lambda pairs: batches.append(pairs) or real(pairs))
    list(loader.load_forms(forms_of(2023, ["", "甲"])))
    assert len(batches) == 1 and len(batches[0]) == 12
