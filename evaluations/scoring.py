"""The official arithmetic of the self-evaluation form (shared spec SCORING.md).

Plain Python, no Django: the importer's parser produces these figures, the models
build them from their rows, and both call the same rules. Every number is a Decimal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")

ROUNDING_MODES = {"truncate": ROUND_DOWN, "half_up": ROUND_HALF_UP, "ceiling": ROUND_CEILING}

FUNDING_KINDS = ("total", "current_year", "carryover", "other")
FUNDING_KIND_LABELS = {
    "total": "年度资金总额",
    "current_year": "其中：当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}

OUTPUT, BENEFIT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"
LEVELS = {
    OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    SATISFACTION: ("服务对象满意度指标",),
    # 财预〔2021〕101号 layout.
    COST: ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
REQUIRED_CATEGORIES = (OUTPUT, BENEFIT, SATISFACTION)

GRADES = ("优", "良", "中", "差")

ACHIEVED, PARTIAL, NOT_ACHIEVED = "achieved", "partial", "not_achieved"
COMPLETION_LEVEL_LABELS = {
    ACHIEVED: "达成指标",
    PARTIAL: "部分达成指标并具有一定效果",
    NOT_ACHIEVED: "未达成指标且效果较差",
}
# Share of the weight a qualitative score may take: (low, high, high inclusive).
QUALITATIVE_BANDS = {
    ACHIEVED: (Decimal("0.8"), Decimal("1"), True),
    PARTIAL: (Decimal("0.6"), Decimal("0.8"), False),
    NOT_ACHIEVED: (ZERO, Decimal("0.6"), False),
}

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Rules:
    """Deployment-tunable thresholds and modes; the defaults are those of SCORING.md."""

    rounding: str = "truncate"
    negative_formula: str = "ratio"  # ratio: target/actual × weight; linear: deduct the overshoot
    tolerance: Decimal = CENT
    overachieved_ratio: Decimal = Decimal("1.2")
    funding_weight: Decimal = Decimal("10")
    # Share of the weight each completion level may take: ((level, low, high, high inclusive), ...).
    qualitative_bands: tuple = tuple((level, *band) for level, band in QUALITATIVE_BANDS.items())
    advisory_split: tuple = ((OUTPUT, Decimal("50")), (BENEFIT, Decimal("30")), (SATISFACTION, Decimal("10")))
    # §6 plausibility thresholds.
    score_ahead_margin: Decimal = Decimal("0.05")  # share of the score rate by which it may exceed execution
    underspent_rate: Decimal = Decimal("80")  # total-line execution rate (%) below which money went unspent
    satisfaction_evidence_rate: Decimal = Decimal("95")  # satisfaction (%) from which evidence is expected
    reuse_min_chars: int = 20  # texts shorter than this are not compared
    reuse_similarity: Decimal = Decimal("90")  # % similarity from which a text counts as reused

    def __post_init__(self):
        if self.rounding not in ROUNDING_MODES:
            raise ValueError(f"unknown rounding mode {self.rounding!r}")
        if self.negative_formula not in ("ratio", "linear"):
            raise ValueError(f"unknown negative formula {self.negative_formula!r}")

    def cut(self, value: Decimal) -> Decimal:
        return value.quantize(CENT, rounding=ROUNDING_MODES[self.rounding])


DEFAULT_RULES = Rules()


# --- Notation --------------------------------------------------------------

_OPERATORS = {
    ">=": "≥", "≥": "≥", "≧": "≥", "＞＝": "≥", "＞=": "≥", ">＝": "≥",
    "<=": "≤", "≤": "≤", "≦": "≤", "＜＝": "≤", "＜=": "≤", "<＝": "≤",
    "=": "=", "＝": "=", ">": ">", "＞": ">", "<": "<", "＜": "<",
}
POSITIVE_OPERATORS = ("=", "≥", ">")
NEGATIVE_OPERATORS = ("≤", "<")
_OPERATOR_PATTERN = "|".join(re.escape(op) for op in sorted(_OPERATORS, key=len, reverse=True))
_UNUSABLE_UNITS = {"", "null", "none", "无", "-", "/"}
_UNIT_SYNONYMS = {"百分比": "%", "％": "%"}

# Target notation as people write it (SCORING.md §5), as data: the page reads the same tables
# (evaluations.entry.page_rules) so that it and this module follow one set of rules.
NOTATION = {
    # A word may stand where the operator symbol stands: 不低于90% is ≥90(%).
    "words": {
        "大于或等于": "≥", "大于等于": "≥", "不低于": "≥", "不少于": "≥", "不小于": "≥",
        "小于或等于": "≤", "小于等于": "≤", "不高于": "≤", "不超过": "≤", "不多于": "≤", "不大于": "≤",
        "大于": ">", "高于": ">", "超过": ">", "多于": ">",
        "小于": "<", "低于": "<", "少于": "<",
    },
    # At most one of these may lead; alone it means the operator given.
    "leads": {"达到": "≥", "控制在": "≤"},
    # At most one of these may trail: 90%以上 is ≥90(%).
    "suffixes": {"及以上": "≥", "以上": "≥", "以内": "≤", "以下": "≤"},
    # A unit written without brackets is short and has none of these: 12月底前 is a date, not 12 of 月底前.
    "bare_unit_max_length": 6,
    "bare_unit_forbidden": "前后底初末完成，。、；;：:,!！?？",
}
# One number as people type it: 1,000 and 1,000.5 (thousands separators), full-width ４５．６.
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
_BODY_RE = re.compile(rf"^\s*({_NUMBER})\s*(?:\((.*)\)|([^\s\d()]*))\s*$")


def normalize_notation(text: str) -> str:
    """Full-width brackets and operators to ASCII brackets and ``= ≥ > ≤ <``."""
    text = text.strip().replace("（", "(").replace("）", ")")
    match = re.match(_OPERATOR_PATTERN, text)
    if match:
        text = _OPERATORS[match.group(0)] + text[match.end():]
    return text


def _unit(raw: str | None) -> str | None:
    if raw is None:
        return None
    unit = raw.strip()
    if unit.lower() in _UNUSABLE_UNITS:
        return None
    return _UNIT_SYNONYMS.get(unit, unit)


def _longest_first(table: dict) -> list[tuple[str, str]]:
    return sorted(table.items(), key=lambda item: len(item[0]), reverse=True)


def _ascii_number(number: str) -> str:
    """``１,０００．５`` → ``1000.5`` (what Decimal() reads; it reads any Unicode digit)."""
    return "".join(str(int(char)) if char.isdecimal() else char for char in number.replace(",", ""))


_WHOLE_NUMBER_RE = re.compile(rf"^{_NUMBER}$")


def plain_number(text: str) -> str:
    """A number as people type it (``１,０００．５``) as Decimal reads it (``1000.5``); other text unchanged."""
    cleaned = text.strip().replace("．", ".")
    return _ascii_number(cleaned) if _WHOLE_NUMBER_RE.match(cleaned) else text


@dataclass(frozen=True)
class Notation:
    """A cell read by §5: an operator (None when none was written), a number and a unit as written."""

    operator: str | None
    number: str  # ASCII digits, no separators
    unit: str | None  # as written, None when no unit was written

    def canonical(self) -> str:
        """The bracketed form of §2: ``≥90(%)``, ``2(场)``."""
        unit = "" if self.unit is None else f"({self.unit})"
        return f"{self.operator or ''}{self.number}{unit}"


def read_notation(text: str) -> Notation | None:
    """The whole cell as [达到|控制在] operator-or-word number unit [以上|及以上|以内|以下], or None."""
    text = normalize_notation(text).replace("．", ".")
    lead = operator = suffix = None
    for word, meaning in _longest_first(NOTATION["leads"]):
        if text.startswith(word):
            lead, text = meaning, text[len(word):].lstrip()
            break
    match = re.match(_OPERATOR_PATTERN, text)
    if match:
        operator, text = _OPERATORS[match.group(0)], text[match.end():]
    else:
        for word, meaning in _longest_first(NOTATION["words"]):
            if text.startswith(word):
                operator, text = meaning, text[len(word):]
                break
    for word, meaning in _longest_first(NOTATION["suffixes"]):
        if text.endswith(word):
            suffix, text = meaning, text[: -len(word)]
            break
    body = _BODY_RE.match(text)
    if not body:
        return None
    number, bracketed, bare = body.groups()
    if bare and (len(bare) > NOTATION["bare_unit_max_length"] or any(c in NOTATION["bare_unit_forbidden"] for c in bare)):
        return None
    if operator and suffix and (operator in NEGATIVE_OPERATORS) != (suffix in NEGATIVE_OPERATORS):
        return None  # 大于5万元以内 says two things
    unit = bracketed if bracketed is not None else (bare or None)
    return Notation(operator or suffix or lead, _ascii_number(number), unit)


@dataclass(frozen=True)
class Target:
    operator: str
    value: Decimal
    unit: str | None

    @property
    def is_negative(self) -> bool:
        return self.operator in NEGATIVE_OPERATORS


@dataclass(frozen=True)
class Measure:
    value: Decimal
    unit: str | None


def parse_target(text: str) -> Target | None:
    """``≥90(%)``, ``不低于90%``, ``90%以上``, ``2场`` (meaning ``=2(场)``) → Target; other text is qualitative (None)."""
    notation = read_notation(text)
    if notation is None:
        return None
    return Target(notation.operator or "=", Decimal(notation.number), _unit(notation.unit))


def parse_measure(text: str) -> Measure | None:
    """``2.00(场)``, ``95%``, ``１,０００元`` → Measure; None when the actual is not a number (or has an operator)."""
    notation = read_notation(text)
    if notation is None or notation.operator is not None:
        return None
    return Measure(Decimal(notation.number), _unit(notation.unit))


QUALITATIVE = "定性"


def printed_target(target: str) -> tuple[str, str, str]:
    """A target as the 申报表 prints it in three columns, 指标性质 / 指标值 / 度量单位: ``=2(场)`` → ``=``,
    ``2``, ``场``; qualitative text → 定性 and the text. A target not written in the §2 bracketed form
    (``2场``, ``≥95%``) keeps its own text in 指标值, so joined_target gives back exactly what was written."""
    notation = read_notation(target)
    if notation is None:
        return QUALITATIVE, target, ""
    operator = notation.operator or "="
    if Notation(operator, notation.number, notation.unit).canonical() == target:
        return operator, notation.number, notation.unit or ""
    # A bare number keeps no 指标性质: joined with one it would come back with its operator written.
    return (operator if notation.operator or notation.unit else ""), target, ""


def joined_target(nature: str, value: str, unit: str) -> str:
    """The target of a printed row (printed_target's inverse): an operator and a bare number are joined
    with the unit in the §2 form; any other 指标值 is the target as written."""
    operator = _OPERATORS.get(nature.strip())
    notation = read_notation(value) if operator else None
    if notation is None or notation.operator is not None or notation.unit is not None:
        return value
    return Notation(operator, notation.number, unit.strip() or None).canonical()


def unit_fix(actual: str, unit: str) -> str:
    """The actual with the target's unit: ``2`` and 场 → ``2(场)``."""
    return Notation(None, read_notation(actual).number, unit).canonical()


def completion_level(text: str) -> str | None:
    """达成指标 / 部分达成… / 未达成… and their synonyms, or None."""
    text = re.sub(r"\s+", "", text)
    if text.startswith("未达成"):
        return NOT_ACHIEVED
    if text.startswith("部分达成"):
        return PARTIAL
    if text.startswith("达成") or text == "完成":
        return ACHIEVED
    return None


# --- Figures ----------------------------------------------------------------


@dataclass
class FundingFigures:
    kind: str | None  # one of FUNDING_KINDS; None for a row of another template with no counterpart
    budget_initial: Decimal | None  # None: not printed
    budget_full_year: Decimal | None
    executed: Decimal | None
    weight: Decimal | None = None
    rate: Decimal | None = None  # as declared
    score: Decimal | None = None  # as declared, total line only
    label: str = field(default="", compare=False)  # as printed (an import's; not stored, not compared)

    @property
    def shown_label(self) -> str:
        return self.label or FUNDING_KIND_LABELS.get(self.kind, "")

    @property
    def budget_base(self) -> Decimal | None:
        """What the execution rate divides by: 全年预算数, or 年初预算数 where no 全年预算数 is printed."""
        return self.budget_initial if self.budget_full_year is None else self.budget_full_year


@dataclass
class IndicatorFigures:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal | None  # as declared; None where the form leaves it blank
    deviation: str = ""


@dataclass
class FormFigures:
    """One form's figures, as printed (imported) or as entered (browser)."""

    funding: list[FundingFigures]
    indicators: list[IndicatorFigures]
    declared_total: Decimal | None = None
    declared_grade: str = ""

    def funding_line(self, kind: str) -> FundingFigures | None:
        return next((line for line in self.funding if line.kind == kind), None)


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str
    message: str
    indicator: int | None = None  # 1-based position, None for the form or its funding block
    place: str = "form"  # form | funding | indicator

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "indicator": self.indicator, "message": self.message}


