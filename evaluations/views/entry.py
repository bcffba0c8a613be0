"""Staff pages: their unit's evaluations, starting one, and filling one in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from evaluations import entry, roles, scoring, workflow
from evaluations.forms import EntryForms, EvidenceForm, NewEvaluationForm, StaffHomeFilterForm
from evaluations.models import Evaluation, WorkflowEvent, scoring_rules
from evaluations.views.common import form_context


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
        if filters.cleaned_data["year"]:
            evaluations = evaluations.filter(year=filters.cleaned_data["year"])
        if filters.cleaned_data["status"]:
            evaluations = evaluations.filter(status=filters.cleaned_data["status"])
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
            )
        except entry.EntryRefused:
            # Someone created it a moment ago: validating again finds it and links to it.
            form = NewEvaluationForm(request.POST, unit=unit)
            form.is_valid()
        else:
            messages.success(request, f"已新建“{evaluation}”，请填写。")
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

    if request.POST.get("action") == "submit":
        try:
            workflow.submit(evaluation, request.user, expected_version=evaluation.version)
        except workflow.WorkflowError as error:
            messages.error(request, f"草稿已保存（第 {evaluation.version} 版），但{error}")
        else:
            messages.success(request, "已提交审核。提交后不能再修改；如需修改，请联系审核人退回。")
    else:
        messages.success(request, f"草稿已保存（第 {evaluation.version} 版）。")
    return redirect("evaluation_entry", evaluation.pk)


def _latest_return(evaluation):
    """The reviewer's latest return, shown on top while the evaluation is back with staff."""
    if evaluation.status != Evaluation.Status.RETURNED:
        return None
    return evaluation.events.filter(action=WorkflowEvent.Action.RETURN).select_related("actor").last()


def _entry_page(request, evaluation, forms, rules, stale_message="", status=200):
    context = {
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
        "return_event": _latest_return(evaluation),
        "stale_message": stale_message,
    }
    return render(request, "evaluations/entry.html", context, status=status)


def _read_only_page(request, evaluation, status=200):
    return render(request, "evaluations/entry_readonly.html", form_context(evaluation), status=status)
