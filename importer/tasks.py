"""Work done by the task queue's workers (`manage.py db_worker`), not by the web request."""

import logging

from django_tasks import task

from importer.models import StagedImport

logger = logging.getLogger(__name__)


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
