"""The same new forms imported twice at the same moment (two people, two app processes): each form is
created once, the other import reports it unchanged, and neither fails on the unique constraints.
Real threads, real PostgreSQL locks."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from evaluations.models import Evaluation, WorkflowEvent
from importer import loader, parsing
from importer.models import StagedImport
from tests import factory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; it serialises writers anyway"),
    pytest.mark.django_db(transaction=True),
]

SAMPLE = factory.SAMPLE_DUMP
HOLD = 0.5


def sample_forms():
    forms, errors = parsing.parse_bytes(SAMPLE.read_bytes(), SAMPLE.name)
    assert len(forms) == 6 and not errors
    return forms


def test_one_new_form_loaded_twice_at_once_is_created_once_and_found_unchanged_once(monkeypatch):
    # The load that inserts first keeps its transaction open a moment after writing its import event.
    factory.pause_after(monkeypatch, "evaluations.workflow.record", HOLD)
    form = sample_forms()[0]

    outcomes = factory.at_the_same_moment(lambda: loader.load_form(form), lambda: loader.load_form(form))

    results = [result for result, _ in outcomes]
    assert all(isinstance(result, loader.LoadResult) for result in results), results
    assert sorted(result.outcome for result in results) == [loader.CREATED, loader.UNCHANGED]
    evaluation = Evaluation.objects.get()
    assert {result.evaluation.pk for result in results} == {evaluation.pk}
    assert evaluation.project.name == form.project_name and evaluation.events.count() == 1


def test_two_people_confirming_uploads_of_the_same_dump_at_once_create_each_form_once(monkeypatch):
    staff = factory.make_staff()  # 填报人 of the sample's unit
    reviewer = factory.make_reviewer()  # 审核人 of its department
    clients, staged = [], []
    for person in (staff, reviewer):
        client = Client()
        client.force_login(person)
        with SAMPLE.open("rb") as dump:
            assert client.post(reverse("import_upload"), {"files": dump}).status_code == 302
        clients.append(client)
        staged.append(StagedImport.objects.get(created_by=person))

    # Each confirmation keeps its transaction open a moment after loading, as a big import would.
    load_forms = loader.load_forms

    def load_then_hold(*args, **kwargs):
        yield from load_forms(*args, **kwargs)
        time.sleep(HOLD)

    monkeypatch.setattr(loader, "load_forms", load_then_hold)
    factory.at_the_same_moment(*(
        lambda client=client, pk=upload.pk: client.post(reverse("import_confirm", args=[pk]))
        for client, upload in zip(clients, staged)
    ))

    results = []
    for upload in staged:
        upload.refresh_from_db()
        assert upload.completed_at is not None and upload.result["errors"] == []
        results.append(sorted({form["outcome"] for form in upload.result["documents"]}))
    assert sorted(results) == [[loader.CREATED], [loader.UNCHANGED]]
    assert Evaluation.objects.count() == 6
    assert WorkflowEvent.objects.filter(action=WorkflowEvent.Action.IMPORT).count() == 6


def test_a_double_click_on_confirm_imports_once_and_sends_both_clicks_to_the_result(monkeypatch):
    client = Client()
    client.force_login(factory.make_staff())
    with SAMPLE.open("rb") as dump:
        staged_url = client.post(reverse("import_upload"), {"files": dump}).url
    staged = StagedImport.objects.get()
    factory.pause_after(monkeypatch, "evaluations.workflow.record", 0.05)  # the first click holds the row lock

    clicks = factory.at_the_same_moment(*[lambda: client.post(reverse("import_confirm", args=[staged.pk]))] * 2)

    responses = [response for response, _ in clicks]
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {reverse("import_result", args=[staged.pk])}
    assert Evaluation.objects.count() == 6
    assert WorkflowEvent.objects.filter(action=WorkflowEvent.Action.IMPORT).count() == 6
    assert staged_url == reverse("import_preview", args=[staged.pk])
    staged.refresh_from_db()
    # The second click waited for the first and did not load the forms again (it would find them unchanged).
    assert [form["outcome"] for form in staged.result["documents"]] == [loader.CREATED] * 6
