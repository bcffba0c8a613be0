"""Write a text dump of N forms shaped like the published sample.

Varied departments, units, projects, figures and deductions; two column layouts (the second with
the extra empty column of the sample's 火灾报警 form); page breaks that split a row's cells across
a blank line, as the PDF extraction does. Deterministic for a given seed.

    python bench/generate.py 10000 -o /tmp/dump.txt
"""

import argparse
import random
import sys
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evaluations.scoring import LEVELS, grade_for  # noqa: E402

CENT = Decimal("0.01")
DEPARTMENTS = ["上海市科学技术委员会", "上海市财政局", "上海市教育委员会", "上海市卫生健康委员会", "上海市生态环境局"]
UNIT_SUFFIXES = ["交流中心", "研究所", "信息中心", "服务中心", "事务中心", "评估中心"]
TOPICS = ["科技成果转化", "绿色技术推广", "信息化平台运维", "国际合作交流", "人才培训", "社会组织党建", "科普活动", "数据共享"]
UNITS_OF_MEASURE = ["场", "次", "项", "个", "份", "家", "人次", "%", "百分比"]
QUALITATIVE_TARGETS = [
    "各项工作按计划及时完成，保障平台安全稳定运行",
    "服务对象满意",
    "比上年度有所提升",
    "符合相关管理制度，具备完整的审批程序和手续",
]
OUTPUT_LEVEL2 = LEVELS["产出指标"]
BENEFIT_LEVEL2 = ("社会效益指标", "可持续影响指标", "经济效益指标")


def money(value) -> str:
    return str(Decimal(value).quantize(CENT))


def split_weights(total: int, parts: int, rng) -> list[int]:
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def make_indicators(rng):
    """(level1, level2, name, target, actual, weight, score, deviation) rows adding up to 90 points."""
    rows = []
    plan = [("产出指标", rng.randint(3, 12), 50), ("效益指标", rng.randint(1, 5), 30), ("满意度指标", 1, 10)]
    for level1, count, points in plan:
        count = min(count, points)
        for weight in split_weights(points, count, rng):
            level2 = {"产出指标": rng.choice(OUTPUT_LEVEL2), "效益指标": rng.choice(BENEFIT_LEVEL2)}.get(level1, "服务对象满意度指标")
            name = f"{rng.choice(TOPICS)}{rng.choice(['完成数量', '完成质量', '及时率', '覆盖率', '满意度'])}"
            rows.append(make_indicator(rng, level1, level2, name, Decimal(weight)))
    rows.sort(key=lambda row: (["产出指标", "效益指标", "满意度指标"].index(row[0]), LEVELS[row[0]].index(row[1])))
    return rows


def make_indicator(rng, level1, level2, name, weight):
    if rng.random() < 0.5:
        unit = rng.choice(UNITS_OF_MEASURE)
        target_value = Decimal(rng.choice([1, 2, 3, 5, 10, 20, 90, 100, 200]))
        operator = rng.choice(["=", "≥", "≥", ">"])
        target = f"{operator}{target_value}({unit})"
        if rng.random() < 0.15:  # a shortfall, scored in proportion and explained
            actual_value = (target_value * Decimal(rng.randint(50, 95)) / 100).quantize(CENT)
            score = (actual_value / target_value * weight).quantize(CENT, ROUND_DOWN)
            deviation = "受外部因素影响，部分工作延期，已调整下年度计划。"
        else:
            actual_value = (target_value * Decimal(rng.choice([100, 100, 100, 110, 150]))) / 100
            score = weight
            deviation = ""
        return (level1, level2, name, target, f"{money(actual_value)}({unit})", weight, score, deviation)
    target = rng.choice(QUALITATIVE_TARGETS)
    if rng.random() < 0.1:
        score = (weight * Decimal("0.7")).quantize(CENT, ROUND_DOWN)
        return (level1, level2, name, target, "部分达成指标并具有一定效果", weight, score, "部分活动受场地限制未能如期开展。")
    return (level1, level2, name, target, "达成指标", weight, weight, "")


def province_departments(count: int) -> list[str]:
    """`count` department names for a province's worth of forms (issue 17: 50 departments)."""
    return [f"上海市第{n + 1:02d}主管局" for n in range(count)]


