"""佐证材料: staff attach and remove it on their form's page; whoever may see the form may download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from evaluations import evidence
from evaluations.access import visible_evaluations
from evaluations.forms import EvidenceForm
from evaluations.models import Evidence
from evaluations.views.entry import _get_evaluation_for_staff, _get_unit_for_staff


def _back_to_entry(pk):
    return redirect(reverse("evaluation_entry", args=[pk]) + "#evidence")


@login_required
@require_POST
def add_evidence(request, pk):
    evaluation = _get_evaluation_for_staff(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES, indicators=evaluation.indicators.all())
    if not form.is_valid():
        messages.error(request, "佐证材料未保存：" + "".join(
            error for errors in form.errors.values() for error in errors))
        return _back_to_entry(pk)
    data = form.cleaned_data
    try:
        if data["file"]:
            item = evidence.attach_file(evaluation, request.user, data["file"], data["position"])
        else:
            item = evidence.record_survey(evaluation, request.user, data["position"], data["sample_size"],
                                          data["survey_method"])
    except evidence.EvidenceRefused as refused:
        messages.error(request, f"佐证材料未保存：{refused}")
    else:
        messages.success(request, f"已添加佐证材料：{item}。")
    return _back_to_entry(pk)


@login_required
@require_POST
def remove_evidence(request, pk):
    item = get_object_or_404(Evidence.objects.select_related("evaluation"), pk=pk,
                             evaluation__project__unit=_get_unit_for_staff(request.user))
    try:
        evidence.remove(item, request.user)
    except evidence.EvidenceRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"已删除佐证材料：{item}。")
    return _back_to_entry(item.evaluation_id)


@login_required
def download_evidence(request, pk):
    """The file, streamed to whoever may see its form (404 for anyone else, as for the form)."""
    item = get_object_or_404(Evidence, pk=pk, evaluation__in=visible_evaluations(request.user))
    if not item.file:
        raise Http404("这份佐证材料是样本量和调查方式，没有文件。")
    try:
        stream = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不在存储中。") from None
    return FileResponse(stream, as_attachment=True, filename=item.original_name, content_type=item.content_type)
