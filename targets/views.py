"""Target table pages: the list, starting one, entering it, the reviewer's actions, the export, the
reasons for departing from it, the project's years side by side, and monitoring."""

import io
import json
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Prefetch, When
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from evaluations import scoring
from evaluations.access import can_audit, can_review, visible_evaluations
from evaluations.forms import MAX_INDICATORS
from evaluations.models import Evaluation
from targets import access, checks, excel, lights, years
from targets import workflow as target_workflow
from importer import access as import_access
from importer import views as import_views
from targets.forms import MonitoringForm, NewTargetTableForm, ReturnForm, TargetUploadForm, table_forms
from targets.imports import TARGET_TABLES
from targets.models import MonitoringProgress, MonitoringReport, TargetTable

Status = TargetTable.Status
REASON_MAX_LENGTH = 2000
WAITING_FIRST = Case(When(status=Status.SUBMITTED, then=0), When(status=Status.RETURNED, then=1),
                     When(status=Status.DRAFT, then=2), default=3, output_field=IntegerField())


def _get_table_for_user(user, pk):
    tables = access.visible_tables(user).prefetch_related("indicators")
    return get_object_or_404(tables, pk=pk)


def _get_table_for_staff(user, pk):
    unit = access.staff_unit(user)
    if unit is None:
        raise Http404("仅限填报人")
    tables = TargetTable.objects.select_related("project__unit__department").prefetch_related("indicators")
    return get_object_or_404(tables, pk=pk, project__unit=unit)


def _get_table_for_reviewer(user, pk):
    return get_object_or_404(access.reviewable_tables(user).select_related("project__unit__department"), pk=pk)


@login_required
@require_safe
def table_list(request):
    if not (access.staff_unit(request.user) or can_review(request.user) or can_audit(request.user)):
        raise Http404("无权查看绩效目标表")
    tables = access.visible_tables(request.user).order_by(WAITING_FIRST, "-year", "project__name")
    is_staff = access.staff_unit(request.user) is not None
    return render(request, "targets/list.html", {"tables": tables, "is_staff": is_staff,
                                                 "can_import": import_access.can_import(request.user)})


@login_required
def new_table(request):
    unit = access.staff_unit(request.user)
    if unit is None:
        raise Http404("仅限填报人")
    form = NewTargetTableForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            table = target_workflow.create_table(unit, form.cleaned_data["year"], request.user,
                                                 project=form.cleaned_data["project"],
                                                 project_name=form.cleaned_data["new_project_name"])
        except target_workflow.TargetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已新建“{table}”，请填写。")
            return redirect("target_table", table.pk)
    return render(request, "targets/new.html", {"form": form, "unit": unit})


@login_required
def import_tables(request):
    """Staff upload their unit's target tables, reviewers their department's: read once in the task queue,
    previewed, then written on confirmation, each table whole or not at all (importer.views, targets.imports)."""
    form = TargetUploadForm(request.POST or None, request.FILES or None)
    return import_views.upload_page(request, TARGET_TABLES, form, "targets/import.html")


def _indicator_values(formset):
    return [target_workflow.IndicatorValues(**{name: form.cleaned_data[name]
                                               for name in ("level1", "level2", "name", "target", "weight")})
            for form in formset.filled_forms()]


@login_required
def table_page(request, pk):
    """Staff fill in their draft here; everyone in scope reads it; the department's reviewer acts on it."""
    table = _get_table_for_user(request.user, pk)
    is_owner = access.staff_unit(request.user) == table.project.unit
    if request.method == "POST":
        if not is_owner:
            raise Http404("仅限本单位填报人")
        return _save(request, table)
    if is_owner and table.is_editable_by_staff():
        return _entry_page(request, table, *table_forms(table))
    return _read_page(request, table, is_owner)


def _save(request, table):
    if not table.is_editable_by_staff():
        messages.error(request, f"该绩效目标表{table.get_status_display()}，不能再修改，未保存。")
        return _read_page(request, table, True, status=409)
    form, formset = table_forms(table, request.POST)
    if not (form.is_valid() & formset.is_valid()):
        return _entry_page(request, table, form, formset, status=400)
    budgets = {name: form.cleaned_data[name] for name in ("budget", "budget_current_year", "budget_other")}
    try:
        table = target_workflow.save_table(table, form.cleaned_data["version"], form.cleaned_data["goal"], budgets,
                                           _indicator_values(formset), request.user)
    except target_workflow.TargetError as error:
        messages.error(request, str(error))
        return _entry_page(request, table, form, formset, status=409)
    if request.POST.get("action") == "submit":
        try:
            target_workflow.submit(table, request.user, expected_version=table.version)
        except target_workflow.TargetError as error:
            messages.error(request, f"已保存（第 {table.version} 版），但{error}")
        else:
            messages.success(request, "已提交审核人批准。提交后不能再修改；如需修改，请联系审核人退回。")
    else:
        messages.success(request, f"已保存（第 {table.version} 版）。")
    return redirect("target_table", table.pk)


