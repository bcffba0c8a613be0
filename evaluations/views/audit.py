"""The auditor's page: every workflow action and every saved change, newest first, with before → after.

The trail's sources: workflow events and the history rows of evaluations, funding lines, indicators and
evidence, and those other apps register (targets: its tables' events and history). One UNION query orders
and pages them together; each page then loads its rows and the history rows before them in one query per
source found on it, so the page costs the same whatever its length.
"""

from collections.abc import Callable
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
    """One table of the trail: how to reach its time, person, the record it belongs to (an evaluation, a
    target table: anything with a project and a year) and scope. Events have an action; history rows a subject."""

    key: str
    model: type
    label: str  # the kind of record the rows belong to: 自评表, 绩效目标表 …
    time: str
    user: str
    parent: str  # from a row to its record ("" when the row is the record's own history)
    link: str = "evaluation_detail"  # the URL name of the record's page, by its pk
    subject: Callable | None = None  # a history row's subject; the label when None
    is_event: bool = False

    def scope(self, lookup):
        return f"{self.parent}__{lookup}" if self.parent else lookup

    def describe(self, record) -> str:
        return self.subject(record) if self.subject else self.label


SOURCES = {}


def register(source: Source) -> None:
    """Another app's rows in the trail (called from its AppConfig.ready())."""
    SOURCES[source.key] = source


def _funding_subject(record):
    return f"项目资金 · {record.label or record.get_kind_display()}"


def indicator_subject(record):
    return f"绩效指标 {record.position} · {record.name}"


for _source in [
    Source("event", WorkflowEvent, "自评表", "created_at", "actor", "evaluation", is_event=True),
    Source("evaluation", Evaluation.history.model, "自评表", "history_date", "history_user", ""),
    Source("funding", FundingLine.history.model, "自评表", "history_date", "history_user", "evaluation",
           subject=_funding_subject),
    Source("indicator", Indicator.history.model, "自评表", "history_date", "history_user", "evaluation",
           subject=indicator_subject),
    Source("evidence", Evidence.history.model, "自评表", "history_date", "history_user", "evaluation"),
]:
    register(_source)


def _event_choices():
    """Every action of the registered event sources, each once, in registration order; an action the sources
    name differently shows every name (审核通过／批准)."""
    choices = {}
    for source in SOURCES.values():
        if source.is_event:
            for value, label in source.model.Action.choices:
                names = choices.setdefault(value, [])
                if label not in names:
                    names.append(label)
    return [(value, "／".join(names)) for value, names in choices.items()]


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
    action = forms.ChoiceField(label="操作", required=False, choices=lambda: [
        ("", "全部"),
        ("流程操作", _event_choices()),
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
    if source.is_event:
        if action in HISTORY_ACTIONS or (action and action not in source.model.Action.values):
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
    source: Source
    record_id: int  # the evaluation's, the target table's …
    project: object  # None once the record is gone
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


def _entries(page_rows):
    """Load the rows of one page, in page order, as Entries."""
    ids = {}
    for row in page_rows:
        ids.setdefault(row["trail_source"], []).append(row["trail_row"])
    loaded = {}
    for key, pks in ids.items():
        source = SOURCES[key]
        if source.is_event:
            events = source.model.objects.filter(pk__in=pks).select_related("actor", source.scope("project__unit"))
            for event in events:
                moved = event.from_status != event.to_status
                parent = getattr(event, source.parent)
                loaded[key, event.pk] = Entry(
                    event.created_at, event.actor, event.get_action_display(), "流程", source,
                    parent.pk, parent.project, parent.year, event.comment,
                    [("状态", _display(source.model, "from_status", event.from_status),
                      _display(source.model, "to_status", event.to_status))] if moved else [],
                )
            continue
        records = list(source.model.objects.filter(history_id__in=pks).select_related(
            "history_user", source.scope("project__unit")))
        previous = _previous_records(source.model, records)
        for record in records:
            # A record's own history row is the record as it was; a row's parent is the live one.
            parent = getattr(record, source.parent) if source.parent else record
            loaded[key, record.history_id] = Entry(
                record.history_date, record.history_user, HISTORY_TYPES[record.history_type],
                source.describe(record), source, record.id if not source.parent else getattr(record, f"{source.parent}_id"),
                getattr(parent, "project", None), getattr(parent, "year", None),
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
