from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from importer import access, loader
from importer.form_import import FORMS
from importer.forms import UploadForm
from importer.models import StagedImport
from importer.tasks import queue_reading


def _require_importer(user):
    if not access.can_import(user):
        raise Http404("您没有导入的权限。")  # like every page outside one's role: not revealed


def _get_staged_import_for_user(user, pk):
    _require_importer(user)
    return get_object_or_404(StagedImport, pk=pk, created_by=user)


def upload_page(request, kind, form, template):
    """The upload page of documents of `kind` (importer.documents), with `form` (an UploadForm) in `template`:
    a valid upload is kept and queued for reading, and the browser goes to its progress and preview."""
    _require_importer(request.user)
    if request.method == "POST" and form.is_valid():
        staged = queue_reading(request.user, kind, form.cleaned_data["files"])
        return redirect("import_preview", staged.pk)
    recent = StagedImport.objects.filter(created_by=request.user, kind=kind.key).defer("parsed", "result")[:10]
    return render(request, template, {"form": form, "recent": recent})


@login_required
def upload(request):
    return upload_page(request, FORMS, UploadForm(request.POST or None, request.FILES or None), "importer/upload.html")


@login_required
def preview(request, pk):
    staged = _get_staged_import_for_user(request.user, pk)
    kind = staged.document_kind
    if staged.completed_at:  # back from the result page
        return redirect("import_result", staged.pk)
    if staged.state != StagedImport.State.READ:
        return render(request, "importer/progress.html", {"staged": staged, "kind": kind,
                                                          "stalled": staged.stalled_message()})
    rows = staged.parsed["documents"]
    for row in rows:
        row["outcome_label"] = loader.OUTCOME_LABELS[row["outcome"]]
    return render(request, "importer/preview.html", {
        "staged": staged, "kind": kind, "rows": rows, "errors": staged.parsed["errors"],
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
        staged.import_documents(request.user)
    result = staged.result
    messages.success(request, f"导入完成：处理 {len(result['documents'])} 份，无法读取 {len(result['errors'])} 份。")
    return redirect("import_result", staged.pk)


@login_required
def result(request, pk):
    staged = _get_staged_import_for_user(request.user, pk)
    if not staged.completed_at:
        return redirect("import_preview", staged.pk)
    kind = staged.document_kind
    results = staged.result.get("documents", [])
    written = [row["written"] for row in results if row["written"]]
    visible = set(kind.visible_written(request.user).filter(pk__in=written).values_list("pk", flat=True))
    for row in results:
        row["outcome_label"] = loader.OUTCOME_LABELS[row["outcome"]]
        row["url"] = reverse(kind.written_url, args=[row["written"]]) if row["written"] in visible else ""
    return render(request, "importer/result.html", {"staged": staged, "kind": kind, "results": results,
                                                    "errors": staged.result.get("errors", [])})
