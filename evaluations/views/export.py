"""Excel downloads in the submission layout: one evaluation, or a batch with a 汇总 sheet first.

A batch is the review queue's selection (POST `evaluation` from its selection form, or GET `ids=`)
or a filter with the queue's parameters (year, unit, status, q, grade, flag, errors) plus department.
Everything is scoped by visible_evaluations: another unit's ids are left out, never shown.
"""

import re
import tempfile
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from evaluations import excel, scoring
from evaluations.access import visible_evaluations
from evaluations.models import Department, Evaluation, Unit, scoring_rules
from evaluations.views.review import _filtered as queue_filtered

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows fetched (with their funding lines and indicators) per round trip while a batch streams out.
CHUNK_SIZE = 100
BATCH_ORDER = ("project__unit__department__name", "project__unit__name", "project__name", "-year", "pk")


class ExportFilterForm(forms.Form):
    """The queue's filter parameters, and department; a filter that does not validate is left out, as on the queue."""

    q = forms.CharField(required=False, max_length=100)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False)
    status = forms.ChoiceField(required=False, choices=[("", ""), *Evaluation.Status.choices])
    grade = forms.ChoiceField(required=False, choices=[("", ""), *((grade, grade) for grade in scoring.GRADES)])
    flag = forms.CharField(required=False, max_length=40)
    errors = forms.ChoiceField(required=False, choices=[("", ""), ("yes", "有错误"), ("no", "无错误")])

    def valid_filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def filtered_evaluations(evaluations, filters: dict):
    """The queue's filters, plus department, in the batch's order with every row a sheet needs."""
    evaluations = queue_filtered(evaluations, filters)
    if filters.get("department"):
        evaluations = evaluations.filter(department=filters["department"])
    return for_sheets(evaluations).order_by(*BATCH_ORDER)


def for_sheets(evaluations):
    return evaluations.select_related("project__unit__department").prefetch_related("funding_lines", "indicators")


def write_batch(out, evaluations) -> int:
    """A 汇总 sheet and one sheet per evaluation, fetched CHUNK_SIZE at a time."""
    return excel.write_workbook(out, evaluations.iterator(chunk_size=CHUNK_SIZE), scoring_rules())


@login_required
def export_evaluation(request, pk):
    evaluation = get_object_or_404(for_sheets(visible_evaluations(request.user)), pk=pk)
    name = f"{evaluation.project.name}（{evaluation.year}年度）绩效自评表.xlsx"
    return _download(
        lambda out: excel.write_workbook(out, [evaluation], scoring_rules(), summary=False),
        name, f"zpb-evaluation-{evaluation.pk}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def export_batch(request):
    """POST: the queue's selected rows; GET: `ids=` or the filter parameters."""
    params = request.POST if request.method == "POST" else request.GET
    evaluations = visible_evaluations(request.user)
    if request.method == "POST" or "ids" in params:
        ids = _selected_ids(params)
        if not ids:
            return _back(request, "请先勾选要导出的自评表。")
        evaluations = for_sheets(evaluations.filter(pk__in=ids)).order_by(*BATCH_ORDER)
        description = "所选"
    else:
        filters = ExportFilterForm(params).valid_filters()
        evaluations = filtered_evaluations(evaluations, filters)
        description = _describe(filters)
    if not evaluations.exists():
        return _back(request, "没有可导出的自评表。")
    return _download(lambda out: write_batch(out, evaluations), f"绩效自评表汇总（{description}）.xlsx", "zpb-evaluations.xlsx")


def _selected_ids(params) -> list[int]:
    values = params.getlist("evaluation") + params.getlist("ids")
    return [int(value) for text in values for value in text.split(",") if value.strip().isdigit()]


def _describe(filters: dict) -> str:
    parts = [f"{filters['year']}年度"] if "year" in filters else []
    parts += [str(filters[name]) for name in ("department", "unit") if name in filters]
    if "status" in filters:
        parts.append(Evaluation.Status(filters["status"]).label)
    return "-".join(parts) or "全部"


def _back(request, message):
    messages.warning(request, message)
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(referer)
    return redirect("home")


_UNSAFE_IN_FILE_NAME = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]')


def _download(write, name: str, ascii_name: str):
    """The workbook `write` produces, spooled through a temporary file, as an attachment named `name`."""
    out = tempfile.TemporaryFile()
    write(out)
    out.seek(0)
    response = FileResponse(out, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(name, ascii_name)
    return response


def content_disposition(name: str, ascii_name: str) -> str:
    """An attachment with its Chinese name (RFC 5987 `filename*`) and an ASCII name for older clients."""
    name = _UNSAFE_IN_FILE_NAME.sub("_", name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