# --- Arithmetic ------------------------------------------------------------


def execution_rate(executed: Decimal, budget_full_year: Decimal, rules: Rules = DEFAULT_RULES) -> Decimal:
    if budget_full_year == 0:
        return ZERO.quantize(CENT)
    return rules.cut(executed / budget_full_year * HUNDRED)


def budget_score(rate: Decimal, weight: Decimal, rules: Rules = DEFAULT_RULES) -> Decimal:
    return rules.cut(min(rate, HUNDRED) / HUNDRED * weight)


def grade_for(total: Decimal) -> str:
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def rule_score(target: Target, actual: Decimal, weight: Decimal, rules: Rules = DEFAULT_RULES) -> Decimal:
    """The score §2 gives a quantitative indicator."""
    if target.value == 0:
        return weight if actual == 0 else ZERO.quantize(CENT)
    achieved = actual <= target.value if target.is_negative else actual >= target.value
    if achieved:
        return weight
    if target.value < 0:  # no proportion of a negative target means anything: not achieved, no points
        return ZERO.quantize(CENT)
    if target.is_negative:
        if rules.negative_formula == "linear":
            return rules.cut(max(ZERO, (1 - (actual - target.value) / target.value) * weight))
        return rules.cut(target.value / actual * weight)
    return rules.cut(max(ZERO, actual) / target.value * weight)


