from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from evaluations.access import visible_evaluations
from importer import access, loader
from importer.forms import UploadForm
from importer.models import StagedFile, StagedImport
from importer.tasks import read_staged_import

# An upload left unconfirmed this long is dropped at the next upload.
STAGED_LIFETIME = timedelta(days=1)


def _require_importer(user):
    if not access.can_import(user):
        raise Http404("您没有导入自评表的权限。")  # like every page outside one's role: not revealed


def _get_staged_import_for_user(user, pk):
    _require_importer(user)
    return get_object_or_404(StagedImport, pk=pk, created_by=user)


@login_required
def upload(request):
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["files"]
        with transaction.atomic():
            StagedImport.objects.filter(completed_at__isnull=True, created_at__lt=timezone.now() - STAGED_LIFETIME).delete()
            staged = StagedImport.objects.create(created_by=request.user, file_count=len(files))
            StagedFile.objects.bulk_create(StagedFile(staged_import=staged, name=name, content=data) for name, data in files)
            # Queued in the same transaction: a worker never sees the task without its files.
            read_staged_import.enqueue(staged.pk)
        return redirect("import_preview", staged.pk)
    recent = StagedImport.objects.filter(created_by=request.user).defer("parsed", "result")[:10]
    return render(request, "importer/upload.html", {"form": form, "recent": recent})


@login_required
def preview(request, pk):
    staged = _get_staged_import_for_user(request.user, pk)
    if staged.completed_at:  # back from the result page
        return redirect("import_result", staged.pk)
    if staged.state != StagedImport.State.READ:
        return render(request, "importer/progress.html", {"staged": staged, "stalled": staged.stalled_message()})
    rows = staged.parsed["forms"]
    for row in rows:
        row["outcome_label"] = loader.OUTCOME_LABELS[row["outcome"]]
    return render(request, "importer/preview.html", {
        "staged": staged, "rows": rows, "errors": staged.parsed["errors"],
        "importable": sum(row["outcome"] in (loader.CREATED, loader.UPDATED) for row in rows),
    })


@login_required
@require_POST
def confirm(request, pk):
    _require_importer(request.user)
    with transaction.atomic():
        # The row lock makes a double click import once: the second click finds the import done.
        staged = get_object_or_404(StagedImport.objects.select_for_update(), pk=pk, created_by=request.user)
        if staged.completed_at:
            messages.info(request, "此次导入已经完成，没有重复导入。")
            return redirect("import_result", staged.pk)
        if staged.state != StagedImport.State.READ:
            return redirect("import_preview", staged.pk)
        staged.import_forms(request.user)
    result = staged.result
    messages.success(request, f"导入完成：处理 {len(result['forms'])} 份，无法读取 {len(result['errors'])} 份。")
    return redirect("import_result", staged.pk)


@login_required
def result(request, pk):
    staged = _get_staged_import_for_user(request.user, pk)
    if not staged.completed_at:
        return redirect("import_preview", staged.pk)
    forms = staged.result.get("forms", [])
    ids = [f["evaluation"] for f in forms if f["evaluation"]]
    visible = set(visible_evaluations(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    for form in forms:
        form["outcome_label"] = loader.OUTCOME_LABELS[form["outcome"]]
        form["linkable"] = form["evaluation"] in visible
    return render(request, "importer/result.html", {"staged": staged, "forms": forms, "errors": staged.result.get("errors", [])})
