"""The auditor's page: every workflow action and every saved change, newest first, with before → after.

The trail has five sources: workflow events and the history rows of evaluations, funding lines,
indicators and evidence. One UNION query orders and pages them together; each page then loads its rows and the
history rows before them in one query per source, so the page costs the same whatever its length.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import CharField, F, Value
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evaluations.access import can_audit
from evaluations.models import Evaluation, Evidence, FundingLine, Indicator, Unit, WorkflowEvent
from evaluations.templatetags.zpb import person

PAGE_SIZE = 50
HISTORY_TYPES = {"+": "新增", "~": "修改", "-": "删除"}
HISTORY_ACTIONS = {"added": "+", "changed": "~", "deleted": "-"}
# Fields an auditor does not need in a diff: row ids, the parent link, automatic timestamps.
NOT_SHOWN = {"id", "evaluation", "created_at", "updated_at"}


@dataclass(frozen=True)
class Source:
    """One table of the trail: how to reach its time, person, evaluation and scope."""

    key: str
    model: type
    label: str
    time: str
    user: str
    evaluation_path: str  # from a row to its Evaluation ("" when the row is the evaluation)

    def scope(self, lookup):
        return f"{self.evaluation_path}__{lookup}" if self.evaluation_path else lookup


EVENTS = Source("event", WorkflowEvent, "流程", "created_at", "actor", "evaluation")
HISTORIES = [
    Source("evaluation", Evaluation.history.model, "自评表", "history_date", "history_user", ""),
    Source("funding", FundingLine.history.model, "项目资金", "history_date", "history_user", "evaluation"),
    Source("indicator", Indicator.history.model, "绩效指标", "history_date", "history_user", "evaluation"),
    Source("evidence", Evidence.history.model, "佐证材料", "history_date", "history_user", "evaluation"),
]
SOURCES = {source.key: source for source in [EVENTS, *HISTORIES]}


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.department.name} · {unit.name}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = person(user)
        return name if name == user.username else f"{name}（{user.username}）"


class AuditFilterForm(forms.Form):
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = UserChoiceField(label="操作人", required=False, empty_label="全部", queryset=User.objects.order_by("username"))
    action = forms.ChoiceField(label="操作", required=False, choices=[
        ("", "全部"),
        ("流程操作", list(WorkflowEvent.Action.choices)),
        ("数据变更", [(key, f"{HISTORY_TYPES[kind]}记录") for key, kind in HISTORY_ACTIONS.items()]),
    ])
    unit = UnitChoiceField(label="实施单位", required=False, empty_label="全部",
                           queryset=Unit.objects.select_related("department"))
    project = forms.CharField(label="项目名称", required=False, max_length=100)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def _rows(source, filters):
    """(source, row id, time) of one source's rows that pass the filters, or None when the action rules them out."""
    action = filters.get("action")
    rows = source.model.objects.order_by()
    if source is EVENTS:
        if action in HISTORY_ACTIONS:
            return None
        if action:
            rows = rows.filter(action=action)
    else:
        if action and action not in HISTORY_ACTIONS:
            return None
        if action:
            rows = rows.filter(history_type=HISTORY_ACTIONS[action])
    if filters.get("start"):
        rows = rows.filter(**{f"{source.time}__date__gte": filters["start"]})
    if filters.get("end"):
        rows = rows.filter(**{f"{source.time}__date__lte": filters["end"]})
    if filters.get("user"):
        rows = rows.filter(**{source.user: filters["user"]})
    if filters.get("unit"):
        rows = rows.filter(**{source.scope("project__unit"): filters["unit"]})
    if filters.get("project"):
        rows = rows.filter(**{source.scope("project__name__icontains"): filters["project"]})
    return rows.values(
        trail_source=Value(source.key, output_field=CharField()), trail_row=F("pk"), trail_at=F(source.time),
    )


def trail(filters):
    """Every row of the trail passing `filters`, newest first, as {trail_source, trail_row, trail_at} dicts."""
    parts = [rows for rows in (_rows(source, filters) for source in SOURCES.values()) if rows is not None]
    return parts[0].union(*parts[1:], all=True).order_by("-trail_at", "trail_source", "-trail_row")