def form_lines(rng, number, departments=DEPARTMENTS, years=(2022, 2023, 2024), units_per_department=None):
    """One form's lines. Units are `units_per_department` per department when given (a province's 2,000
    units over 50 departments), else a few dozen names per department."""
    department = rng.choice(departments)
    prefix = department.removeprefix("上海市")[:4] if units_per_department is None else department.removeprefix("上海市")
    if units_per_department is None:
        unit = f"{prefix}{rng.choice(UNIT_SUFFIXES)}{number % 37}"
    else:
        index = rng.randrange(units_per_department)
        unit = f"{prefix}{UNIT_SUFFIXES[index % len(UNIT_SUFFIXES)]}{index + 1:02d}"
    project = f"{rng.choice(TOPICS)}项目{number:05d}"
    budget = Decimal(rng.randint(100, 500_000)) / 100
    executed = (budget * Decimal(rng.randint(70, 100)) / 100).quantize(CENT, ROUND_DOWN)
    rate = (executed / budget * 100).quantize(CENT, ROUND_DOWN)
    funding_score = (min(rate, Decimal(100)) / 100 * 10).quantize(CENT, ROUND_DOWN)
    indicators = make_indicators(rng)
    total = funding_score + sum(row[6] for row in indicators)
    shifted = rng.random() < 0.3  # the extra empty column of the sample's second form
    pad = "\t" if shifted else ""
    lines = [
        "财政项目支出绩效自评表",
        f" ({rng.choice(years)} 年度)" if rng.random() < 0.5 else f" （{rng.choice(years)} 年度）",
        "",
        f"项目名称\t\t{project}\t\t\t\t\t\t",
        f"主管部门\t\t{department}\t\t\t实施单位\t\t{unit}\t",
        f"项目资金 (万元)\t{pad}\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率(%)\t得分\t",
        f"\t{pad}年度资金总额:\t{money(budget)}\t{money(budget)}\t{money(executed)}\t10.00\t{rate}\t{funding_score}\t",
        f"\t{pad}其中: 当年财政拨款\t{money(budget)}\t{money(budget)}\t{money(executed)}\t-\t{rate}\t-\t",
        f"\t{pad}上年结转资金\t0.00\t0.00\t0.00\t-\t0.00\t-\t",
        f"\t{pad}其他资金\t0.00\t0.00\t0.00\t-\t0.00\t-\t",
        "年度 总体 目标\t预期目标\t\t\t实际完成情况\t\t\t\t",
        f"\t按计划推进{project}，完成年度各项任务。\t\t\t<p>已完成{project}年度任务，执行率 {rate}%。</p>\t\t\t\t",
        "一级 指标\t二级 指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
    ]
    previous = (None, None)
    for level1, level2, name, target, actual, weight, score, deviation in indicators:
        shown1 = "" if previous[0] == level1 else level1
        shown2 = "" if previous == (level1, level2) else level2
        previous = (level1, level2)
        if len(target) > 12 and rng.random() < 0.25:  # a page break through the target cell
            head, tail = target[:7], target[7:]
            lines += [f"{shown1}\t{shown2}\t{name}\t{head}\t{actual}\t{weight:.2f}\t{score:.2f}\t{deviation}", "",
                      f"\t\t\t{tail}\t\t\t\t"]
        else:
            lines.append(f"{shown1}\t{shown2}\t{name}\t{target}\t{actual}\t{weight:.2f}\t{score:.2f}\t{deviation}")
    lines += [f"总分\t\t\t\t\t100.00\t{total:.2f}\t", f"评分等级\t\t{grade_for(total)}\t\t\t\t\t", ""]
    return lines


def write_dump(count: int, out, seed: int = 2026, departments=DEPARTMENTS, years=(2022, 2023, 2024)):
    rng = random.Random(seed)
    for number in range(1, count + 1):
        out.write("\n".join(form_lines(rng, number, departments, years)))
        out.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with args.output.open("w", encoding="utf-8") as out:
        write_dump(args.count, out, args.seed)


if __name__ == "__main__":
    main()
