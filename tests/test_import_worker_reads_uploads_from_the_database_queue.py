"""With the deployment's task backend (django-tasks' database backend), an upload waits in the queue
until `manage.py db_worker` — on this machine or any other sharing the database — reads it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from importer.models import StagedImport
from tests import factory

SAMPLE = factory.SAMPLE_DUMP


@pytest.mark.django_db(transaction=True)
def test_a_db_worker_run_reads_the_queued_upload_and_the_preview_shows_it(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.force_login(factory.make_staff())
    staged_url = client.post("/import/", {"files": [SimpleUploadedFile("sstec.txt", SAMPLE.read_bytes())]}).url

    assert StagedImport.objects.get().state == StagedImport.State.QUEUED
    [queued] = DBTaskResult.objects.all()
    assert queued.status == "READY" and queued.task_path == "importer.tasks.read_staged_import"
    assert "排队等待读取" in client.get(staged_url).content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    staged = StagedImport.objects.get()
    assert staged.state == StagedImport.State.READ and staged.files_read == 1
    page = client.get(staged_url).content.decode()
    assert "确认后将写入 6 份" in page and "绿色技术银行综合管理与运行" in page
