"""Keeping each unit's year in figures (models.UnitYearTally), in the same transaction as every change.

A tally is never incremented: a change recounts its unit-year from the unit's forms (grouped queries on the
evaluation's unit index, about fifty forms), under a lock on the tally row. Two transactions changing forms
of one unit queue on that lock, and the second one's recount (under READ COMMITTED a new snapshot per
statement) sees the first one's committed change; a tally that was ever wrong is right again at the next
change, and `manage.py recount_tallies` rebuilds them all after data loaded behind the app's back.

A form counts in its own unit-year and, for the missing projects, in the next year of its unit: a change
recounts both. The functions take `apps` (django.apps or a migration's) so the data migration counts alike.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from itertools import chain

from django.apps import apps as installed_apps
from django.db import connections, transaction
from django.db.models import Count, DecimalField, Exists, F, FilteredRelation, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from evaluations import scoring

STATUSES = ("draft", "submitted", "returned", "approved", "accepted")
REACHED = ("approved", "accepted")  # what reaches the finance bureau (access.overseen_evaluations)
# (label, lower bound inclusive, upper bound exclusive) of the computed total: UnitYearTally.total_bin_<n>.
TOTAL_BINS = [
    ("60 分以下", None, 60), ("60–70", 60, 70), ("70–80", 70, 80),
    ("80–90", 80, 90), ("90–95", 90, 95), ("95–100", 95, None),
]
COUNTS = [
    *(f"status_{status}" for status in STATUSES), "late", "unsubmitted", "missing",
    *(f"grade_{n}" for n in range(len(scoring.GRADES))), *(f"total_bin_{n}" for n in range(len(TOTAL_BINS))),
    "budgeted",
]
SUMS = ["budget", "executed"]
# Evaluation fields a tally depends on: a save naming none of them (update_fields) changes no tally.
COUNTED_FIELDS = {"project", "unit", "department", "year", "status", "submitted_at", "computed_grade",
                  "computed_total", "total_budget", "total_executed", "flag_codes"}
BATCH = 500


def bin_filter(low, high) -> Q:
    condition = Q(computed_total__isnull=False)
    if low is not None:
        condition &= Q(computed_total__gte=low)
    if high is not None:
        condition &= Q(computed_total__lt=high)
    return condition


def counted_in(unit_id, year) -> set:
    """The unit-years a form of `unit_id` and `year` counts in: its own, and the next one's missing."""
    return {(unit_id, year), (unit_id, year + 1)}


def recount(keys, apps=installed_apps):
    """Recount the tallies of `keys` ((unit pk, year) pairs) from the forms, creating the ones missing; call
    inside the changing transaction. Locks the tally rows in one order, so recounts queue instead of crossing."""
    keys = set(keys)
    if not keys:
        return
    with transaction.atomic(savepoint=False):  # for a save outside any transaction: the locks need one
        _recount(keys, apps)


def _recount(keys, apps):
    Tally = apps.get_model("evaluations", "UnitYearTally")
    tallies = _locked(Tally, keys)
    new = keys - tallies.keys()
    if new:
        # ON CONFLICT DO NOTHING: a row another transaction is inserting at this moment is waited for, not doubled.
        departments = dict(apps.get_model("evaluations", "Unit").objects.filter(
            pk__in={unit for unit, _ in new}).values_list("pk", "department_id"))
        Tally.objects.bulk_create([Tally(unit_id=unit, year=year, department_id=departments[unit])
                                   for unit, year in new if unit in departments], ignore_conflicts=True)
        tallies.update(_locked(Tally, new))
    _store(Tally, tallies, apps, whole_years=False)


@transaction.atomic(savepoint=False)
def recount_all(year=None, apps=installed_apps) -> int:
    """Recount every tally (of `year`, or of every year): each year in one pass over its forms. Returns the
    number of tallies written."""
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Tally = apps.get_model("evaluations", "UnitYearTally")
    forms = Evaluation.objects.order_by()
    if year is not None:
        forms = forms.filter(year__in=(year - 1, year))
    keys = set(chain.from_iterable(counted_in(unit, form_year) for unit, form_year in
                                   forms.values_list("unit", "year").distinct()))
    kept = Tally.objects.all() if year is None else Tally.objects.filter(year=year)
    keys = {key for key in keys if year in (None, key[1])} | set(kept.values_list("unit", "year"))
    departments = dict(apps.get_model("evaluations", "Unit").objects.values_list("pk", "department_id"))
    Tally.objects.bulk_create([Tally(unit_id=unit, year=key_year, department_id=departments[unit])
                               for unit, key_year in keys], ignore_conflicts=True, batch_size=BATCH * 4)
    tallies = _locked(Tally, keys, whole_years=True)
    _store(Tally, tallies, apps, whole_years=True)
    return len(tallies)


def _locked(Tally, keys, whole_years=False) -> dict:
    rows = Tally.objects.select_for_update(of=("self",)).select_related("unit").filter(
        year__in={year for _, year in keys})
    if not whole_years:
        rows = rows.filter(unit__in={unit for unit, _ in keys})
    return {(row.unit_id, row.year): row for row in rows.order_by("pk") if (row.unit_id, row.year) in keys}


def _store(Tally, tallies, apps, whole_years):
    by_year = defaultdict(set)
    for unit, year in tallies:
        by_year[year].add(unit)
    for year, units in by_year.items():
        counted = _count(apps, year, None if whole_years else units)
        for unit in units:
            tally = tallies[(unit, year)]
            tally.department_id = tally.unit.department_id
            figures = counted.get(unit, {})
            for field in COUNTS:
                setattr(tally, field, figures.get(field, 0))
            for field in SUMS:
                setattr(tally, field, figures.get(field, 0))
            tally.flags = figures.get("flags", {})
    _write(Tally, list(tallies.values()))


