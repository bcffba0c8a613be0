"""Work done on the task queue: building a publication package can take minutes for a large department."""

import logging
import tempfile

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from reports import chart_image, publication
from reports.models import PublicationPackage

log = logging.getLogger(__name__)


@task()
def build_publication_package(package_id: int):
    package = PublicationPackage.objects.select_related("department").get(pk=package_id)
    Status = PublicationPackage.Status

    def progress(done):
        PublicationPackage.objects.filter(pk=package_id).update(steps_done=done)

    PublicationPackage.objects.filter(pk=package_id).update(status=Status.RUNNING)
    try:
        with tempfile.TemporaryFile() as out:
            count = publication.write_package(out, package.department, package.year, progress)
            out.seek(0)
            package.file.save(f"package-{package.pk}.zip", File(out), save=False)
    except (publication.PackageError, chart_image.ChartRenderError) as error:
        package.status, package.error = Status.FAILED, str(error)
    except Exception:
        log.exception("publication package %s failed", package_id)
        package.status, package.error = Status.FAILED, "生成过程中出现意外错误，请稍后重试或联系管理员。"
    else:
        package.status, package.form_count = Status.DONE, count
        package.steps_done = package.steps_total
    package.finished_at = timezone.now()
    package.save(update_fields=["status", "error", "file", "form_count", "steps_done", "finished_at"])
    if package.status == Status.DONE:
        package.remove_superseded()
