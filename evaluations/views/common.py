from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static

from evaluations import roles, scoring
from evaluations.access import can_audit, can_oversee, can_review, visible_evaluations
from evaluations.models import FundingLine


def _get_evaluation_for_user(user, pk):
    queryset = visible_evaluations(user).prefetch_related("funding_lines", "indicators", "evidence")
    return get_object_or_404(queryset, pk=pk)


def form_context(evaluation):
    """What templates/evaluations/_form_readonly.html needs: rows with their flags attached."""
    form_flags, funding_flags, by_indicator = evaluation.flags_by_place()
    indicators = list(evaluation.indicators.all())
    evidence = list(evaluation.evidence.all())
    for indicator in indicators:
        indicator.flag_list = by_indicator.get(indicator.position, [])
        indicator.evidence_list = [item for item in evidence if item.position == indicator.position]
    return {
        "form_evidence": [item for item in evidence if item.position is None],
        "evaluation": evaluation,
        "funding_lines": _all_funding_lines(evaluation),
        "missing": evaluation.missing(),
        "indicators": indicators,
        "form_flags": form_flags,
        "funding_flags": funding_flags,
    }


def _all_funding_lines(evaluation):
    """The four lines of the paper form, empty ones (a never-saved draft) included."""
    lines = {line.kind: line for line in evaluation.ordered_funding_lines()}
    return [lines.get(kind) or FundingLine(evaluation=evaluation, kind=kind) for kind in scoring.FUNDING_KINDS]


@login_required
def home(request):
    # Reviewers and auditors start at their own work lists.
    if can_review(request.user):
        return redirect("review_queue")
    if can_audit(request.user):
        return redirect("audit_trail")
    if can_oversee(request.user):
        return redirect("finance_queue")
    if roles.has_role(request.user, roles.STAFF) and roles.user_unit(request.user):
        return redirect("staff_home")
    # The administrator manages accounts and reference data and reads no forms: the admin site is their start.
    if roles.has_role(request.user, roles.ADMINISTRATOR) and request.user.is_staff:
        return redirect("admin:index")
    evaluations = visible_evaluations(request.user).order_by("-year", "project__unit__name", "project__name")
    return render(request, "evaluations/home.html", {"evaluations": evaluations})


@login_required
def evaluation_detail(request, pk):
    evaluation = _get_evaluation_for_user(request.user, pk)
    return render(request, "evaluations/detail.html", form_context(evaluation))


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's); the icon is a static file."""
    return redirect(static("favicon.svg"), permanent=True)
