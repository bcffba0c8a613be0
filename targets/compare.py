"""Comparing a form's indicators with the approved targets, and a target with last year's actual.

Pure Python (no Django): the rows in are plain values, the differences out are plain values, so the
entry page, the review page and the target table page all judge alike (SCORING.md §6).
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from evaluations import scoring

# What a person may change on a row; the labels are what the page shows.
COMPARED_FIELDS = {"name": "三级指标", "target": "年度指标值", "weight": "分值"}


@dataclass(frozen=True)
class Row:
    """One indicator as far as targets are concerned: its place and what was promised."""

    level1: str
    level2: str
    name: str
    target: str
    weight: Decimal | str  # str while a page is being typed


@dataclass(frozen=True)
class FieldChange:
    field: str
    approved: str
    reported: str

    @property
    def label(self) -> str:
        return COMPARED_FIELDS[self.field]


@dataclass(frozen=True)
class Difference:
    """One approved indicator changed or dropped, or one reported indicator added.

    `approved_position` and `reported_position` are 1-based; the one that does not exist is None.
    `key` names the difference stably across saves, so a stated reason stays attached to it."""

    kind: str  # changed | dropped | added
    approved_position: int | None
    reported_position: int | None
    name: str
    changes: tuple[FieldChange, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        if self.kind == "added":
            return f"added:{self.name}"
        return f"approved:{self.approved_position}"

    def describe(self) -> str:
        """Chinese, showing approved → reported."""
        if self.kind == "dropped":
            return f"已批准的指标“{self.name}”（第 {self.approved_position} 项）在自评表中被删除"
        if self.kind == "added":
            return f"新增了绩效目标中没有的指标“{self.name}”"
        parts = "；".join(f"{change.label}：{change.approved} → {change.reported}" for change in self.changes)
        return f"与已批准的绩效目标不同（{parts}）"


def normalized(value) -> str:
    """Text as compared: runs of white space are one space, none at the ends."""
    return " ".join(str(value).split())


_text = normalized


def _same_number(before, after) -> bool:
    """Equal as numbers (50 and 50.00 are the same weight); as text when either is not a number (a page being typed)."""
    try:
        return Decimal(str(before)) == Decimal(str(after))
    except InvalidOperation:
        return _text(before) == _text(after)


def _field_changes(approved: Row, reported: Row) -> tuple[FieldChange, ...]:
    changes = []
    for name in COMPARED_FIELDS:
        before, after = getattr(approved, name), getattr(reported, name)
        same = _same_number(before, after) if name == "weight" else _text(before) == _text(after)
        if not same:
            changes.append(FieldChange(name, _text(before), _text(after)))
    return tuple(changes)


def differences(approved: list[Row], reported: list[Row]) -> list[Difference]:
    """How the reported rows depart from the approved ones.

    Rows pair first by the same 三级指标 name; what is left pairs in order within the same 一级 / 二级
    (a renamed indicator); approved rows still unpaired were dropped, reported rows still unpaired added."""
    pairs: dict[int, int] = {}  # approved index → reported index
    free_reported = list(range(len(reported)))
    for a_index, row in enumerate(approved):
        match = next((r for r in free_reported if _text(reported[r].name) == _text(row.name)), None)
        if match is not None:
            pairs[a_index] = match
            free_reported.remove(match)
    for a_index, row in enumerate(approved):
        if a_index in pairs:
            continue
        match = next((r for r in free_reported
                      if (reported[r].level1, reported[r].level2) == (row.level1, row.level2)), None)
        if match is not None:
            pairs[a_index] = match
            free_reported.remove(match)

    found = []
    for a_index, row in enumerate(approved):
        if a_index not in pairs:
            found.append(Difference("dropped", a_index + 1, None, _text(row.name)))
            continue
        changes = _field_changes(row, reported[pairs[a_index]])
        if changes:
            found.append(Difference("changed", a_index + 1, pairs[a_index] + 1, _text(row.name), changes))
    for r_index in free_reported:
        found.append(Difference("added", None, r_index + 1, _text(reported[r_index].name)))
    return sorted(found, key=lambda d: (d.reported_position or 10_000, d.approved_position or 0))


@dataclass(frozen=True)
class BelowLastActual:
    position: int  # 1-based, of the row whose target is too low
    name: str
    target: str
    last_actual: str
    last_year: int

    def describe(self) -> str:
        return f"年度指标值 {self.target} 低于 {self.last_year} 年度的实际完成值 {self.last_actual}，目标可能定得偏低"


def _unit(value) -> str | None:
    return value.unit if value is not None else None


def targets_below_last_actual(rows: list[tuple[str, str]], last_rows: list[tuple[str, str]], last_year: int
                              ) -> list[BelowLastActual]:
    """Rows (name, target) whose positive quantitative target is below last year's actual of the indicator
    with the same name and unit; `last_rows` are last year's (name, actual)."""
    last_actuals: dict[str, tuple[str, scoring.Measure]] = {}
    for name, actual in last_rows:
        measure = scoring.parse_measure(actual)
        if measure is not None:
            last_actuals.setdefault(_text(name), (actual, measure))
    found = []
    for position, (name, target_text) in enumerate(rows, start=1):
        target = scoring.parse_target(target_text)
        if target is None or target.operator not in scoring.POSITIVE_OPERATORS:
            continue
        last = last_actuals.get(_text(name))
        if last is None or _unit(last[1]) != target.unit:
            continue
        if target.value < last[1].value:
            found.append(BelowLastActual(position, _text(name), _text(target_text), _text(last[0]), last_year))
    return found
