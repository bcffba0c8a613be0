"""The import preview shows what comparing a form with its project's approved targets will raise
(W_TARGET_CHANGED), as the load itself then stores; a form of a project without targets shows none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import Evaluation
from importer.models import StagedImport
from targets import workflow
from targets.models import TargetTable
from tests import factory
from tests.reader_helpers import SAMPLE
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db


def test_the_preview_shows_a_changed_target_and_the_load_stores_it(client):
    project = factory.make_project()  # 火灾报警系统升级改造 of the sample's unit
    rows = [workflow.IndicatorValues(row.level1, row.level2, row.name, row.target, row.weight)
            for row in factory.sample_figures(factory.sample_form(project.name)).indicators]
    rows[0].target = "报警联动控制器 2 台"
    make_table(project=project, rows=rows, status=TargetTable.Status.APPROVED)
    client.force_login(factory.make_staff(unit=project.unit))
    staged_url = client.post("/import/", {"files": [SimpleUploadedFile("sstec.txt", SAMPLE.read_bytes())]}).url
    page = client.get(staged_url).content.decode()
    assert page.count('data-code="W_TARGET_CHANGED"') == 1 and "改动绩效目标" in page and "报警联动控制器 2 台" in page
    client.post(f"{staged_url}confirm/")
    assert StagedImport.objects.get().completed_at is not None
    stored = Evaluation.objects.get(project=project)
    assert stored.has_flag("W_TARGET_CHANGED")
    assert not Evaluation.objects.exclude(project=project).filter(flag_codes__contains="W_TARGET_CHANGED").exists()
