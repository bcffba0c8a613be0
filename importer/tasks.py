"""Work done by the task queue's workers (`manage.py db_worker`), not by the web request, and the queuing of it."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from importer.models import StagedFile, StagedImport

logger = logging.getLogger(__name__)

# An upload left unconfirmed this long is dropped at the next upload.
STAGED_LIFETIME = timedelta(days=1)


@task()
def read_staged_import(staged_import_id: int) -> None:
    """Read an upload's files once; a crash leaves a Chinese reason on the upload, never a page that waits forever."""
    staged = StagedImport.objects.filter(pk=staged_import_id, state=StagedImport.State.QUEUED).first()
    if staged is None:  # already read, or the upload is gone
        return
    try:
        staged.read_files()
    except Exception:
        logger.exception("reading staged import %s failed", staged_import_id)
        staged.fail("读取文件时程序出错，未导入任何内容。请重新上传；如反复出现，请把文件发给管理员。")


def queue_reading(user, kind, files) -> StagedImport:
    """Keep the uploaded `files` ([(name, bytes)]) of `kind` (importer.documents) and queue their reading;
    an upload left unconfirmed for a day is dropped here."""
    with transaction.atomic():
        StagedImport.objects.filter(completed_at__isnull=True, created_at__lt=timezone.now() - STAGED_LIFETIME).delete()
        staged = StagedImport.objects.create(created_by=user, kind=kind.key, file_count=len(files))
        StagedFile.objects.bulk_create(StagedFile(staged_import=staged, name=name, content=data) for name, data in files)
        # Queued in the same transaction: a worker never sees the task without its files.
        read_staged_import.enqueue(staged.pk)
    return staged
