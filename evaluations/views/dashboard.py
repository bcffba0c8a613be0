"""The dashboard: one year in figures, as SVG charts, tables and Excel. A reviewer sees the department
per unit; the finance bureau sees what has reached it from every department, per department (a province
has thousands of units).

Everything is counted in SQL, whatever the number of evaluations: one aggregate for statuses, grades
and total bins, one grouped query for flag codes, one for execution rates. The finance bureau's figures
are summed from the unit-year tallies (evaluations.tallies) instead: a province's year is 90,000 forms.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from collections import Counter

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from evaluations import charts, flag_help, kept_pages, roles, scoring, tallies
from evaluations.access import can_oversee, can_review, overseen_evaluations, reviewable_evaluations
from evaluations.excel import FORMULA_STARTS
from evaluations.models import Evaluation, SpotCheck, SpotCheckDraw, UnitYearTally
from evaluations.tallies import TOTAL_BINS

Status = Evaluation.Status
TOP_FLAGS = 10
# The chart shows the units spending least of their budget (a bar per unit of a department's hundreds
# would be pages long); the table beside it lists every unit.
LOWEST_RATE_UNITS = 15
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class UnitRate:
    unit: str
    evaluations: int
    budget: Decimal
    executed: Decimal
    rate: Decimal


@dataclass
class UnitGap:
    """How a unit's self-scores compare with the spot-check scores of the same forms."""

    unit: str
    checked: int
    self_average: Decimal
    spot_average: Decimal

    @property
    def gap(self) -> Decimal:
        return self.self_average - self.spot_average


@dataclass
class Figures:
    year: int
    count: int
    by_status: list  # (label, count)
    by_grade: list
    by_total: list
    by_unit: list  # UnitRate
    top_flags: list  # (FlagHelp, count)
    spot_gaps: list  # UnitGap


def figures_for(evaluations, year, group_by="unit__name") -> Figures:
    """The dashboard figures of `evaluations` in `year`: four queries whatever their number. The execution
    rates are summed per `group_by` (a unit's or a department's name); UnitRate.unit holds that name."""
    evaluations = evaluations.filter(year=year)
    counts = evaluations.aggregate(
        count=Count("pk"),
        **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in Status.values},
        **{f"grade_{n}": Count("pk", filter=Q(computed_grade=grade)) for n, grade in enumerate(scoring.GRADES)},
        **{f"total_bin_{n}": Count("pk", filter=tallies.bin_filter(low, high))
           for n, (_, low, high) in enumerate(TOTAL_BINS)},
    )
    # From the figures each evaluation keeps of its total funding line: one table, no join of the rows.
    rates = (
        evaluations.filter(total_budget__isnull=False)
        .values(group_by)
        .annotate(evaluations=Count("pk"), budget=Sum("total_budget"), executed=Sum("total_executed"))
        .order_by(group_by)
    )
    return _figures(year, counts, _flag_counts(evaluations), [_unit_rate(row, group_by) for row in rates],
                    _spot_gaps(evaluations))


def province_figures(year) -> Figures:
    """The finance bureau's figures of `year` — what reached it (approved or accepted) from every department —
    summed from the unit-year tallies (evaluations.tallies): 2,000 rows rather than a province's forms. The
    execution rates per department's name, as figures_for(overseen evaluations, year, "department__name")."""
    kept = UnitYearTally.objects.filter(year=year).order_by()
    counts = kept.aggregate(**{field: Sum(field) for field in tallies.COUNTS if not field.startswith("status_")},
                            **{f"status_{status}": Sum(f"status_{status}") for status in tallies.REACHED})
    counts = {field: value or 0 for field, value in counts.items()}
    counts["count"] = sum(counts[f"status_{status}"] for status in tallies.REACHED)
    rates = kept.filter(budgeted__gt=0).values("department__name").annotate(
        evaluations=Sum("budgeted"), budget=Sum("budget"), executed=Sum("executed")).order_by("department__name")
    flag_counts = Counter()
    for flags in kept.values_list("flags", flat=True):
        flag_counts.update(flags)
    overseen = Evaluation.objects.filter(year=year, status__in=tallies.REACHED)
    return _figures(year, counts, flag_counts, [_unit_rate(row, "department__name") for row in rates],
                    _spot_gaps(overseen))