def suggested_score(indicator: IndicatorFigures, rules: Rules = DEFAULT_RULES) -> Decimal | None:
    """The score the rules give, for quantitative indicators with a numeric actual."""
    target = parse_target(indicator.target)
    measure = parse_measure(indicator.actual)
    if target is None or measure is None:
        return None
    return rule_score(target, measure.value, indicator.weight, rules)


@dataclass(frozen=True)
class Computed:
    funding_score: Decimal
    weight_total: Decimal
    total: Decimal  # declared budget score + Σ declared indicator scores
    grade: str


def funding_weight(form: FormFigures, rules: Rules = DEFAULT_RULES) -> Decimal:
    total = form.funding_line("total")
    if total is not None and total.weight is not None:
        return total.weight
    return rules.funding_weight


def computed_funding_score(form: FormFigures, rules: Rules = DEFAULT_RULES) -> Decimal:
    total = form.funding_line("total")
    if total is None or total.executed is None or total.budget_base is None:
        return ZERO.quantize(CENT)
    rate = execution_rate(total.executed, total.budget_base, rules)
    return budget_score(rate, funding_weight(form, rules), rules)


def declared_parts_total(form: FormFigures, rules: Rules = DEFAULT_RULES) -> Decimal:
    total = form.funding_line("total")
    funding = total.score if total is not None and total.score is not None else computed_funding_score(form, rules)
    return (funding + sum((i.score for i in form.indicators if i.score is not None), ZERO)).quantize(CENT)


