"""Staff pages: their unit's evaluations, starting one, and filling one in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_POST
from django.shortcuts import get_object_or_404, redirect, render

from evaluations import entry, form_checks, roles, scoring, workflow
from evaluations.forms import EntryForms, EvidenceForm, NewEvaluationForm, StaffHomeFilterForm
from evaluations.models import Evaluation, WorkflowEvent, scoring_rules
from evaluations.views.common import form_context


# An unfinished form has no total (Evaluation.rescore); a clean one is finished with neither errors nor warnings.
PROBLEM_FILTERS = {
    "errors": Q(error_count__gt=0),
    "warnings": Q(warning_count__gt=0),
    "unfinished": Q(computed_total__isnull=True),
    "clean": Q(computed_total__isnull=False, error_count=0, warning_count=0),
}


def _get_unit_for_staff(user):
    """The unit a 填报人 fills in forms for; everyone else gets a 404."""
    unit = roles.user_unit(user) if roles.has_role(user, roles.STAFF) else None
    if unit is None:
        raise Http404("仅限填报人")
    return unit


def _get_evaluation_for_staff(user, pk):
    evaluations = Evaluation.objects.select_related("project__unit__department").prefetch_related(
        "funding_lines", "indicators", "evidence"
    )
    return get_object_or_404(evaluations, pk=pk, project__unit=_get_unit_for_staff(user))


@login_required
def staff_home(request):
    unit = _get_unit_for_staff(request.user)
    evaluations = Evaluation.objects.filter(project__unit=unit)
    years = evaluations.order_by("-year").values_list("year", flat=True).distinct()
    filters = StaffHomeFilterForm(request.GET or None, years=years)
    if filters.is_bound and filters.is_valid():
        chosen = filters.cleaned_data
        if chosen["q"]:
            evaluations = evaluations.filter(project__name__icontains=chosen["q"])
        if chosen["year"]:
            evaluations = evaluations.filter(year=chosen["year"])
        if chosen["status"]:
            evaluations = evaluations.filter(status=chosen["status"])
        evaluations = evaluations.filter(PROBLEM_FILTERS.get(chosen["problems"], Q()))
    evaluations = evaluations.select_related("project").order_by("-year", "project__name")
    return render(request, "evaluations/staff_home.html", {"unit": unit, "evaluations": evaluations, "filters": filters})


@login_required
def new_evaluation(request):
    unit = _get_unit_for_staff(request.user)
    form = NewEvaluationForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = entry.start_evaluation(
                unit, form.cleaned_data["year"], request.user,
                project=form.cleaned_data["project"], project_name=form.cleaned_data["new_project_name"],
                copy_from=form.cleaned_data["last_year"],
            )
        except entry.EntryRefused:
            # Someone created it a moment ago: validating again finds it and links to it.
            form = NewEvaluationForm(request.POST, unit=unit)
            form.is_valid()
        else:
            copied = form.cleaned_data["last_year"]
            messages.success(request, f"已新建“{evaluation}”" + (
                f"，指标已从{copied.year}年度复制，请填写完成值和得分。" if copied else "，请填写。"))
            return redirect("evaluation_entry", evaluation.pk)
    return render(request, "evaluations/new_evaluation.html", {"form": form, "unit": unit})


@login_required
def evaluation_entry(request, pk):
    evaluation = _get_evaluation_for_staff(request.user, pk)
    if not evaluation.is_editable_by_staff():
        if request.method == "POST":
            messages.error(request, f"该自评表{evaluation.get_status_display()}，不能再修改，未保存。")
            return _read_only_page(request, evaluation, status=409)
        return _read_only_page(request, evaluation)
    if evaluation.funding_rows_the_entry_page_lacks():
        (messages.error if request.method == "POST" else messages.info)(request, entry.LACKING_ROWS_REFUSAL)
        return _read_only_page(request, evaluation, status=409 if request.method == "POST" else 200)
    rules = scoring_rules()
    if request.method != "POST":
        return _entry_page(request, evaluation, EntryForms.for_evaluation(evaluation, rules), rules)

    forms = EntryForms(request.POST)
    if not forms.is_valid():
        return _entry_page(request, evaluation, forms, rules)
    try:
        evaluation = entry.save_entry(
            evaluation, forms.entry.cleaned_data["version"], entry.entered_figures(forms, rules),
            forms.entry.cleaned_data["goal_expected"], forms.entry.cleaned_data["goal_actual"], request.user,
        )
    except entry.StaleVersion as stale:
        # Show what this user typed, not what is stored: nothing of theirs is lost or overwritten.
        return _entry_page(request, evaluation, forms, rules, stale_message=str(stale), status=409)
    except entry.EntryRefused as refused:
        messages.error(request, str(refused))
        return redirect("evaluation_entry", evaluation.pk)

    if request.POST.get("action") != "submit":
        messages.success(request, f"草稿已保存（第 {evaluation.version} 版）。")
        return redirect("evaluation_entry", evaluation.pk)
    # The draft is saved whatever it holds; submitting needs every cell filled in.
    complete = EntryForms(_with_version(request.POST, evaluation.version), strict=True)
    if not complete.is_valid():
        return _entry_page(request, evaluation, complete, rules, unsubmitted=True)
    try:
        workflow.submit(evaluation, request.user, expected_version=evaluation.version)
    except workflow.WorkflowError as error:
        messages.error(request, f"草稿已保存（第 {evaluation.version} 版），但{error}")
    else:
        messages.success(request, "已提交审核。提交后不能再修改；如需修改，请联系审核人退回。")
    return redirect("evaluation_entry", evaluation.pk)


@login_required
@require_POST
def evaluation_autosave(request, pk):
    """The entry page's periodic draft save: what the page holds, saved as 保存草稿 would, answered in JSON."""
    evaluation = _get_evaluation_for_staff(request.user, pk)
    if not evaluation.is_editable_by_staff():
        return JsonResponse({"saved": False, "stop": True,
                             "message": f"该自评表{evaluation.get_status_display()}，不再自动保存。"}, status=409)
    rules = scoring_rules()
    forms = EntryForms(request.POST)
    if not forms.is_valid():
        return JsonResponse({"saved": False, "message": f"有 {forms.error_count()} 处无法保存，暂未自动保存。"}, status=400)
    try:
        evaluation = entry.save_entry(
            evaluation, forms.entry.cleaned_data["version"], entry.entered_figures(forms, rules),
            forms.entry.cleaned_data["goal_expected"], forms.entry.cleaned_data["goal_actual"], request.user,
        )
    except entry.EntryRefused as refused:  # a stale page included: stop, the user decides (see 保存草稿)
        return JsonResponse({"saved": False, "stop": True, "message": f"未自动保存：{refused}"}, status=409)
    return JsonResponse({"saved": True, "version": evaluation.version,
                         "message": f"已自动保存（第 {evaluation.version} 版）。"})


