"""The words of the forms, as data: labels and their synonyms, and one profile per template family.

Offices print the same form with different words (`全年预算数` / `调整后预算数` / `预算数(A)`), add
suffixes (`产出指标(50分)`, `执行率(B/A)`), split a target into 指标性质 / 指标值 / 度量单位 columns,
and score by rules of their own. A new template is a new entry here, not new reading code.
Plain Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from evaluations.scoring import ACHIEVED, LEVELS, NOT_ACHIEVED, PARTIAL

# A trailing group in brackets says a score, a unit or a formula: `(50分)`, `(万元)`, `(B/A)`, `(盖章)`.
_SUFFIX = re.compile(r"[(（][^()（）]*[)）]$")
_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


@lru_cache(maxsize=4096)
def label_key(text: str) -> str:
    """A printed label as the vocabulary knows it: no spaces, colons, leading 其中 or trailing suffixes."""
    key = "".join(text.split()).strip(":：")
    if key.startswith("其中"):
        key = key[2:].lstrip(":：")
    while True:
        bare = _SUFFIX.sub("", key).rstrip(":：")
        if bare == key or not bare:
            return key
        key = bare


def points(text: str) -> Decimal | None:
    """The points a label's suffix gives its block: `预算执行情况(万元)(20分)` → 20."""
    match = _POINTS.search("".join(text.split()))
    return Decimal(match.group(1)) if match else None


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: meaning for meaning, words in table.items() for word in words}


# The head of the form.
HEAD_LABELS = _lookup({
    "project_name": ("项目名称",),
    "department": ("主管部门", "主管部门及代码", "主管单位", "预算部门"),
    "unit": ("实施单位", "项目实施单位", "实施单位及代码"),
})

# The funding block's columns. `预算数(A)` of a form without 年初/全年 is the adjusted (full-year) budget.
FUNDING_COLUMNS = _lookup({
    "budget_initial": ("年初预算数", "年初预算"),
    "budget_full_year": ("全年预算数", "调整后预算数", "调整后预算", "预算数"),
    "executed": ("全年执行数", "预算执行数", "执行数", "实际执行数"),
    "weight": ("分数", "分值", "权重"),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分",),
    "ignored": ("原因", "得分计算方法", "偏差原因", "备注"),
})
FUNDING_FIELDS = ("budget_initial", "budget_full_year", "executed", "weight", "rate", "score")
FUNDING_FIELD_LABELS = {
    "budget_initial": "年初预算数", "budget_full_year": "全年预算数", "executed": "全年执行数",
    "weight": "分值", "rate": "执行率", "score": "得分",
}
# Where the funding block starts: the label of its header row.
FUNDING_BLOCKS = ("项目资金", "预算执行情况", "项目资金情况", "资金情况")

# Funding rows: which of the four kinds a printed label means; None for a row with no counterpart.
FUNDING_ROWS = {
    "年度资金总额": "total", "资金总额": "total", "总额": "total", "合计": "total",
    "当年财政拨款": "current_year", "本年财政拨款": "current_year", "财政资金": "current_year",
    "本年一般公共预算拨款": "current_year", "财政拨款": "current_year", "一般公共预算拨款": "current_year",
    "上年结转资金": "carryover", "上年结转": "carryover",
    "其他资金": "other",
    "财政专户管理资金": None, "单位资金": None, "政府性基金预算拨款": None,
}

GOAL_HEADERS = _lookup({"expected": ("预期目标",), "actual": ("实际完成情况", "实际完成")})
# Templates that print the goals as two labelled rows rather than two columns under one label.
GOAL_ROWS = _lookup({
    "expected": ("年度目标", "年度绩效目标", "预期目标", "总体目标"),
    "actual": ("完成情况", "实际完成情况", "年度目标完成情况", "目标完成情况"),
})
GOAL_LABEL = "年度总体目标"

