"""The reviewer's pages: the department's queue, one form under review, and the review actions."""

from dataclasses import astuple, dataclass, replace
from hashlib import md5

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from evaluations import flag_help, form_checks, kept_pages, roles, scoring, workflow
from evaluations.access import can_review, reviewable_evaluations
from evaluations.models import ATTENTION_ORDER, STATUS_RANK, Evaluation
from evaluations.views.common import form_context
from evaluations.widgets import QuickSelect

PAGE_SIZE = 50
Status = Evaluation.Status

GRADE_ORDER = Case(*(When(computed_grade=grade, then=rank) for rank, grade in enumerate(scoring.GRADES)))

# (sort key, column header, what to order by)
COLUMNS = [
    ("year", "年度", F("year")),
    ("unit", "实施单位", F("project__unit__name")),
    ("project", "项目名称", F("project__name")),
    ("status", "状态", STATUS_RANK),
    ("total", "总分", F("computed_total")),
    ("grade", "等级", GRADE_ORDER),
    ("errors", "错误", F("error_count")),
    ("warnings", "警告", F("warning_count")),
]
SORTS = {key: expression for key, _, expression in COLUMNS}
# What a queue row shows besides its id, read as plain values (no model instances: most rows come drawn from
# the cache, and building fifty forms, projects and units was a fifth of the page's time).
ROW_FIELDS = ["year", "status", "computed_total", "computed_grade", "error_count", "warning_count", "flag_codes",
              "project__name", "project__unit__name"]
NUMERIC_COLUMNS = {"total", "errors", "warnings"}


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="项目名称", required=False, max_length=100)
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None, widget=QuickSelect)
    unit = forms.TypedChoiceField(label="实施单位", required=False, coerce=int, empty_value=None, widget=QuickSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Status.choices], widget=QuickSelect)
    grade = forms.ChoiceField(label="等级", required=False, choices=[("", "全部"), *((g, g) for g in scoring.GRADES)],
                              widget=QuickSelect)
    flag = forms.ChoiceField(label="标记", required=False, widget=QuickSelect, choices=lambda: [
        ("", "全部"), *((code, f"{flag_help.help_for(code).title}（{code}）")
                      for code in [*flag_help.FLAG_HELP, *form_checks.codes()]),
    ])
    errors = forms.ChoiceField(label="错误", required=False, choices=[("", "全部"), ("yes", "有错误"), ("no", "无错误")],
                               widget=QuickSelect)
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput, choices=[
        ("", ""), *((key, key) for key in SORTS), *((f"-{key}", key) for key in SORTS),
    ])

    def __init__(self, data, department, years):
        super().__init__(data)
        self.fields["unit"].choices = [("", "全部"), *department.units.values_list("pk", "name")]
        self.fields["year"].choices = [("", "全部"), *((year, f"{year}") for year in years)]


def _filtered(evaluations, filters):
    """Apply the valid filters; all of them run in SQL on the cached score and flag columns."""
    if filters.get("q"):
        evaluations = evaluations.filter(project__name__icontains=filters["q"])
    if filters.get("year"):
        evaluations = evaluations.filter(year=filters["year"])
    if filters.get("unit"):
        evaluations = evaluations.filter(project__unit_id=filters["unit"])
    if filters.get("status"):
        evaluations = evaluations.filter(status=filters["status"])
    if filters.get("grade"):
        evaluations = evaluations.filter(computed_grade=filters["grade"])
    if filters.get("flag"):
        evaluations = evaluations.filter(Evaluation.flagged_with(filters["flag"]))
    if filters.get("errors") == "yes":
        evaluations = evaluations.filter(error_count__gt=0)
    elif filters.get("errors") == "no":
        evaluations = evaluations.filter(error_count=0)
    return evaluations


def _ordered(evaluations, sort):
    if not sort:
        return evaluations.order_by(*ATTENTION_ORDER)
    expression = SORTS[sort.removeprefix("-")]
    direction = expression.desc(nulls_last=True) if sort.startswith("-") else expression.asc(nulls_last=True)
    return evaluations.order_by(direction, "pk")


def _columns(sort):
    """Column headers with the sort each one switches to when clicked, and the current direction."""
    columns = []
    for key, label, _ in COLUMNS:
        current = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns.append({"key": key, "label": label, "current": current, "numeric": key in NUMERIC_COLUMNS,
                        "next": f"-{key}" if sort == key else key})
    return columns


