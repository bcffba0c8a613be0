"""A project's years side by side: what targets/project.html shows, from rows already loaded (no queries)."""

from dataclasses import dataclass, field
from decimal import Decimal

from evaluations import scoring
from targets import charts, compare


@dataclass
class Year:
    year: int
    evaluation: object = None  # evaluations.models.Evaluation with funding lines and indicators prefetched
    table: object = None  # targets.models.TargetTable with indicators prefetched

    @property
    def budget(self) -> Decimal | None:
        if self.evaluation is not None:
            return self.evaluation.total_budget
        return self.table.budget if self.table is not None else None

    @property
    def rate(self) -> Decimal | None:
        if self.evaluation is None:
            return None
        total = next((line for line in self.evaluation.ordered_funding_lines() if line.kind == "total"), None)
        return total.computed_rate() if total is not None else None

    def indicators(self) -> dict:
        """{name: (target, actual)}: the form's rows, or the table's targets while there is no form."""
        if self.evaluation is not None:
            return {compare.normalized(r.name): (r.target, r.actual) for r in self.evaluation.indicators.all()}
        if self.table is not None:
            return {compare.normalized(r.name): (r.target, "") for r in self.table.indicators.all()}
        return {}


@dataclass
class IndicatorRow:
    name: str
    cells: list = field(default_factory=list)  # (target, actual) per year, ("", "") when absent
    trend: str = ""


def side_by_side(evaluations, tables) -> tuple[list[Year], list[IndicatorRow], str]:
    """(the years in order, each indicator's row across them, the SVG trend of the total)."""
    by_year = {}
    for evaluation in evaluations:
        by_year.setdefault(evaluation.year, Year(evaluation.year)).evaluation = evaluation
    for table in tables:
        by_year.setdefault(table.year, Year(table.year)).table = table
    years = [by_year[year] for year in sorted(by_year)]
    per_year = [year.indicators() for year in years]
    names = list(dict.fromkeys(name for indicators in per_year for name in indicators))
    rows = []
    for name in names:
        cells = [indicators.get(name, ("", "")) for indicators in per_year]
        actuals = [(year.year, scoring.parse_measure(actual)) for year, (_, actual) in zip(years, cells)]
        rows.append(IndicatorRow(name, cells, charts.trend(
            [(year, measure.value) for year, measure in actuals if measure is not None], name)))
    totals = [(year.year, year.evaluation.computed_total) for year in years
              if year.evaluation is not None and year.evaluation.computed_total is not None]
    return years, rows, charts.trend(totals, "总分", width=260, height=70)