def _below_last_actual(table, rows):
    by_position = {}
    for low in checks.below_last_actual(table.project_id, table.year, rows):
        by_position.setdefault(low.position, []).append(scoring.Flag(
            checks.TARGET_BELOW_LAST_ACTUAL, scoring.WARNING, low.describe() + "。", low.position, "indicator"))
    return by_position


def _entry_page(request, table, form, formset, status=200):
    rows = [(row.name, row.target) for row in table.indicators.all()]
    below = _below_last_actual(table, rows)
    for position, row_form in enumerate(formset.forms, start=1):
        row_form.flag_list = below.get(position, [])
    return render(request, "targets/entry.html", {
        "table": table, "form": form, "formset": formset, "events": table.events.select_related("actor"),
        "latest_return": table.events.filter(action="return").last() if table.status == Status.RETURNED else None,
    }, status=status)


def _read_page(request, table, is_owner, status=200):
    indicators = list(table.indicators.all())
    below = _below_last_actual(table, [(row.name, row.target) for row in indicators])
    for indicator in indicators:
        indicator.flag_list = below.get(indicator.position, [])
    evaluation = Evaluation.objects.filter(project=table.project, year=table.year).first()
    return render(request, "targets/read.html", {
        "table": table, "indicators": indicators, "is_owner": is_owner, "evaluation": evaluation,
        "can_act": access.reviewable_tables(request.user).filter(pk=table.pk).exists(),
        "events": table.events.select_related("actor"), "return_form": ReturnForm(),
    }, status=status)


@login_required
@require_POST
def act(request, pk, action):
    table = _get_table_for_reviewer(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        if action == "approve":
            target_workflow.approve(table, request.user, request.POST.get("comment", ""), expected_version=version)
            messages.success(request, "已批准。绩效目标表已锁定，填报人可据此开始自评。")
        else:
            target_workflow.return_for_revision(table, request.user, request.POST.get("comment", ""),
                                                expected_version=version)
            messages.success(request, "已退回填报人修改。")
    except target_workflow.TargetError as error:
        messages.error(request, str(error))
    return redirect("target_table", table.pk)


@login_required
@require_POST
def start_evaluation(request, pk):
    table = _get_table_for_staff(request.user, pk)
    try:
        evaluation = target_workflow.start_evaluation(table, request.user)
    except target_workflow.TargetError as error:
        messages.error(request, str(error))
        return redirect("target_table", table.pk)
    messages.success(request, f"已按批准的绩效目标新建“{evaluation}”：指标、指标值和分值已填入，请填写完成值和得分。")
    return redirect("evaluation_entry", evaluation.pk)


@login_required
@require_safe
def export(request, pk):
    table = _get_table_for_user(request.user, pk)
    out = io.BytesIO()
    excel.write_table(out, table)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"{table.project.name}-{table.year}年度绩效目标表.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- Departures from the approved targets ----------------------------------------------------------


@login_required
def target_reasons(request, pk):
    """Staff state why their self-evaluation departs from the approved targets, one reason per difference."""
    unit = access.staff_unit(request.user)
    if unit is None:
        raise Http404("仅限填报人")
    evaluation = get_object_or_404(Evaluation.objects.prefetch_related("indicators"), pk=pk, project__unit=unit)
    differences = checks.target_differences(evaluation)
    reasons = checks.stated_reasons(evaluation)
    if request.method == "POST":
        # Each reason comes with the key of the difference it was typed for, so a difference that changed since
        # the page was drawn (the form saved again meanwhile) never receives a reason meant for another.
        current = {d.key for d in differences}
        typed = {request.POST.get(f"key-{index}", ""): request.POST.get(f"reason-{index}", "")
                 for index in range(len(differences))}
        typed = {key: reason for key, reason in typed.items() if key in current}
        if any(len(reason.strip()) > REASON_MAX_LENGTH for reason in typed.values()):
            messages.error(request, f"每条调整理由最多 {REASON_MAX_LENGTH} 个字，未保存。")
            return redirect("evaluation_target_reasons", evaluation.pk)
        try:
            target_workflow.state_reasons(evaluation, typed, request.user)
        except target_workflow.TargetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "调整理由已保存。")
        return redirect("evaluation_target_reasons", evaluation.pk)
    rows = [{"index": index, "difference": d, "reason": reasons.get(d.key, "")} for index, d in enumerate(differences)]
    return render(request, "targets/reasons.html", {
        "evaluation": evaluation, "rows": rows, "editable": evaluation.is_editable_by_staff(),
        "table": checks.approved_table(evaluation.project_id, evaluation.year),
    })


