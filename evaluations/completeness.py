"""Which forms a year should bring, and how far each unit (for a department) or each department (for the
finance bureau) has got: expected / submitted / approved / accepted, on time or late, and what is missing.

A project is expected in a year when it has a form that year or had one the year before (a continuing
project keeps its budget); a form that exists is expected whatever its status."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from evaluations.models import Department, DepartmentYear, Evaluation, Project, UnitYearTally

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
    """One row per unit of `department`, or per department when None; the ones needing attention first.
    Summed from the unit-year tallies (evaluations.tallies): at most 2,000 rows, whatever the forms."""
    by = "unit" if department is not None else "department"
    kept = UnitYearTally.objects.filter(year=year)
    if department is not None:
        kept = kept.filter(department=department)
        names = dict(department.units.values_list("pk", "name"))
        due_dates = dict.fromkeys(names, DepartmentYear.objects.filter(department=department, year=year)
                                  .values_list("due_date", flat=True).first())
    else:
        names = dict(Department.objects.values_list("pk", "name"))
        due_dates = dict(DepartmentYear.objects.filter(year=year).values_list("department_id", "due_date"))
    today = timezone.localdate()
    table = {pk: Row(pk, name, due_dates.get(pk)) for pk, name in names.items()}
    counted = ("late", "unsubmitted", "missing", *(f"status_{status}" for status in Status.values))
    for counts in kept.order_by().values(by).annotate(**{field: Sum(field) for field in counted}):
        row = table[counts[by]]
        row.forms = sum(counts[f"status_{status}"] for status in Status.values)
        row.submitted = sum(counts[f"status_{status}"] for status in IN_REVIEW_OR_BEYOND)
        row.approved = counts["status_approved"] + counts["status_accepted"]
        row.accepted = counts["status_accepted"]
        row.late, row.missing = counts["late"], counts["missing"]
        # Overdue depends on today: the forms never submitted, once the due date has passed.
        row.overdue = counts["unsubmitted"] if row.due_date and row.due_date < today else 0
    return sorted((row for row in table.values() if row.expected), key=lambda row: (-row.attention, row.name))
