from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from evaluations.access import visible_evaluations


def _get_evaluation_for_user(user, pk):
    queryset = visible_evaluations(user).prefetch_related("funding_lines", "indicators")
    return get_object_or_404(queryset, pk=pk)


def form_context(evaluation):
    """What templates/evaluations/_form_readonly.html needs: rows with their flags attached."""
    form_flags, funding_flags, by_indicator = evaluation.flags_by_place()
    indicators = list(evaluation.indicators.all())
    for indicator in indicators:
        indicator.flag_list = by_indicator.get(indicator.position, [])
    return {
        "evaluation": evaluation,
        "funding_lines": evaluation.ordered_funding_lines(),
        "indicators": indicators,
        "form_flags": form_flags,
        "funding_flags": funding_flags,
    }


@login_required
def home(request):
    evaluations = visible_evaluations(request.user).order_by("-year", "project__unit__name", "project__name")
    return render(request, "evaluations/home.html", {"evaluations": evaluations})


@login_required
def evaluation_detail(request, pk):
    evaluation = _get_evaluation_for_user(request.user, pk)
    return render(request, "evaluations/detail.html", form_context(evaluation))