def _figures(year, counts, flag_counts, by_unit, spot_gaps) -> Figures:
    flags = sorted(
        ((entry, flag_counts[code]) for code, entry in flag_help.FLAG_HELP.items() if flag_counts[code]),
        key=lambda item: -item[1],
    )
    return Figures(
        year=year,
        count=counts["count"],
        by_status=[(label, counts.get(f"status_{status}", 0)) for status, label in Status.choices],
        by_grade=[(grade, counts[f"grade_{n}"]) for n, grade in enumerate(scoring.GRADES)],
        by_total=[(label, counts[f"total_bin_{n}"]) for n, (label, _, _) in enumerate(TOTAL_BINS)],
        by_unit=by_unit,
        top_flags=flags[:TOP_FLAGS],
        spot_gaps=spot_gaps,
    )


def _spot_gaps(evaluations) -> list[UnitGap]:
    gaps = (
        SpotCheck.objects.filter(evaluation__in=evaluations, evaluation__computed_total__isnull=False)
        .values("evaluation__unit__name")
        .annotate(checked=Count("pk"), self_average=Avg("evaluation__computed_total"), spot_average=Avg("total"))
        .order_by("evaluation__unit__name")
    )
    return [UnitGap(row["evaluation__unit__name"], row["checked"], _cents(row["self_average"]),
                    _cents(row["spot_average"])) for row in gaps]


def _cents(value) -> Decimal:
    # An average shown to two places, half up (SQLite averages decimals as floats: its shortest repr is exact enough).
    return Decimal(str(value)).quantize(scoring.CENT, ROUND_HALF_UP)


def _flag_counts(evaluations) -> Counter:
    """How many evaluations carry each flag code. Grouping by the cached code list returns one row per
    distinct combination (a few dozen in a department), where testing every row against every code
    took a regular expression per code and row."""
    counts = Counter()
    combinations = evaluations.exclude(flag_codes="").values("flag_codes").annotate(n=Count("pk")).order_by()
    for row in combinations:
        for code in row["flag_codes"].split():
            counts[code] += row["n"]
    return counts


def _unit_rate(row, group_by) -> UnitRate:
    # SQLite sums decimals as floats; two places is what the money columns hold.
    budget, executed = (Decimal(row[key]).quantize(scoring.CENT) for key in ("budget", "executed"))
    return UnitRate(row[group_by], row["evaluations"], budget, executed,
                    scoring.execution_rate(executed, budget))


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, data, years):
        super().__init__(data)
        self.fields["year"].choices = [(year, f"{year}年度") for year in years]


def years_of(evaluations) -> list[int]:
    """The years from the latest form's to the earliest's, latest first: two index lookups, where listing
    the distinct years read every form (a province has 100,000 a year)."""
    span = evaluations.aggregate(first=Min("year"), last=Max("year"))
    return list(range(span["last"], span["first"] - 1, -1)) if span["last"] else []


@dataclass
class Scope:
    """Whose figures the dashboard counts, and what its rate table groups by."""
    evaluations: object  # QuerySet
    name: str  # of the department, or of the finance bureau's span
    group_by: str
    group_label: str  # what a row of the rate table is, in the UI's words
    column: str  # the rate table's first heading
    department: object = None

    def figures(self, year) -> Figures:
        # The finance bureau's span is a province: summed from the tallies, not counted from its forms.
        return figures_for(self.evaluations, year, self.group_by) if self.department else province_figures(year)


