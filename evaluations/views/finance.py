"""The finance bureau's level (财政局): every department's approved forms, sending one back to its
department, accepting a department's year; and the completeness page every reviewing level shares."""

from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from evaluations import completeness, kept_pages, roles, workflow
from evaluations.access import can_oversee, can_review, overseen_evaluations
from evaluations.excel import write_table
from evaluations.models import Department, DepartmentYear, Evaluation
from evaluations.views.common import form_context
from evaluations.views.dashboard import XLSX, years_of

PAGE_SIZE = 50


def _require_finance(user):
    if not can_oversee(user):
        raise Http404("只有财政局审核人可以打开此页。")


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)
    department = forms.TypedChoiceField(label="主管部门", coerce=int, required=False, empty_value=None)

    def __init__(self, data, years, departments=None):
        super().__init__(data)
        self.fields["year"].choices = [(year, f"{year}") for year in years]
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].choices = [("", "全部"), *departments]

    def chosen(self, name, default=None):
        return self.cleaned_data.get(name) or default if self.is_valid() else default


@login_required
@kept_pages.kept
def finance_queue(request):
    _require_finance(request.user)
    evaluations = overseen_evaluations(request.user)
    years = years_of(Evaluation.objects.all()) or [None]
    by_name = list(Department.objects.values_list("pk", "name"))  # in the database's order of names
    form = YearForm(request.GET, years, by_name)
    year, department = form.chosen("year", years[0]), form.chosen("department")
    departments = [row for row in completeness.rows(year) if department in (None, row.pk)] if year else []
    paginator = Paginator([], PAGE_SIZE)
    # Already counted per department (approved or accepted): spares the paginator a count of the year's forms.
    paginator.count = sum(row.approved for row in departments)
    page = paginator.get_page(request.GET.get("page"))
    counts = {row.pk: row.approved for row in departments}
    page.object_list = _forms_on_page(evaluations.filter(year=year), [(pk, counts.get(pk, 0)) for pk, _ in by_name],
                                      page.start_index() - 1 if paginator.count else 0, PAGE_SIZE)
    accepted = set(DepartmentYear.objects.filter(year=year, accepted_at__isnull=False).values_list("department_id", flat=True))
    for row in departments:
        row.is_accepted = row.pk in accepted
        row.can_accept = not row.is_accepted and row.forms and row.approved == row.forms and not row.missing
    return render(request, "evaluations/finance_queue.html", {
        "form": form, "year": year, "page": page, "departments": departments,
    })


def _forms_on_page(evaluations, department_counts, start, size):
    """The forms `start`..`start + size` of the year, by department, unit and project name. The departments'
    counts (kept, in name order) say which departments the page falls in, so the database sorts only their
    few thousand forms instead of the province's year (tens of thousands, joined to their names)."""
    on_page, first_at, at = [], 0, 0
    for pk, count in department_counts:
        if count and at + count > start and at < start + size:
            first_at = first_at if on_page else at
            on_page.append(pk)
        at += count
    if not on_page:
        return []
    ordered = evaluations.filter(department__in=on_page).select_related(None).select_related(
        "project__unit", "department").only(
        "year", "status", "computed_total", "computed_grade", "warning_count", "project__name", "project__unit__name",
        "department__name").order_by("department__name", "project__unit__name", "project__name")
    return list(ordered[start - first_at:start - first_at + size])


def _get_evaluation_for_finance(user, pk):
    _require_finance(user)
    return get_object_or_404(overseen_evaluations(user).prefetch_related("funding_lines", "indicators"), pk=pk)


@login_required
@kept_pages.kept
def finance_review(request, pk):
    evaluation = _get_evaluation_for_finance(request.user, pk)
    context = form_context(evaluation)
    context.update({
        "events": evaluation.events.select_related("actor"),
        "comments": evaluation.comments.select_related("author"),
    })
    return render(request, "evaluations/finance_review.html", context)


class CommentedActionForm(forms.Form):
    comment = forms.CharField(required=False, max_length=2000)
    version = forms.IntegerField(min_value=1, required=False)


@login_required
@require_POST
def finance_return(request, pk):
    evaluation = _get_evaluation_for_finance(request.user, pk)
    form = CommentedActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "退回意见不能超过 2000 字，操作未执行。")
        return redirect("finance_review", pk)
    try:
        workflow.return_to_department(evaluation, request.user, form.cleaned_data["comment"],
                                      expected_version=form.cleaned_data["version"])
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("finance_review", pk)
    messages.success(request, f"已将“{evaluation}”退回{evaluation.department.name}。")
    return redirect("finance_queue")


@login_required
@require_POST
def finance_accept(request, department_pk, year, action):
    _require_finance(request.user)
    department = get_object_or_404(Department, pk=department_pk)
    form = CommentedActionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "accept":
            workflow.accept_department_year(department, year, request.user, comment)
            messages.success(request, f"已接收{department.name} {year} 年度的全部自评表。")
        else:
            workflow.unaccept_department_year(department, year, request.user, comment)
            messages.success(request, f"已撤销对{department.name} {year} 年度的接收，表单回到“已通过”。")
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    return redirect(reverse("finance_queue") + f"?year={year}")


class DueDateForm(forms.Form):
    due_date = forms.DateField(label="报送截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@require_POST
def set_due_date(request, department_pk, year):
    _require_finance(request.user)
    department = get_object_or_404(Department, pk=department_pk)
    form = DueDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "截止日期格式不正确，请按“年-月-日”填写。")
    else:
        department_year = workflow.set_due_date(department, year, form.cleaned_data["due_date"], request.user)
        messages.success(request, f"{department.name} {year} 年度的报送截止日期已设为 {department_year.due_date or '不限'}。")
    return redirect(reverse("completeness") + f"?year={year}")


def _completeness_scope(user):
    """The department whose units the page lists, or None for the finance bureau's list of departments."""
    if can_oversee(user):
        return None
    if can_review(user):
        return roles.user_department(user)
    raise Http404("只有审核人和财政局审核人可以查看报送情况。")


def _completeness(request):
    department = _completeness_scope(request.user)
    evaluations = Evaluation.objects.all() if department is None else Evaluation.objects.filter(department=department)
    years = years_of(evaluations) or [None]
    form = YearForm(request.GET, years)
    year = form.chosen("year", years[0])
    rows = completeness.rows(year, department) if year else []
    return department, form, year, rows


@login_required
@kept_pages.kept
def completeness_page(request):
    department, form, year, rows = _completeness(request)
    return render(request, "evaluations/completeness.html", {
        "department": department, "form": form, "year": year, "rows": rows, "due_form": DueDateForm(),
        "missing": completeness.missing_projects(department, year) if department and year else [],
    })


@login_required
def completeness_export(request):
    department, _, year, rows = _completeness(request)
    scope = department.name if department else "各主管部门"
    output = BytesIO()
    write_table(output, f"{year}年度报送情况", [
        "实施单位" if department else "主管部门", "截止日期", "应报", "未建表", "已提交", "已通过", "财政局已接收",
        "逾期提交", "逾期未交"], [
        [row.name, f"{row.due_date or ''}", row.expected, row.missing, row.submitted, row.approved, row.accepted,
         row.late, row.overdue] for row in rows])
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{scope}{year}年度报送情况.xlsx")
    return response
