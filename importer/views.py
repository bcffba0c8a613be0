from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from evaluations.access import visible_evaluations
from evaluations.models import scoring_rules
from importer import access, loader, parsing
from importer.forms import UploadForm
from importer.models import StagedFile, StagedImport
from importer.report import error_report, form_report, reused_among
from importer.sources import parse_file

# An upload left unconfirmed this long is dropped at the next upload.
STAGED_LIFETIME = timedelta(days=1)


def _require_importer(user):
    if not access.can_import(user):
        raise PermissionDenied("您没有导入自评表的权限。")


def _get_staged_import_for_user(user, pk, completed):
    _require_importer(user)
    return get_object_or_404(StagedImport, pk=pk, created_by=user, completed_at__isnull=not completed)


def _parse_staged(staged, user):
    """Parse every staged file; forms the user may not import become errors."""
    forms, errors = [], []
    for staged_file in staged.files.all():
        try:
            file_forms, file_errors = parse_file(bytes(staged_file.content), staged_file.name)
        except parsing.ParseError as error:
            errors.append(parsing.FormError(staged_file.name, (0, 0), "", str(error)))
            continue
        errors += file_errors
        for form in file_forms:
            problem = access.scope_problem(user, form)
            if problem:
                errors.append(parsing.FormError(form.file, form.lines, form.project_name, problem))
            else:
                forms.append(form)
    return forms, errors


@login_required
def upload(request):
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            StagedImport.objects.filter(completed_at__isnull=True, created_at__lt=timezone.now() - STAGED_LIFETIME).delete()
            staged = StagedImport.objects.create(created_by=request.user)
            StagedFile.objects.bulk_create(
                StagedFile(staged_import=staged, name=name, content=data) for name, data in form.cleaned_data["files"]
            )
        return redirect("import_preview", staged.pk)
    recent = StagedImport.objects.filter(created_by=request.user, completed_at__isnull=False)[:10]
    return render(request, "importer/upload.html", {"form": form, "recent": recent})


@login_required
def preview(request, pk):
    staged = _get_staged_import_for_user(request.user, pk, completed=False)
    forms, errors = _parse_staged(staged, request.user)
    rules = scoring_rules()
    rows = []
    reused = reused_among(forms, rules)
    for form in forms:
        outcome = loader.predict(form)
        rows.append({
            "report": form_report(form, rules, reused=reused[id(form)]),
            "outcome": outcome,
            "outcome_label": loader.OUTCOME_LABELS[outcome],
            "message": loader.refusal_message(form) if outcome == loader.REFUSED else "",
        })
    return render(request, "importer/preview.html", {
        "staged": staged, "rows": rows, "errors": [error_report(e) for e in errors],
        "importable": sum(row["outcome"] in (loader.CREATED, loader.UPDATED) for row in rows),
    })


@login_required
@require_POST
def confirm(request, pk):
    _require_importer(request.user)
    with transaction.atomic():
        # The row lock makes a double click import once.
        staged = get_object_or_404(
            StagedImport.objects.select_for_update(), pk=pk, created_by=request.user, completed_at__isnull=True
        )
        forms, errors = _parse_staged(staged, request.user)
        results = []
        for form, result in loader.load_forms(forms, request.user):
            if isinstance(result, Exception):  # a failed write costs only its own form
                errors.append(parsing.FormError(form.file, form.lines, form.project_name, f"写入失败：{result}"))
                continue
            results.append({
                "evaluation": result.evaluation.pk if result.evaluation else None,
                "project_name": form.project_name, "unit": form.unit, "year": form.year,
                "file": form.file, "lines": list(form.lines),
                "outcome": result.outcome, "message": result.message,
            })
        staged.result = {"forms": results, "errors": [error_report(e) for e in errors]}
        staged.completed_at = timezone.now()
        staged.save(update_fields=["result", "completed_at"])
        staged.files.all().delete()
    messages.success(request, f"导入完成：处理 {len(results)} 份，无法读取 {len(errors)} 份。")
    return redirect("import_result", staged.pk)


@login_required
def result(request, pk):
    staged = _get_staged_import_for_user(request.user, pk, completed=True)
    forms = staged.result.get("forms", [])
    ids = [f["evaluation"] for f in forms if f["evaluation"]]
    visible = set(visible_evaluations(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    for form in forms:
        form["outcome_label"] = loader.OUTCOME_LABELS[form["outcome"]]
        form["linkable"] = form["evaluation"] in visible
    return render(request, "importer/result.html", {"staged": staged, "forms": forms, "errors": staged.result.get("errors", [])})