@login_required
@require_POST
def target_check(request, pk):
    """The target flags of the rows the entry page holds while staff type (JSON), so they show before saving."""
    unit = access.staff_unit(request.user)
    if unit is None:
        raise Http404("仅限填报人")
    evaluation = get_object_or_404(Evaluation, pk=pk, project__unit=unit)
    try:
        rows = json.loads(request.POST.get("rows", ""))
        if not isinstance(rows, list) or len(rows) > MAX_INDICATORS:
            raise ValueError
        figures = scoring.FormFigures(funding=[], indicators=[
            scoring.IndicatorFigures(*(str(row.get(name, ""))[:1000]
                                       for name in ("level1", "level2", "name", "target")), "",
                                     str(row.get("weight", ""))[:20], Decimal("0.00"))
            for row in rows])
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"error": "指标数据格式不正确。"}, status=400)
    check = checks.TargetChecks()
    # Staff read a flag's title, never its code (the code only marks the item for the page's script).
    return JsonResponse({"flags": [{**flag.as_dict(), "title": check.help[flag.code].title}
                                   for flag in check.flags(evaluation, figures)],
                         "problems": check.submission_problems(evaluation, figures)})


# --- A project's years ----------------------------------------------------------------------------


@login_required
@require_safe
def project_years(request, pk):
    project = get_object_or_404(access.visible_projects(request.user), pk=pk)
    evaluations = visible_evaluations(request.user).filter(project=project).prefetch_related("indicators",
                                                                                             "funding_lines")
    tables = access.visible_tables(request.user).filter(project=project).prefetch_related("indicators")
    columns, indicator_rows, total_trend = years.side_by_side(evaluations, tables)
    return render(request, "targets/project.html", {
        "project": project, "columns": columns, "indicator_rows": indicator_rows, "total_trend": total_trend,
    })


# --- Monitoring ------------------------------------------------------------------------------------


def _monitoring_rules():
    return settings.ZPB_MONITORING["red_below"], settings.ZPB_MONITORING["yellow_below"]


def _light_of(report):
    if report is None:
        return None
    return lights.light(report.spending_rate(), report.year_share(), *_monitoring_rules())


@login_required
def monitoring_entry(request, pk):
    """Staff record, at a date of the year, the money spent so far and each indicator's progress."""
    table = _get_table_for_user(request.user, pk)
    is_owner = access.staff_unit(request.user) == table.project.unit
    if request.method == "POST" and not is_owner:
        raise Http404("仅限本单位填报人")
    form = MonitoringForm(request.POST or None, table=table)
    if request.method == "POST":
        if table.status != Status.APPROVED:
            messages.error(request, "绩效目标表批准后才能填写运行监控。")
        elif form.is_valid():
            target_workflow.record_monitoring(table, form.cleaned_data["as_of"], form.cleaned_data["spent"],
                                              {i.pk: form.cleaned_data[f"progress_{i.pk}"] for i in form.indicators},
                                              request.user)
            messages.success(request, "监控记录已保存。")
            return redirect("monitoring_entry", table.pk)
    reports = list(table.monitoring_reports.prefetch_related(
        Prefetch("progress", queryset=MonitoringProgress.objects.select_related("indicator"))))
    for report in reports:
        report.light = _light_of(report)
        report.light_label = lights.LABELS.get(report.light, "无预算")
        report.ratio = lights.progress_ratio(report.spending_rate() or Decimal(0), report.year_share())
    return render(request, "targets/monitoring.html", {
        "table": table, "form": form, "reports": reports, "is_owner": is_owner and table.status == Status.APPROVED,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def monitoring_overview(request):
    """The department reviewer's traffic lights of all projects, latest monitoring of each approved table."""
    if not can_review(request.user):
        raise Http404("仅限审核人")
    tables = list(access.reviewable_tables(request.user).filter(status=Status.APPROVED)
                  .select_related("project__unit").order_by("-year", "project__unit__name", "project__name")
                  .prefetch_related(Prefetch("monitoring_reports", queryset=MonitoringReport.objects.order_by("-as_of"),
                                             to_attr="latest_reports")))
    rows, counts = [], {lights.RED: 0, lights.YELLOW: 0, lights.GREEN: 0}
    for table in tables:
        report = table.latest_reports[0] if table.latest_reports else None
        if report is not None:
            report.table = table  # already loaded: no query per row
        light = _light_of(report)
        if light:
            counts[light] += 1
        rows.append({"table": table, "report": report, "light": light,
                     "light_label": lights.LABELS.get(light, "未监控" if report is None else "无预算"),
                     "rate": report.spending_rate() if report else None,
                     "share": report.year_share() if report else None})
    order = {lights.RED: 0, lights.YELLOW: 1, lights.GREEN: 2, None: 3}
    rows.sort(key=lambda row: order[row["light"]])
    red_below, yellow_below = _monitoring_rules()
    return render(request, "targets/monitoring_overview.html", {
        "rows": rows, "counts": counts, "red_below": red_below, "yellow_below": yellow_below,
    })
