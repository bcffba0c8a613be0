"""What each flag code of SCORING.md §4 means, in words a reviewer reads at a glance; plain Python."""

from dataclasses import dataclass, field

from evaluations import form_checks, scoring


SEVERITY_LABELS = {scoring.ERROR: "错误", scoring.WARNING: "警告", scoring.INFO: "提示"}


@dataclass(frozen=True)
class FlagHelp:
    code: str
    severity: str
    title: str  # a few characters, for badges
    explanation: str  # what fired and what the reviewer should do

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


_CATALOGUE = [
    FlagHelp("E_EXEC_RATE", scoring.ERROR, "执行率算错",
             "填报的执行率与“全年执行数 ÷ 全年预算数 × 100”不符（允许相差 0.01）。应退回改正。"),
    FlagHelp("E_FUNDING_SCORE", scoring.ERROR, "预算得分算错",
             "填报的预算执行得分与“执行率 × 分值”不符（执行率超过 100% 按 100% 计）。应退回改正。"),
    FlagHelp("E_FUNDING_SUM", scoring.ERROR, "资金合计不符",
             "当年财政拨款、上年结转资金、其他资金三项之和与年度资金总额不一致，或全年预算数为 0 却有执行数。应退回改正。"),
    FlagHelp("E_WEIGHTS", scoring.ERROR, "分值合计不符",
             "预算执行分值与各项指标分值之和应为 100。应退回改正。"),
    FlagHelp("E_LEVELS", scoring.ERROR, "指标层级不对",
             "一级指标须为产出、效益、满意度（或成本）指标，二级指标须属于其一级指标。应退回改正。"),
    FlagHelp("E_SCORE_RANGE", scoring.ERROR, "得分越界",
             "指标得分小于 0 或大于该指标分值。应退回改正。"),
    FlagHelp("E_INDICATOR_SCORE", scoring.ERROR, "指标得分算错",
             "定量指标的得分与按指标值、完成值计算的得分不符（允许相差 0.01）。应退回改正。"),
    FlagHelp("E_QUALITATIVE_BAND", scoring.ERROR, "定性得分越档",
             "定性指标得分不在完成等级对应的区间：达成 80%–100%，部分达成 60%–80%，未达成 60% 以下。应退回改正。"),
    FlagHelp("E_UNSCORABLE", scoring.ERROR, "无法核对得分",
             "指标值是定量的，但完成值既不是数值也不是完成等级，得分无从核对。应退回补充完成值。"),
    FlagHelp("E_TOTAL", scoring.ERROR, "总分算错",
             "填报总分不等于预算执行得分与各指标得分之和。应退回改正。"),
    FlagHelp("E_GRADE", scoring.ERROR, "等级不符",
             "评分等级与得分合计不符：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60。应退回改正。"),
    FlagHelp("W_DEDUCTION_UNEXPLAINED", scoring.WARNING, "扣分未说明",
             "指标有扣分，却没有填写偏差原因分析及改进措施。请判断是否需要补充说明。"),
    FlagHelp("W_OVERACHIEVED", scoring.WARNING, "超额完成",
             "完成值达到指标值的 1.2 倍以上且未说明原因，指标值可能定得偏低。请核实指标设定是否合理。"),
    FlagHelp("W_UNIT_MISSING", scoring.WARNING, "缺少单位",
             "定量指标的指标值或完成值没有可用的计量单位（如“(null)”）。请核实数值含义。"),
    FlagHelp("W_UNIT_MISMATCH", scoring.WARNING, "单位不一致",
             "指标值与完成值的计量单位不同，两者可能无法直接比较。请核实。"),
    FlagHelp("W_OVER_BUDGET", scoring.WARNING, "超预算执行",
             "有资金行的全年执行数超过全年预算数。请核实原因。"),
    FlagHelp("W_CATEGORY_MISSING", scoring.WARNING, "缺少指标类别",
             "产出、效益、满意度三类一级指标中有一类没有任何指标。请判断是否合理。"),
    FlagHelp("W_SCORE_AHEAD_OF_SPENDING", scoring.WARNING, "得分高于花钱",
             "各项指标几乎都按完成打分，预算却没有花完（指标得分率比预算执行率高出 5% 以上）。请核实是否确实完成、钱去了哪里。"),
    FlagHelp("W_UNDERSPENT", scoring.WARNING, "预算执行偏低",
             "年度资金总额的执行率不到 80%，有较多资金没有用出去。请核实原因是否已说明。"),
    FlagHelp("W_TEXT_REUSED", scoring.WARNING, "文字雷同",
             "偏差原因分析或实际完成情况与另一个项目（或本项目往年）的自评表几乎一字不差，可能是套用的文字。请对照被点名的那份表，核实是否如实写了本项目的情况。"),
    FlagHelp("I_SATISFACTION_UNSUPPORTED", scoring.INFO, "满意度缺佐证",
             "满意度达到 95% 以上，但没有附调查问卷、调查结果等佐证材料，也没有写明样本量和调查方式。可请填报人补充。"),
    FlagHelp("I_WEIGHT_SPLIT", scoring.INFO, "分值非建议比例",
             "一级指标分值与建议的 预算执行 10 / 产出 50 / 效益 30 / 满意度 10 不同。仅供参考，不影响审核。"),
    FlagHelp("I_BUDGET_ADJUSTED", scoring.INFO, "预算年中调整",
             "年初预算数与全年预算数不同，预算在年中作过调整。仅供参考。"),
]

FLAG_HELP = {entry.code: entry for entry in _CATALOGUE}


def help_for(code: str) -> FlagHelp:
    """The catalogue entry, or a plain one for a code this catalogue does not know yet."""
    return FLAG_HELP.get(code) or form_checks.help_for(code) or FlagHelp(code, scoring.INFO, code, "")


def helps_for_codes(codes: str) -> list[FlagHelp]:
    """The entries of a space-separated code list (Evaluation.flag_codes), errors first."""
    order = {scoring.ERROR: 0, scoring.WARNING: 1, scoring.INFO: 2}
    return sorted((help_for(code) for code in codes.split()), key=lambda entry: (order[entry.severity], entry.code))


@dataclass
class FlagGroup:
    """All flags of one code on one form: what it means and where it fired."""

    help: FlagHelp
    flags: list = field(default_factory=list)

    @property
    def indicators(self) -> list[int]:
        return [flag.indicator for flag in self.flags if flag.indicator is not None]


def group_flags(flags) -> list[FlagGroup]:
    """Flags grouped by code, in the order the scoring rules list them (errors first)."""
    groups: dict[str, FlagGroup] = {}
    for flag in flags:
        groups.setdefault(flag.code, FlagGroup(help_for(flag.code))).flags.append(flag)
    return list(groups.values())