@login_required
@kept_pages.kept
def queue(request):
    if not can_review(request.user):
        raise Http404("只有审核人可以打开审核队列。")
    department = roles.user_department(request.user)
    evaluations = reviewable_evaluations(request.user)
    years = evaluations.order_by("-year").values_list("year", flat=True).distinct()
    form = QueueFilterForm(request.GET, department, years)
    form.is_valid()  # invalid filters are dropped; the valid ones still apply
    filters = form.cleaned_data
    evaluations = _filtered(evaluations, filters)
    summary = evaluations.aggregate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        with_errors=Count("pk", filter=Q(error_count__gt=0)),
        with_warnings=Count("pk", filter=Q(warning_count__gt=0)),
    )
    # The page's rows are picked by id alone, sorting narrow rows without joins, and then read whole.
    paginator = Paginator(_ordered(evaluations, filters.get("sort")).values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = summary["total"]  # already counted: spares the paginator its own COUNT query
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows = {values[0]: QueueRow(*values) for values in evaluations.filter(pk__in=ids).values_list("pk", *ROW_FIELDS)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]  # one may be gone since
    return render(request, "evaluations/queue.html", {
        "form": form,
        "page": page,
        "summary": summary,
        "columns": _columns(filters.get("sort")),
        "department": department,
        "drawn_rows": _drawn_rows(page.object_list),
    })


@dataclass(frozen=True)
class QueueRow:
    """One form as its queue row shows it (the values of "pk" and ROW_FIELDS, in that order)."""

    pk: int
    year: int
    status: str
    computed_total: object
    computed_grade: str
    error_count: int
    warning_count: int
    flag_codes: str
    project_name: str
    unit_name: str

    def status_label(self):
        return Status(self.status).label

    def flag_helps(self):
        return flag_help.helps_for_codes(self.flag_codes)

    def cache_key(self) -> str:
        """Everything the row shows: its drawn HTML is kept under this key, so it is drawn again exactly
        when something it shows has changed, and never shown stale."""
        return "queue_row:" + md5("|".join(map(str, astuple(self))).encode(), usedforsecurity=False).hexdigest()


def _drawn_rows(rows) -> list[str]:
    """Each row's HTML, from this process's cache where drawn before (one lookup for the page)."""
    keys = [row.cache_key() for row in rows]
    drawn = cache.get_many(keys)
    missing = {key: render_to_string("evaluations/_queue_row.html", {"row": row})
               for key, row in zip(keys, rows) if key not in drawn}
    cache.set_many(missing, timeout=3600)
    return [mark_safe(drawn.get(key) or missing[key]) for key in keys]


def _get_evaluation_for_reviewer(user, pk):
    evaluations = reviewable_evaluations(user).prefetch_related("funding_lines", "indicators", "evidence")
    return get_object_or_404(evaluations, pk=pk)


@login_required
@kept_pages.kept
def review(request, pk):
    evaluation = _get_evaluation_for_reviewer(request.user, pk)
    groups = flag_help.group_flags(evaluation.flags())
    for group in groups:  # a department may have given a §6 flag another severity than the catalogue's
        group.help = replace(group.help, severity=group.flags[0].severity)
    context = form_context(evaluation)
    beside = form_checks.beside(evaluation)
    for indicator in context["indicators"]:
        indicator.beside = beside.get(indicator.position, {})
    context.update({
        "flag_groups": groups,
        "show_codes": True,  # reviewers may look a flag up by its code (a tooltip)
        "warning_groups": [group for group in groups if group.help.severity == scoring.WARNING],
        "has_errors": any(group.help.severity == scoring.ERROR for group in groups),
        "events": evaluation.events.select_related("actor"),
        "comments": evaluation.comments.select_related("author"),
    })
    return render(request, "evaluations/review.html", context)


class ReviewActionForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    comment = forms.CharField(required=False, max_length=2000)
    acknowledged = forms.MultipleChoiceField(required=False, choices=lambda: [
        (code, code) for code in [*flag_help.FLAG_HELP, *form_checks.codes()]])


def _apply(action, evaluation, user, data):
    version = data["version"]
    if action == "return":
        workflow.return_for_revision(evaluation, user, data["comment"], expected_version=version)
        return f"已退回“{evaluation.project.name}”，填报人修改后可重新提交。"
    if action == "approve":
        workflow.approve(evaluation, user, data["acknowledged"], data["comment"], expected_version=version)
        return f"“{evaluation.project.name}”已审核通过，表单已锁定。"
    workflow.unapprove(evaluation, user, data["comment"], expected_version=version)
    return f"已撤销“{evaluation.project.name}”的审核，表单回到“已提交”状态。"


@login_required
@require_POST
def act(request, pk, action):
    """Return, approve or unapprove, refusing when the form changed since the reviewer's page was drawn."""
    evaluation = _get_evaluation_for_reviewer(request.user, pk)
    form = ReviewActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "提交的内容不完整或意见超过 2000 字，操作未执行。请刷新页面后重试。")
        return redirect("review_evaluation", pk)
    try:
        done = _apply(action, evaluation, request.user, form.cleaned_data)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("review_evaluation", pk)


class CommentForm(forms.Form):
    text = forms.CharField(max_length=2000)


@login_required
@require_POST
def add_comment(request, pk):
    evaluation = _get_evaluation_for_reviewer(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        workflow.add_comment(evaluation, request.user, form.cleaned_data["text"])
        messages.success(request, "意见已添加。")
    else:
        messages.error(request, "意见不能为空，且不超过 2000 字。")
    return redirect(reverse("review_evaluation", args=[pk]) + "#comments")


BULK_APPROVAL_COMMENT = "批量审核通过（无错误、无警告）"


@login_required
@require_POST
def bulk_approve(request):
    """Approve the checked clean forms of the queue, each on its own (its own transaction and audit row);
    a form that is not submitted or carries any error or warning is left for a one-by-one review."""
    if not can_review(request.user):
        raise Http404("只有审核人可以审核。")
    ids = [int(pk) for pk in request.POST.getlist("evaluation") if pk.isdigit()]
    chosen = reviewable_evaluations(request.user).filter(pk__in=ids).order_by("project__name", "year")
    approved, left = [], []
    for evaluation in chosen:
        try:
            # approve() checks the live flags under the row lock: it refuses errors and any warning unacknowledged.
            workflow.approve(evaluation, request.user, acknowledged_codes=(), comment=BULK_APPROVAL_COMMENT)
        except workflow.WorkflowError as error:
            left.append(f"“{evaluation}”：{error}")
        else:
            approved.append(evaluation)
    if not ids:
        messages.error(request, "请先勾选要审核通过的自评表。")
    if approved:
        messages.success(request, f"已审核通过 {len(approved)} 份：" + "、".join(f"“{e}”" for e in approved) + "。")
    if left:
        messages.warning(request, f"{len(left)} 份未通过批量审核，请逐份审核：" + "；".join(left))
    return redirect(request.POST.get("next") if url_has_allowed_host_and_scheme(
        request.POST.get("next"), {request.get_host()}, request.is_secure()) else "review_queue")