@dataclass
class Entry:
    at: object
    user: object
    action: str
    subject: str
    evaluation_id: int
    project: object  # None once the evaluation is gone
    year: int | None
    reason: str = ""
    changes: list = field(default_factory=list)  # (field label, before, after)
    whole_row: bool = False  # an insert or delete: every value is shown, folded away by default


def _display(model, name, value):
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _changes(record, before):
    """(field, before, after) for one history row: the diff for a change, every value for an insert or delete."""
    model = record.instance_type
    if record.history_type == "~" and before is not None:
        delta = record.diff_against(before, excluded_fields=NOT_SHOWN)
        return [(_label(model, c.field), _display(model, c.field, c.old), _display(model, c.field, c.new))
                for c in delta.changes]
    shown = [
        (_label(model, f.name), _display(model, f.name, getattr(record, f.attname)))
        for f in record.tracked_fields
        if f.editable and f.name not in NOT_SHOWN and getattr(record, f.attname) not in (None, "")
    ]
    if record.history_type == "-":
        return [(label, value, "—") for label, value in shown]
    return [(label, "—", value) for label, value in shown]


def _previous_records(model, records):
    """For each history row, the row of the same object just before it: one query for the whole page."""
    if not records:
        return {}
    latest = max(record.history_date for record in records)
    earlier = model.objects.filter(id__in={r.id for r in records}, history_date__lte=latest).order_by(
        "id", "history_date", "history_id")
    by_object = {}
    for row in earlier:
        by_object.setdefault(row.id, []).append(row)
    previous = {}
    for record in records:
        before = [row for row in by_object.get(record.id, [])
                  if (row.history_date, row.history_id) < (record.history_date, record.history_id)]
        previous[record.history_id] = before[-1] if before else None
    return previous


def _subject(source, record):
    if source.key == "funding":
        return f"项目资金 · {record.get_kind_display()}"
    if source.key == "indicator":
        return f"绩效指标 {record.position} · {record.name}"
    return "自评表"


def _entries(page_rows):
    """Load the rows of one page, in page order, as Entries."""
    ids = {}
    for row in page_rows:
        ids.setdefault(row["trail_source"], []).append(row["trail_row"])
    loaded = {}
    if "event" in ids:
        events = WorkflowEvent.objects.filter(pk__in=ids["event"]).select_related("actor", "evaluation__project__unit")
        for event in events:
            moved = event.from_status != event.to_status
            loaded["event", event.pk] = Entry(
                event.created_at, event.actor, event.get_action_display(), "流程", event.evaluation_id,
                event.evaluation.project, event.evaluation.year, event.comment,
                [("状态", _display(WorkflowEvent, "from_status", event.from_status),
                  _display(WorkflowEvent, "to_status", event.to_status))] if moved else [],
            )
    for source in HISTORIES:
        if source.key not in ids:
            continue
        related = "project__unit" if source.key == "evaluation" else "evaluation__project__unit"
        records = list(
            source.model.objects.filter(history_id__in=ids[source.key]).select_related("history_user", related))
        previous = _previous_records(source.model, records)
        for record in records:
            # A history row of an evaluation is the evaluation as it was; a row's parent is the live one.
            evaluation = record if source.key == "evaluation" else record.evaluation
            loaded[source.key, record.history_id] = Entry(
                record.history_date, record.history_user, HISTORY_TYPES[record.history_type],
                _subject(source, record), record.id if source.key == "evaluation" else record.evaluation_id,
                getattr(evaluation, "project", None), getattr(evaluation, "year", None),
                record.history_change_reason or "", _changes(record, previous[record.history_id]),
                whole_row=record.history_type in "+-",
            )
    keys = [(row["trail_source"], row["trail_row"]) for row in page_rows]
    return [loaded[key] for key in keys if key in loaded]


@login_required
@require_GET
def audit_trail(request):
    if not can_audit(request.user):
        raise Http404("只有审计员可以查看审计记录。")
    form = AuditFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(trail(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/audit.html", {"form": form, "page": page, "entries": _entries(list(page))})
