"""First drafts of a report's human-words parts (problems found, improvements planned), written from
the form's own figures and texts; a person edits them before the report is generated. Plain Python."""

import re
from decimal import Decimal

from evaluations import scoring

# The 偏差原因分析及改进措施 column often holds both halves; text after one of these words is the measure.
MEASURE_MARKERS = ("改进措施", "整改措施", "下一步", "今后")
_MEASURE_SPLIT = re.compile(rf"[。；;，,\s]*(?:{'|'.join(MEASURE_MARKERS)})[：:，,]?\s*")


def deducted_indicators(figures: scoring.FormFigures) -> list[scoring.IndicatorFigures]:
    return [indicator for indicator in figures.indicators if indicator.score < indicator.weight]


def split_deviation(text: str) -> tuple[str, str]:
    """(reason, measure) of a 偏差原因分析及改进措施 cell; the measure is empty when none is marked."""
    text = text.strip()
    parts = _MEASURE_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(" 。；;"), parts[1].strip()
    return text, ""


def draft_problems(figures: scoring.FormFigures, rate: Decimal | None) -> str:
    lines = []
    total = figures.funding_line("total")
    if rate is not None and total is not None and rate < scoring.HUNDRED:
        unspent = total.budget_full_year - total.executed
        lines.append(f"预算执行率为 {rate}%，全年预算 {total.budget_full_year} 万元中有 {unspent} 万元未执行。")
    for indicator in deducted_indicators(figures):
        reason, _ = split_deviation(indicator.deviation)
        lines.append(
            f"“{indicator.name}”年度指标值为 {indicator.target}，实际完成值为 {indicator.actual}，"
            f"扣 {indicator.weight - indicator.score} 分。原因：{reason or '未填写'}。"
        )
    if not lines:
        return "本项目预算全部执行，各项绩效指标均已完成，未发现明显问题。"
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


def draft_improvements(figures: scoring.FormFigures, rate: Decimal | None) -> str:
    lines = []
    for indicator in deducted_indicators(figures):
        reason, measure = split_deviation(indicator.deviation)
        if measure:
            lines.append(f"针对“{indicator.name}”：{measure}")
        else:
            lines.append(f"针对“{indicator.name}”未完成的情况，分析原因，调整实施计划，确保下一年度完成目标。")
    if rate is not None and rate < scoring.HUNDRED:
        lines.append("加强预算执行进度管理，按计划推进支出，提高预算执行率。")
    if not lines:
        return "继续加强项目过程管理和绩效监控，保持预算执行进度与绩效目标完成质量。"
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))