def _scope(user) -> Scope:
    if can_oversee(user):
        return Scope(overseen_evaluations(user), "各主管部门", "department__name", "主管部门", "主管部门")
    if can_review(user):
        department = roles.user_department(user)
        return Scope(reviewable_evaluations(user), department.name, "unit__name", "单位", "实施单位", department)
    raise Http404("只有审核人和财政局审核人可以查看统计。")


def _department_year(request):
    """The scope's evaluations and the year asked for (the latest one with forms by default)."""
    scope = _scope(request.user)
    evaluations = scope.evaluations
    years = years_of(evaluations) or [timezone.now().year]
    form = YearForm(request.GET if "year" in request.GET else {"year": years[0]}, years)
    year = form.cleaned_data["year"] if form.is_valid() else years[0]
    return scope, form, year


@login_required
@kept_pages.kept
def dashboard(request):
    scope, form, year = _department_year(request)
    figures = scope.figures(year)
    charts_by_section = {
        "status": charts.bar_chart(figures.by_status, "按状态的自评表份数"),
        "grade": charts.bar_chart(figures.by_grade, "按核算等级的自评表份数"),
        "total": charts.bar_chart(figures.by_total, "核算总分分布"),
        "unit": charts.bar_chart([(row.unit, row.rate) for row in _lowest_rates(figures.by_unit)],
                                 f"执行率最低的 {LOWEST_RATE_UNITS} 个{scope.group_label}", suffix="%", scale_to=100),
        "flags": charts.bar_chart([(entry.title, n) for entry, n in figures.top_flags], "最常见的标记"),
    }
    # Spot checks are drawn per department; the finance bureau's span has none of its own.
    draws = SpotCheckDraw.objects.filter(department=scope.department, year=year).prefetch_related(
        Prefetch("evaluations", Evaluation.objects.select_related("project__unit", "spot_check").order_by("pk"))
    )[:3] if scope.department else []
    return render(request, "evaluations/dashboard.html", {
        "form": form, "figures": figures, "charts": charts_by_section, "lowest_rate_units": LOWEST_RATE_UNITS,
        "scope": scope, "draws": draws,
    })


def _lowest_rates(by_unit: list[UnitRate]) -> list[UnitRate]:
    return sorted(by_unit, key=lambda row: row.rate)[:LOWEST_RATE_UNITS]


def workbook_for(figures: Figures, department_name: str, group_label="单位", column="实施单位") -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = [
        ("按状态", ["状态", "份数"], figures.by_status),
        ("按等级", ["核算等级", "份数"], figures.by_grade),
        ("总分分布", ["核算总分", "份数"], figures.by_total),
        (f"各{group_label}执行率", [column, "自评表份数", "全年预算数（万元）", "全年执行数（万元）", "执行率(%)"],
         [(r.unit, r.evaluations, r.budget, r.executed, r.rate) for r in figures.by_unit]),
        ("常见标记", ["标记代码", "含义", "级别", "份数"],
         [(entry.code, entry.title, entry.severity_label, n) for entry, n in figures.top_flags]),
        ("抽评差距", ["实施单位", "抽评份数", "自评平均分", "抽评平均分", "差距"],
         [(g.unit, g.checked, g.self_average, g.spot_average, g.gap) for g in figures.spot_gaps]),
    ]
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append([f"{department_name} {figures.year}年度 绩效自评统计：{title}"])
        sheet.append(header)
        for cell in (*sheet[1], *sheet[2]):
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        sheet.column_dimensions["A"].width = 28
        _keep_text_inert(sheet)
    return workbook


def _keep_text_inert(sheet):
    """Names that begin like a formula (a unit called "=HYPERLINK(…)") stay text, as in evaluations.excel."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


@login_required
def dashboard_export(request):
    scope, _, year = _department_year(request)
    output = BytesIO()
    workbook_for(scope.figures(year), scope.name, scope.group_label,
                 scope.column).save(output)
    filename = f"{scope.name}{year}年度绩效自评统计.xlsx"
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"zpb-dashboard-{year}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