def _with_version(data, version):
    data = data.copy()
    data["version"] = str(version)
    return data


def _latest_return(evaluation):
    """The reviewer's latest return, shown on top while the evaluation is back with staff."""
    if evaluation.status != Evaluation.Status.RETURNED:
        return None
    return evaluation.events.filter(action=WorkflowEvent.Action.RETURN).select_related("actor").last()


def _external_checks(evaluation, forms):
    """Flags from checks of other apps (evaluations.form_checks) on the stored form: each row's at its cells."""
    flags = form_checks.flags(evaluation, evaluation.figures())
    beside = form_checks.beside(evaluation)
    for position, form in enumerate(forms.indicators.forms, start=1):
        form.external_flags = [flag for flag in flags if flag.indicator == position]
        form.beside = beside.get(position, {})
    return {"external_flags": [flag for flag in flags if flag.indicator is None],
            "external_links": form_checks.links(evaluation),
            "external_live": {"urls": form_checks.live_urls(evaluation), "codes": form_checks.codes(),
                              "problems": form_checks.submission_problems(evaluation)}}


def _entry_page(request, evaluation, forms, rules, stale_message="", status=200, unsubmitted=False):
    context = {
        **_external_checks(evaluation, forms),
        "unsubmitted": unsubmitted,
        "evaluation": evaluation,
        "forms": forms,
        # Evidence is attached to saved indicators, by position; the page checks satisfaction figures against it.
        "page_rules": {**entry.page_rules(rules), "evidenced": sorted(evaluation.evidenced_positions()),
                       "tuning": evaluation.department.flag_tuning()},
        # Needs the other forms, so the page cannot check it as staff type: as found at the last save.
        "reuse_flags": scoring.tuned(scoring.reused_text_flags(evaluation.reused_texts()),
                                     evaluation.department.flag_tuning()),
        "evidence": evaluation.evidence.all(),
        "evidence_form": EvidenceForm(indicators=evaluation.indicators.all()),
        "evidence_max_mb": settings.ZPB_EVIDENCE_MAX_BYTES // (1024 * 1024),
        "completion_levels": scoring.COMPLETION_LEVEL_LABELS.values(),
        "advisory_split": [("预算执行", rules.funding_weight), *((c.removesuffix("指标"), w) for c, w in rules.advisory_split)],
        "overachieved_percent": (rules.overachieved_ratio - 1) * 100,
        "return_event": _latest_return(evaluation),
        "autosave_seconds": settings.ZPB_AUTOSAVE_SECONDS,
        "stale_message": stale_message,
    }
    return render(request, "evaluations/entry.html", context, status=status)


def _read_only_page(request, evaluation, status=200):
    return render(request, "evaluations/entry_readonly.html", form_context(evaluation), status=status)
