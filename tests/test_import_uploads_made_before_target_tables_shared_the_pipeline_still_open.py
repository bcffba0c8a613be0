"""Upgrading: an upload waiting for confirmation, or already imported, before target tables shared the import
pipeline is a self-evaluation upload afterwards, its stored forms and results read under the pipeline's names."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("importer", "0002_staged_import_read_once_by_a_task")]
AFTER = [("importer", "0003_staged_import_holds_a_kind_of_document")]


@pytest.mark.django_db(transaction=True)
def test_stored_forms_and_results_keep_their_content_under_the_new_names():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="staff")
    StagedImport = old.get_model("importer", "StagedImport")
    waiting = StagedImport.objects.create(created_by=user, state="read", parsed={
        "forms": [{"form": {"project_name": "甲"}, "report": {"file": "a.txt"}, "outcome": "created", "message": ""}],
        "errors": []})
    done = StagedImport.objects.create(created_by=user, state="read", result={
        "forms": [{"evaluation": 7, "project_name": "乙", "outcome": "updated", "message": ""}], "errors": []})

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    StagedImport = executor.loader.project_state(AFTER).apps.get_model("importer", "StagedImport")
    waiting, done = StagedImport.objects.get(pk=waiting.pk), StagedImport.objects.get(pk=done.pk)
    assert waiting.kind == done.kind == "forms"
    assert waiting.parsed == {"documents": [{"document": {"project_name": "甲"}, "report": {"file": "a.txt"},
                                             "outcome": "created", "message": ""}], "errors": []}
    assert done.result == {"documents": [{"written": 7, "project_name": "乙", "outcome": "updated", "message": ""}],
                           "errors": []}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
