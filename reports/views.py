"""Report pages: a form's report (texts edited, then the .docx), the department's summary and its
publication package, built on the task queue and downloaded by whoever asked for it.

Who: a form's report — those who see the form (its unit's staff, its department's reviewer, auditors);
its texts — its unit's staff and its department's reviewer. The department's documents — its reviewer
and auditors. Everyone else gets 404.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from evaluations import roles
from evaluations.access import can_audit, can_review, reviewable_evaluations, visible_evaluations
from evaluations.models import Department, Evaluation
from reports import chart_image, documents, publication
from reports.forms import DepartmentYearForm, ReportTextForm
from reports.models import PublicationPackage, ReportText, ReportTextConflict
from reports.tasks import build_publication_package

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECENT_PACKAGES = 10


def _attachment(content: bytes, content_type: str, name: str, ascii_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = _disposition(name, ascii_name)
    return response


def _disposition(name: str, ascii_name: str) -> str:
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- one form's report ---------------------------------------------------------------------------


def _get_evaluation_for_user(user, pk):
    evaluations = visible_evaluations(user).select_related("unit", "department", "report_text")
    return get_object_or_404(evaluations.prefetch_related("funding_lines", "indicators"), pk=pk)


def _get_editable_evaluation_for_user(user, pk):
    """The unit's staff write their report; the department's reviewer may correct it; auditors only read."""
    if can_review(user):
        evaluations = reviewable_evaluations(user)
    elif roles.has_role(user, roles.STAFF) and roles.user_unit(user):
        evaluations = Evaluation.objects.filter(unit=roles.user_unit(user))
    else:
        raise Http404("没有这份自评表。")
    evaluations = evaluations.select_related("project", "unit", "department", "report_text")
    return get_object_or_404(evaluations.prefetch_related("funding_lines", "indicators"), pk=pk)


@login_required
def report_texts(request, pk):
    evaluation = _get_editable_evaluation_for_user(request.user, pk)
    texts = ReportText.of(evaluation)
    if request.method == "POST":
        form = ReportTextForm(request.POST, instance=ReportText(evaluation=evaluation))
        if form.is_valid():
            try:
                ReportText.save_texts(evaluation, request.user, form.cleaned_data["problems"],
                                      form.cleaned_data["improvements"], form.cleaned_data["version"])
            except ReportTextConflict as conflict:
                messages.error(request, str(conflict))
                return redirect("report_texts", pk)
            messages.success(request, "报告文字已保存。")
            return redirect("report_texts", pk)
    else:
        form = ReportTextForm(instance=texts, initial={"version": texts.version})
    history = texts.history.select_related("history_user").order_by("-history_date")[:20] if texts.pk else []
    return render(request, "reports/texts.html", {
        "evaluation": evaluation, "form": form, "texts": texts, "history": history,
        "deductions": documents.deductions_of(evaluation),
    })


@login_required
def evaluation_report(request, pk):
    evaluation = _get_evaluation_for_user(request.user, pk)
    name = f"{evaluation.project.name}（{evaluation.year}年度）项目支出绩效自评报告.docx"
    return _attachment(documents.evaluation_report(evaluation), DOCX, name, f"zpb-report-{evaluation.pk}.docx")


# --- a department's year -------------------------------------------------------------------------


def _departments_for(user):
    if can_audit(user):
        return Department.objects.all()
    if can_review(user):
        return Department.objects.filter(pk=roles.user_department(user).pk)
    raise Http404("没有可查看的部门报告。")


def _department_year(request):
    """The department and year asked for, among those the user may see (their own department, or any for auditors)."""
    departments = _departments_for(request.user)
    evaluations = Evaluation.objects.filter(department__in=departments)
    years = list(evaluations.order_by("-year").values_list("year", flat=True).distinct()) or [timezone.now().year]
    first = departments.first()
    if first is None:
        raise Http404("还没有主管部门。")
    params = request.POST if request.method == "POST" else request.GET
    form = DepartmentYearForm(params if "department" in params else {"department": first.pk, "year": years[0]},
                              departments, years)
    if not form.is_valid():
        form = DepartmentYearForm({"department": first.pk, "year": years[0]}, departments, years)
        form.is_valid()
    return form, form.cleaned_data["department"], form.cleaned_data["year"]


@login_required
@require_GET
def department_reports(request):
    form, department, year = _department_year(request)
    evaluations = (Evaluation.objects.filter(department=department, year=year)
                   .select_related("project", "unit").order_by("unit__name", "project__name"))
    packages = (PublicationPackage.objects.filter(requested_by=request.user, department=department, year=year)
                [:RECENT_PACKAGES])
    return render(request, "reports/department.html", {
        "form": form, "department": department, "year": year, "evaluations": evaluations, "packages": packages,
        "approved": sum(e.status == Evaluation.Status.APPROVED for e in evaluations), "can_edit": can_review(request.user),
    })


@login_required
@require_GET
def summary_report(request):
    _, department, year = _department_year(request)
    try:
        content = documents.summary_report(department, year)
    except chart_image.ChartRenderError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('department_reports')}?department={department.pk}&year={year}")
    name = f"{department.name}{year}年度项目支出绩效自评汇总报告.docx"
    return _attachment(content, DOCX, name, f"zpb-summary-{year}.docx")


@login_required
@require_POST
def request_package(request):
    _, department, year = _department_year(request)
    count = documents.summary_evaluations(department, year).count()
    if not count:
        messages.error(request, f"{department.name}{year}年度没有审核通过的自评表，无法生成公开材料包。")
        return redirect(f"{reverse('department_reports')}?department={department.pk}&year={year}")
    package = PublicationPackage.objects.create(requested_by=request.user, department=department, year=year,
                                                steps_total=publication.steps_for(count), form_count=count)
    build_publication_package.enqueue(package.pk)
    return redirect(package)


def _get_package_for_user(user, pk):
    """Only the person who asked for a package gets it, and only while they still may see its department."""
    departments = _departments_for(user)
    return get_object_or_404(PublicationPackage.objects.select_related("department"),
                             pk=pk, requested_by=user, department__in=departments)


@login_required
@require_GET
def package_status(request, pk):
    package = _get_package_for_user(request.user, pk)
    return render(request, "reports/package.html", {"package": package})


@login_required
@require_GET
def package_progress(request, pk):
    package = _get_package_for_user(request.user, pk)
    return JsonResponse({
        "status": package.status, "status_label": package.get_status_display(), "percent": package.percent,
        "steps_done": package.steps_done, "steps_total": package.steps_total, "error": package.error,
        "download": reverse("package_download", args=[package.pk]) if package.status == package.Status.DONE else "",
    })


@login_required
@require_GET
def package_download(request, pk):
    package = _get_package_for_user(request.user, pk)
    if package.status != package.Status.DONE or not package.file:
        raise Http404("材料包尚未生成。")
    response = FileResponse(package.file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = _disposition(package.download_name, f"zpb-package-{package.year}.zip")
    return response
