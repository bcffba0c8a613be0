"""The same new target table imported twice at the same moment: it is created once, the other import finds it
unchanged, and neither fails on the unique constraints. Real threads, real PostgreSQL locks."""

import pytest
from django.db import connection

from importer import loader, target_reader
from targets import workflow
from targets.models import TargetTable
from tests import factory
from tests.reader_helpers import MATERIAL

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; it serialises writers anyway"),
    pytest.mark.django_db(transaction=True),
]


def test_one_new_table_imported_twice_at_once_is_created_once_and_found_unchanged_once(monkeypatch):
    # The import that inserts first keeps its transaction open a moment after writing its TargetEvent.
    factory.pause_after(monkeypatch, "targets.workflow._record", 0.5)
    [table], _ = target_reader.parse_file((MATERIAL / "target-export.xlsx").read_bytes(), "目标.xlsx")

    outcomes = factory.at_the_same_moment(*[lambda: workflow.import_table(table, None, table.source)] * 2)

    results = [result for result, _ in outcomes]
    assert all(isinstance(result, workflow.ImportResult) for result in results), results
    assert sorted(result.outcome for result in results) == [loader.CREATED, loader.UNCHANGED]
    stored = TargetTable.objects.get()
    assert stored.indicators.count() == 6 and stored.events.count() == 1
