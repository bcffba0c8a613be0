"""Which forms a year should bring, and how far each unit (for a department) or each department (for the
finance bureau) has got: expected / submitted / approved / accepted, on time or late, and what is missing.

A project is expected in a year when it has a form that year or had one the year before (a continuing
project keeps its budget); a form that exists is expected whatever its status."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q
from django.utils import timezone

from evaluations.models import Department, DepartmentYear, Evaluation, Project

Status = Evaluation.Status
IN_REVIEW_OR_BEYOND = (Status.SUBMITTED, Status.APPROVED, Status.ACCEPTED)


@dataclass
class Row:
    pk: int
    name: str
    due_date: date | None
    forms: int = 0
    missing: int = 0
    submitted: int = 0
    approved: int = 0
    accepted: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def expected(self) -> int:
        return self.forms + self.missing

    @property
    def attention(self) -> int:
        return self.missing + self.late + self.overdue


def missing_projects(department, year) -> list[Project]:
    """Projects of the department expected this year that have no form for it."""
    missing = _last_years_forms_missing_now(year).filter(department=department).values("project")
    return list(Project.objects.filter(pk__in=missing).select_related("unit").order_by("unit__name", "name"))


def _last_years_forms_missing_now(year):
    """Last year's forms whose project has none this year: one per missing project, as (project, year) is
    unique. Counted from the forms alone, which keep their unit and department, without joining projects."""
    this_year = Evaluation.objects.filter(project=OuterRef("project"), year=year)
    return Evaluation.objects.filter(year=year - 1).filter(~Exists(this_year))


def rows(year, department=None) -> list[Row]:
    """One row per unit of `department`, or per department when None; the ones needing attention first."""
    by = "unit" if department is not None else "department"
    evaluations = Evaluation.objects.filter(year=year)
    missing = _last_years_forms_missing_now(year)
    if department is not None:
        evaluations, missing = evaluations.filter(department=department), missing.filter(department=department)
        names = dict(department.units.values_list("pk", "name"))
        due_dates = dict.fromkeys(names, DepartmentYear.objects.filter(department=department, year=year)
                                  .values_list("due_date", flat=True).first())
    else:
        names = dict(Department.objects.values_list("pk", "name"))
        due_dates = dict(DepartmentYear.objects.filter(year=year).values_list("department_id", "due_date"))
    today = timezone.localdate()
    # The due date joined once per department (a subquery per form took 2 s at 100,000 forms); no ordering,
    # whose joins would only slow the grouping.
    due_year = FilteredRelation("department__years", condition=Q(department__years__year=year))
    counted = evaluations.annotate(due_year=due_year, due=F("due_year__due_date")).order_by().values(by).annotate(
        forms=Count("pk"),
        submitted=Count("pk", filter=Q(status__in=IN_REVIEW_OR_BEYOND)),
        approved=Count("pk", filter=Q(status__in=(Status.APPROVED, Status.ACCEPTED))),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        late=Count("pk", filter=Q(submitted_at__date__gt=F("due"))),
        overdue=Count("pk", filter=Q(submitted_at__isnull=True, due__lt=today)),
    )
    table = {pk: Row(pk, name, due_dates.get(pk)) for pk, name in names.items()}
    for counts in counted:
        row = table[counts.pop(by)]
        for field, value in counts.items():
            setattr(row, field, value)
    for key, count in missing.order_by().values_list(by).annotate(count=Count("pk")):
        table[key].missing = count
    return sorted((row for row in table.values() if row.expected), key=lambda row: (-row.attention, row.name))