def compute(form: FormFigures, rules: Rules = DEFAULT_RULES) -> Computed:
    total = declared_parts_total(form, rules)
    weights = funding_weight(form, rules) + sum((i.weight for i in form.indicators), ZERO)
    return Computed(
        funding_score=computed_funding_score(form, rules),
        weight_total=weights.quantize(CENT),
        total=total,
        grade=grade_for(total),
    )


# --- Flags -----------------------------------------------------------------


def _fmt(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _funding_flags(form: FormFigures, rules: Rules) -> list[Flag]:
    flags = []
    # Rows another template leaves blank (or a column it does not print) take no part.
    printed = [line for line in form.funding if line.executed is not None and line.budget_base is not None]
    for line in printed:
        label = line.shown_label
        rate = execution_rate(line.executed, line.budget_base, rules)
        if line.rate is not None and abs(line.rate - rate) > rules.tolerance:
            flags.append(Flag("E_EXEC_RATE", ERROR, f"{label}的执行率填报为 {_fmt(line.rate)}%，按执行数÷全年预算数应为 {_fmt(rate)}%。", place="funding"))
    total = form.funding_line("total")
    if total is not None and total.score is not None:
        expected = computed_funding_score(form, rules)
        if abs(total.score - expected) > rules.tolerance:
            flags.append(Flag("E_FUNDING_SCORE", ERROR, f"预算执行得分填报为 {_fmt(total.score)}，按执行率应为 {_fmt(expected)}。", place="funding"))
    parts = [line for line in form.funding if line.kind != "total"]
    if total is not None and parts:
        columns = (("budget_initial", "年初预算数"), ("budget_full_year", "全年预算数"), ("executed", "全年执行数"))
        names = "、".join(p.shown_label.removeprefix("其中：") for p in parts)
        for attr, column in columns:
            printed_parts = [getattr(p, attr) for p in parts if getattr(p, attr) is not None]
            if getattr(total, attr) is None or not printed_parts:
                continue
            part_sum = sum(printed_parts, ZERO)
            if part_sum != getattr(total, attr):
                flags.append(Flag("E_FUNDING_SUM", ERROR, f"{column}：{names}合计 {_fmt(part_sum)}，与{total.shown_label} {_fmt(getattr(total, attr))} 不符。", place="funding"))
    for line in printed:
        if line.budget_base == 0 and line.executed > 0:
            flags.append(Flag("E_FUNDING_SUM", ERROR, f"{line.shown_label}全年预算数为 0，却有执行数 {_fmt(line.executed)}。", place="funding"))
    over = [line for line in printed if line.executed > line.budget_base]
    if over:
        labels = "、".join(line.shown_label for line in over)
        flags.append(Flag("W_OVER_BUDGET", WARNING, f"{labels}的全年执行数超过全年预算数，请说明原因。", place="funding"))
    if total is not None and None not in (total.budget_initial, total.budget_full_year) and total.budget_initial != total.budget_full_year:
        flags.append(Flag("I_BUDGET_ADJUSTED", INFO, f"年初预算数 {_fmt(total.budget_initial)} 与全年预算数 {_fmt(total.budget_full_year)} 不同（年中调整）。", place="funding"))
    return flags


def _indicator_flags(position: int, ind: IndicatorFigures, rules: Rules) -> list[Flag]:
    flags = []

    def flag(code, severity, message):
        flags.append(Flag(code, severity, message, indicator=position, place="indicator"))

    if ind.level1 not in LEVELS:
        flag("E_LEVELS", ERROR, f"一级指标“{ind.level1}”不是产出指标、效益指标或满意度指标。")
    elif ind.level2 not in LEVELS[ind.level1]:
        flag("E_LEVELS", ERROR, f"二级指标“{ind.level2}”不属于{ind.level1}。")

    target = parse_target(ind.target)
    measure = parse_measure(ind.actual)
    level = completion_level(ind.actual)
    explained = bool(ind.deviation.strip())

    if ind.score is None:
        pass  # a blank 得分 (a form that leaves scoring to the reviewer): nothing to check
    elif ind.score < 0 or ind.score > ind.weight:
        flag("E_SCORE_RANGE", ERROR, f"得分 {_fmt(ind.score)} 超出 0 至分值 {_fmt(ind.weight)} 的范围。")
    elif target is not None and measure is not None:
        expected = rule_score(target, measure.value, ind.weight, rules)
        if abs(ind.score - expected) > rules.tolerance:
            flag("E_INDICATOR_SCORE", ERROR, f"得分填报为 {_fmt(ind.score)}，按指标值 {ind.target} 与完成值 {ind.actual} 应为 {_fmt(expected)}。")
    elif level is not None:
        low, high, high_inclusive = next(band[1:] for band in rules.qualitative_bands if band[0] == level)
        share = ind.score / ind.weight if ind.weight else ZERO
        inside = share >= low and (share <= high if high_inclusive else share < high)
        if ind.weight and not inside:
            band = f"[{low * 100:.0f}%, {high * 100:.0f}%{']' if high_inclusive else ')'}"
            flag("E_QUALITATIVE_BAND", ERROR, f"完成情况为“{COMPLETION_LEVEL_LABELS[level]}”，得分应在分值的 {band} 之间，实际得分 {_fmt(ind.score)}。")
    elif target is not None:
        flag("E_UNSCORABLE", ERROR, f"指标值 {ind.target} 为定量指标，但完成值“{ind.actual}”既不是数值也不是完成等级，无法核对得分。")

    # An out-of-range score is already an error; no second flag on the same score.
    if ind.score is not None and 0 <= ind.score < ind.weight and not explained:
        flag("W_DEDUCTION_UNEXPLAINED", WARNING, f"得分 {_fmt(ind.score)} 低于分值 {_fmt(ind.weight)}，但未填写偏差原因分析及改进措施。")
    if (
        target is not None and measure is not None and not target.is_negative and target.value > 0
        and measure.value >= target.value * rules.overachieved_ratio and not explained
    ):
        flag("W_OVERACHIEVED", WARNING, f"完成值 {ind.actual} 高出指标值 {ind.target} 较多（≥{rules.overachieved_ratio} 倍），指标值可能偏低，请分析原因。")
    if target is not None and target.unit is None:
        flag("W_UNIT_MISSING", WARNING, f"指标值“{ind.target}”缺少计量单位。")
    elif target is not None and measure is not None and measure.unit is None:
        flag("W_UNIT_MISSING", WARNING, f"完成值“{ind.actual}”缺少单位，应写作“{unit_fix(ind.actual, target.unit)}”。")
    elif target is not None and measure is not None and target.unit != measure.unit:
        flag("W_UNIT_MISMATCH", WARNING, f"指标值单位“{target.unit}”与完成值单位“{measure.unit}”不一致。")
    return flags


def _form_flags(form: FormFigures, rules: Rules) -> list[Flag]:
    flags = []
    weight_total = funding_weight(form, rules) + sum((i.weight for i in form.indicators), ZERO)
    if weight_total != HUNDRED:
        flags.append(Flag("E_WEIGHTS", ERROR, f"预算执行分值与各指标分值合计 {_fmt(weight_total)}，应为 100.00。"))
    parts_total = declared_parts_total(form, rules)
    if form.declared_total is not None and abs(form.declared_total - parts_total) > rules.tolerance:
        flags.append(Flag("E_TOTAL", ERROR, f"总分填报为 {_fmt(form.declared_total)}，预算执行得分与各指标得分合计为 {_fmt(parts_total)}。"))
    if form.declared_grade and form.declared_grade != grade_for(parts_total):
        flags.append(Flag("E_GRADE", ERROR, f"评分等级填报为“{form.declared_grade}”，得分合计 {_fmt(parts_total)} 应为“{grade_for(parts_total)}”。"))
    present = {i.level1 for i in form.indicators}
    for category in REQUIRED_CATEGORIES:
        if category not in present:
            flags.append(Flag("W_CATEGORY_MISSING", WARNING, f"缺少{category}。"))
    split = {category: sum((i.weight for i in form.indicators if i.level1 == category), ZERO) for category, _ in rules.advisory_split}
    advisory = dict(rules.advisory_split)
    if funding_weight(form, rules) != rules.funding_weight or split != advisory or present - set(advisory):
        shown = "、".join(f"{c.removesuffix('指标')} {_fmt(v)}" for c, v in split.items())
        flags.append(Flag("I_WEIGHT_SPLIT", INFO, f"一级指标分值为 预算执行率 {_fmt(funding_weight(form, rules))}、{shown}，与建议的 10/50/30/10 不同。"))
    return flags


# --- Plausibility (§6) -------------------------------------------------------


def _spending_flags(form: FormFigures, rules: Rules) -> list[Flag]:
    """W_SCORE_AHEAD_OF_SPENDING and W_UNDERSPENT. A form with no full-year budget spent nothing it had,
    so neither applies (a blank draft would otherwise carry both); scores not printed are left out."""
    total = form.funding_line("total")
    if total is None or not total.budget_full_year or total.executed is None:
        return []  # no budget, or not printed: nothing to compare
    flags = []
    rate = execution_rate(total.executed, total.budget_full_year, rules)
    scored = [i for i in form.indicators if i.score is not None and i.weight is not None]
    scores = sum((i.score for i in scored), ZERO)
    weights = sum((i.weight for i in scored), ZERO)
    # score rate − execution > margin × score rate, multiplied out so that nothing is divided or rounded:
    # (1 − margin) × Σ scores × 100 > min(rate, 100) × Σ weights.
    if weights > 0 and (1 - rules.score_ahead_margin) * scores * HUNDRED > min(rate, HUNDRED) * weights:
        score_rate = execution_rate(scores, weights, rules)
        flags.append(Flag("W_SCORE_AHEAD_OF_SPENDING", WARNING,
                          f"各项指标得分率 {_fmt(score_rate)}%，明显高于预算执行率 {_fmt(min(rate, HUNDRED))}%："
                          "资金没有用完，绩效却按完成自评，请核实完成情况与资金使用是否相符。", place="funding"))
    if rate < rules.underspent_rate:
        flags.append(Flag("W_UNDERSPENT", WARNING,
                          f"年度资金总额执行率 {_fmt(rate)}%，低于 {rules.underspent_rate}%，请说明资金未执行的原因。",
                          place="funding"))
    return flags


def _satisfaction_flags(form: FormFigures, evidenced: frozenset, rules: Rules) -> list[Flag]:
    """I_SATISFACTION_UNSUPPORTED: a satisfaction of the evidence rate or more (in % or without a unit)
    on an indicator with no evidence (`evidenced`: positions with a file, or a sample size and method)."""
    flags = []
    for position, ind in enumerate(form.indicators, start=1):
        if ind.level1 != SATISFACTION or position in evidenced:
            continue
        measure = parse_measure(ind.actual)
        if measure is not None and measure.unit in ("%", None) and measure.value >= rules.satisfaction_evidence_rate:
            flags.append(Flag("I_SATISFACTION_UNSUPPORTED", INFO,
                              f"满意度完成值 {ind.actual} 不低于 {rules.satisfaction_evidence_rate}%，"
                              "但没有附调查结果等佐证材料，也没有填写样本量和调查方式。",
                              indicator=position, place="indicator"))
    return flags


@dataclass(frozen=True)
class ReusedText:
    """A text of the form found (by the model layer, see evaluations.similarity) in another form."""

    indicator: int | None  # the indicator whose 偏差原因分析及改进措施 it is; None for 实际完成情况
    other_form: str  # names the other form: project, unit and year
    other_indicator: int | None  # where in the other form; None for its 实际完成情况
    similarity: Decimal  # percent


REUSED_FIELD_LABELS = {True: "偏差原因分析及改进措施", False: "实际完成情况"}


def reused_text_flags(reused) -> list[Flag]:
    flags = []
    for found in reused:
        mine = REUSED_FIELD_LABELS[found.indicator is not None]
        where = (f"第 {found.other_indicator} 项指标的偏差原因分析及改进措施" if found.other_indicator is not None
                 else "年度总体目标的实际完成情况")
        flags.append(Flag(
            "W_TEXT_REUSED", WARNING,
            f"{mine}与{found.other_form}{where}的文字相似度达 {found.similarity.quantize(Decimal('1'))}%，"
            "可能是套用的文字，请核实是否如实反映本项目情况。",
            indicator=found.indicator, place="indicator" if found.indicator is not None else "form",
        ))
    return flags


_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
# The §6 flags a department may switch off or give another severity (SEVERITY: their defaults).
TUNABLE_FLAGS = {"W_SCORE_AHEAD_OF_SPENDING": WARNING, "W_UNDERSPENT": WARNING, "W_TEXT_REUSED": WARNING,
                 "I_SATISFACTION_UNSUPPORTED": INFO}


def tuned(flags: list[Flag], tuning: dict) -> list[Flag]:
    """`flags` with a department's tuning applied: {code: severity, or None for off} (codes not named keep
    their catalogue severity)."""
    kept = []
    for flag in flags:
        if flag.code not in tuning:
            kept.append(flag)
        elif tuning[flag.code] is not None:
            kept.append(replace(flag, severity=tuning[flag.code]))
    return kept


def flags_for(form: FormFigures, rules: Rules = DEFAULT_RULES, evidenced: frozenset = frozenset(),
              reused: tuple = (), tuning: dict | None = None) -> list[Flag]:
    """Every catalogue flag the form raises: errors first, then warnings, then info.

    Two §6 flags look beyond the figures: `evidenced` holds the positions of indicators with evidence
    attached (I_SATISFACTION_UNSUPPORTED), `reused` the ReusedText found in other forms (W_TEXT_REUSED).
    `tuning` is the department's choice of which §6 flags are on and at what severity (see tuned()).
    """
    flags = _funding_flags(form, rules) + _form_flags(form, rules) + _spending_flags(form, rules)
    for position, indicator in enumerate(form.indicators, start=1):
        flags += _indicator_flags(position, indicator, rules)
    flags += _satisfaction_flags(form, evidenced, rules) + reused_text_flags(reused)
    if tuning:
        flags = tuned(flags, tuning)
    return sorted(flags, key=lambda f: (_SEVERITY_ORDER[f.severity], f.indicator or 0))