# The indicator table's columns.
INDICATOR_COLUMNS = _lookup({
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "三级指标名称", "指标名称"),
    "operator": ("指标性质", "指标方向"),
    "target": ("年度指标值", "指标值", "目标值", "年度目标值"),
    "unit": ("度量单位", "计量单位"),
    "actual": ("实际完成值", "完成值", "全年实际值", "实际值"),
    "weight": ("分值", "权重"),
    "score": ("得分",),
    "deviation": ("偏差原因分析及改进措施", "未完成原因分析", "偏差大或目标未完成原因分析", "偏差原因分析", "原因分析"),
    "ignored": ("得分计算方法", "评分标准", "备注"),
})
ROLE_LABELS = {
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "operator": "指标性质", "target": "年度指标值",
    "unit": "度量单位", "actual": "实际完成值", "weight": "分值", "score": "得分", "deviation": "偏差原因分析及改进措施",
}
# A row of the indicator table is steered by these: its header, its end, the grade.
INDICATOR_BLOCKS = ("绩效指标",)
TOTAL_LABELS = frozenset({"总分", "合计", "总计"})
GRADE_LABELS = frozenset({"评分等级", "自评等级", "综合评价等级"})

# A cell the template fills with its own instructions: nothing was printed there.
PLACEHOLDER = re.compile(r"^[(（](?:填写|说明|提出|对照|请|简要)[^()（）]*[)）]$")
# Marks of an empty cell.
NONE_MARKS = frozenset({"", "-", "—", "－", "/", "／", "——", "无"})
# Page furniture: page numbers as printers and word processors put them.
PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|Page\s*\d+(?:\s*of\s*\d+)?)$", re.I)
# A code printed before a name: `219-池州市…`, `51000021R000000019951-工资性支出`.
CODE_PREFIX = re.compile(r"^[0-9A-Za-z]{3,}[-－—]\s*(?=\S)")


# Every 一级 and 二级 label SCORING.md knows.
KNOWN_LEVELS = frozenset(LEVELS) | frozenset(level for levels in LEVELS.values() for level in levels)

# An 二级 label one template prints for another's, by its 一级 label.
LEVEL2_SYNONYMS = {"满意度指标": {"满意度指标": "服务对象满意度指标", "满意度": "服务对象满意度指标"}}


def indicator_role(label: str) -> str | None:
    """Which indicator column a header label names."""
    key = label_key(label)
    role = INDICATOR_COLUMNS.get(key)
    if role:
        return role
    if key.startswith("实际"):
        return "actual"
    if "指标值" in key:
        return "target"
    if key.startswith("偏差") or key.endswith("原因分析"):
        return "deviation"
    return None


# --- Profiles ---------------------------------------------------------------

# Qualitative bands as shares of the weight: (level, low, high, high inclusive).
BANDS_80_50 = (
    (ACHIEVED, Decimal("0.8"), Decimal("1"), True),
    (PARTIAL, Decimal("0.5"), Decimal("0.8"), False),
    (NOT_ACHIEVED, Decimal("0"), Decimal("0.5"), False),
)


@dataclass(frozen=True)
class Profile:
    """A template family: how it is recognised (facts the reader found) and the rules it scores by."""

    key: str
    name: str
    markers: dict = field(default_factory=dict)  # fact → value the form must show; {} matches every form
    rules: dict = field(default_factory=dict)  # scoring.Rules fields that differ from the deployment's

    def matches(self, facts: dict) -> bool:
        return all(facts.get(fact) == value for fact, value in self.markers.items())


# The first that matches is the form's profile.
PROFILES = (
    Profile("hubei-20", "湖北式（预算执行 20 分）", {"funding_points": Decimal("20")},
            {"funding_weight": Decimal("20"), "qualitative_bands": BANDS_80_50}),
    Profile("sichuan-2023", "四川 2023 部门预算项目支出绩效自评表", {"title": "部门预算项目支出绩效自评表"}),
    Profile("shanghai-district", "上海区级（金额以元计）", {"amount_unit": "元"}),
    Profile("central-2020", "财预〔2020〕10号（无评分等级行）", {"has_grade_row": False}),
    Profile("shanghai-municipal", "上海市级"),
)


def profile_for(facts: dict) -> Profile:
    """The first profile that matches; kept per set of facts, which forms of one file mostly share."""
    return _first_match(tuple(facts.items()))


@lru_cache(maxsize=256)
def _first_match(facts: tuple) -> Profile:
    return next(profile for profile in PROFILES if profile.matches(dict(facts)))