def _write(Tally, rows):
    """One UPDATE … FROM (VALUES …) per batch of rows (PostgreSQL and SQLite alike): Django's bulk_update
    builds a CASE per field and row, a minute of Python for a thousand tallies."""
    connection = connections[Tally.objects.db]
    quote = connection.ops.quote_name
    fields = [Tally._meta.get_field(name) for name in [*COUNTS, *SUMS, "flags", "department"]]
    table, columns = quote(Tally._meta.db_table), ["id", *(quote(field.column) for field in fields)]
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(batch))
        params = [value for tally in batch for value in (
            tally.pk, *(field.get_db_prep_save(getattr(tally, field.attname), connection) for field in fields))]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH v ({', '.join(columns)}) AS (VALUES {values}) UPDATE {table} SET "
                + ", ".join(f"{column} = v.{column}" for column in columns[1:]) + f" FROM v WHERE {table}.id = v.id",
                params)


def _count(apps, year, units) -> dict:
    """{unit pk: {field: figure}} of `year` from the forms of `units` (None: every unit)."""
    Evaluation = apps.get_model("evaluations", "Evaluation")
    forms = Evaluation.objects.filter(year=year).order_by()
    last_year = Evaluation.objects.filter(year=year - 1).order_by()
    if units is not None:
        forms, last_year = forms.filter(unit__in=units), last_year.filter(unit__in=units)
    reached = Q(status__in=REACHED)
    budgeted = reached & Q(total_budget__isnull=False)
    money = DecimalField(max_digits=18, decimal_places=2)
    # The due date joined once per department (a subquery per form costs seconds over a province's year).
    due_year = FilteredRelation("department__years", condition=Q(department__years__year=year))
    rows = forms.annotate(due_year=due_year).values("unit").annotate(
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in STATUSES},
        late=Count("pk", filter=Q(submitted_at__date__gt=F("due_year__due_date"))),
        unsubmitted=Count("pk", filter=Q(submitted_at__isnull=True)),
        **{f"grade_{n}": Count("pk", filter=reached & Q(computed_grade=grade))
           for n, grade in enumerate(scoring.GRADES)},
        **{f"total_bin_{n}": Count("pk", filter=reached & bin_filter(low, high))
           for n, (_, low, high) in enumerate(TOTAL_BINS)},
        budgeted=Count("pk", filter=budgeted),
        budget=Coalesce(Sum("total_budget", filter=budgeted), Value(0), output_field=money),
        executed=Coalesce(Sum("total_executed", filter=budgeted), Value(0), output_field=money),
    )
    counted = {row.pop("unit"): row for row in rows}
    for row in counted.values():
        for field in SUMS:  # SQLite sums decimals as floats: to the cent, as the columns hold them
            row[field] = Decimal(str(row[field])).quantize(scoring.CENT)
    this_year = Evaluation.objects.filter(project=OuterRef("project"), year=year)
    for unit, missing in last_year.filter(~Exists(this_year)).values("unit").annotate(n=Count("pk")).values_list(
            "unit", "n"):
        counted.setdefault(unit, {})["missing"] = missing
    combinations = forms.filter(reached).exclude(flag_codes="").values("unit", "flag_codes").annotate(n=Count("pk"))
    for row in combinations:
        flags = counted[row["unit"]].setdefault("flags", {})
        for code in row["flag_codes"].split():
            flags[code] = flags.get(code, 0) + row["n"]
    return counted


# --- When ---------------------------------------------------------------------------------------------
# A change recounts at once, or, inside `deferred()`, once for the whole block at its end (a department's
# year accepted, an import batch): still inside the transaction, which must enclose the block.

_pending = threading.local()


@contextmanager
def deferred():
    """Gather the unit-years changed inside the block and recount each once when it ends without error."""
    if getattr(_pending, "keys", None) is not None:  # an enclosing block recounts
        yield
        return
    _pending.keys = set()
    try:
        yield
        keys = _pending.keys
    finally:
        _pending.keys = None
    recount(keys)


def changed(keys):
    """Recount the tallies of `keys` now, or at the end of the enclosing `deferred()` block."""
    pending = getattr(_pending, "keys", None)
    if pending is None:
        recount(keys)
    else:
        pending.update(keys)


def created_in_bulk(evaluations):
    """Evaluations written without their save() (the importer's bulk insert)."""
    changed(set(chain.from_iterable(counted_in(e.unit_id, e.year) for e in evaluations)))


def unit_moved(unit):
    """A unit moved to another department with its forms: its tallies follow."""
    years = set(unit.evaluations.values_list("year", flat=True)) | set(unit.tallies.values_list("year", flat=True))
    changed(set(chain.from_iterable(counted_in(unit.pk, year) for year in years)))


@receiver(post_save, sender="evaluations.Evaluation")
def _evaluation_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not COUNTED_FIELDS.intersection(update_fields)):
        return
    before = getattr(instance, "tallied_as", None)
    now = (instance.unit_id, instance.year)
    instance.tallied_as = now
    # A form's existence (or its unit-year) changes next year's missing; a change of its figures only its own.
    if created or before != now:
        moved_from = counted_in(*before) if before and None not in before else set()  # None: not read (.only())
        changed(counted_in(*now) | moved_from)
    else:
        changed({now})


@receiver(post_delete, sender="evaluations.Evaluation")
def _evaluation_deleted(sender, instance, **kwargs):
    changed(counted_in(instance.unit_id, instance.year))


@receiver(post_save, sender="evaluations.DepartmentYear")
def _department_year_saved(sender, instance, raw=False, **kwargs):
    """A due date decides which of the department's forms are late."""
    if raw:
        return
    units = instance.department.units.values_list("pk", flat=True)
    changed({(unit, instance.year) for unit in units})
