"""抽评 pages: a reviewer re-scores one form of their department, and draws random samples to re-score."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from evaluations import roles, spot_checks
from evaluations.access import can_review, reviewable_evaluations
from evaluations.forms import SpotCheckDrawForm, SpotCheckForm
from evaluations.models import SpotCheck
from evaluations.views.review import _get_evaluation_for_reviewer


@login_required
def spot_check(request, pk):
    evaluation = _get_evaluation_for_reviewer(request.user, pk)
    existing = SpotCheck.objects.filter(evaluation=evaluation).first()
    indicators = list(evaluation.indicators.all())
    initial = {"comment": existing.comment if existing else ""}
    for indicator in indicators:
        kept = existing.score_at(indicator.position) if existing else None
        initial[f"score_{indicator.position}"] = kept if kept is not None else indicator.score
    form = SpotCheckForm(request.POST or None, initial=initial, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            check = spot_checks.record(evaluation, request.user, form.scores(), form.cleaned_data["comment"])
        except spot_checks.SpotCheckRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"抽评已保存：抽评总分 {check.total}，自评总分 {check.self_total}。")
            return redirect("spot_check", pk)
    return render(request, "evaluations/spot_check.html", {
        "evaluation": evaluation, "form": form, "existing": existing,
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@login_required
@require_POST
def draw_sample(request):
    if not can_review(request.user):
        raise Http404("只有审核人可以抽取抽评样本。")
    form = SpotCheckDrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未抽取：" + "".join(e for errors in form.errors.values() for e in errors))
        return redirect("dashboard")
    year, size = form.cleaned_data["year"], form.cleaned_data["size"]
    try:
        drawn = spot_checks.draw(request.user, reviewable_evaluations(request.user), roles.user_department(request.user),
                                 year, size)
    except spot_checks.SpotCheckRefused as refused:
        messages.error(request, f"未抽取：{refused}")
    else:
        messages.success(request, f"已从 {drawn.population} 份中随机抽取 {drawn.size} 份待抽评，见下方抽样记录。")
    return redirect(reverse("dashboard") + f"?year={year}#spot-checks")
