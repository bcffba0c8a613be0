"""The entry page and the server agree: what the page shows as staff type is what scoring.py computes
on the same figures, whatever the deployment's rules (rounding, negative formula, thresholds)."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations import entry, scoring
from evaluations.models import Evaluation, scoring_rules
from tests import factory
from tests.conftest import sign_in


Z = ("0.00", "0.00", "0.00")
# 415.18 / 439.02 and 55.26 / 56 are the rounding edge cases of SCORING.md.
BIG_PROJECT = {
    "funding": [("439.02", "439.02", "415.18"), ("439.02", "439.02", "415.18"), Z, Z],
    "weight": "10.00",
    "indicators": [
        # level1, level2, name, target, actual, weight, score ("" = leave it to the page), deviation
        ("产出指标", "数量指标", "举办培训", "≥3(场)", "2(场)", "20.00", "", "两场因场地原因延期。"),
        ("产出指标", "质量指标", "验收合格率", "≥90(%)", "85.5(%)", "15.00", "", ""),
        ("产出指标", "成本指标", "单位成本", "≤0.30(万元/项)", "0.35(万元/项)", "9.00", "", "材料涨价。"),
        ("产出指标", "时效指标", "办结天数", "＜5(天)", "7(天)", "6.00", "5.00", "审批延误。"),
        ("效益指标", "社会效益指标", "安全事故", "=0(起)", "1(起)", "10.00", "0", "发生一起轻微事故。"),
        ("效益指标", "经济效益指标", "服务人次", "≥500(人次)", "1467(人次)", "10.00", "", ""),
        ("效益指标", "可持续影响指标", "长效机制", "建立长效机制", "部分达成指标并具有一定效果", "10.00", "9", ""),
        ("满意度指标", "服务对象满意度指标", "参会满意度", "≥90(%)", "95(分)", "5.00", "", ""),
        ("满意度指标", "服务对象满意度指标", "企业满意度", "=90(null)", "90", "5.00", "5", ""),
        ("产出指标", "数量指标", "宣传效果", "≥90(%)", "好", "5.00", "5.00", ""),
    ],
}
ADJUSTED_BUDGET = {
    "funding": [("60.00", "56.00", "55.26"), ("50.00", "46.00", "45.26"), ("10.00", "10.00", "10.00"),
                ("0.00", "0.00", "0.50")],
    "weight": "12.50",
    "indicators": [
        ("产出指标", "数量指标", "更新设备", "=1(套)", "1.00(套)", "40.00", "", ""),
        ("效益指标", "生态效益指标", "节能率", "≥12.5(%)", "12.49(%)", "37.50", "", "差 0.01 个百分点。"),
        ("成本指标", "经济成本指标", "总成本", "≤55(万元)", "55.26(万元)", "10.00", "", "少量超支。"),
    ],
}
# Targets and actuals as people write them (SCORING.md §5), and sentences that stay qualitative.
WRITTEN_NOTATION = {
    "funding": [("100.00", "100.00", "90.00"), ("100.00", "100.00", "90.00"), Z, Z],
    "weight": "10.00",
    "indicators": [
        ("产出指标", "数量指标", "举办培训", "不少于4场", "3场", "10.00", "", "一场延期。"),
        ("产出指标", "质量指标", "验收合格率", "≥90%", "85%", "10.00", "", "返工。"),
        ("产出指标", "时效指标", "按期完成率", "90%以上", "９５％", "10.00", "", ""),
        ("产出指标", "成本指标", "单位成本", "≤5万元", "６万元", "10.00", "", "涨价。"),
        ("产出指标", "数量指标", "服务企业", "6", "1,000", "10.00", "", ""),
        ("效益指标", "社会效益指标", "覆盖人数", "不低于95%", "96%", "10.00", "", ""),
        ("效益指标", "经济效益指标", "总成本", "控制在5万元以内", "４．５万元", "10.00", "", ""),
        ("效益指标", "社会效益指标", "并发量", "系统并发量大于 50", "达成指标", "10.00", "9", ""),
        ("满意度指标", "服务对象满意度指标", "满意度", "大于等于90%", "2", "10.00", "", ""),
    ],
}
RULES = {
    "default": {},
    "half_up_linear": {"rounding": "half_up", "negative_formula": "linear"},
    "ceiling_loose": {"rounding": "ceiling", "tolerance": Decimal("0.05"), "overachieved_ratio": Decimal("1.5")},
}
READ_PAGE = """() => {
  const text = (selector) => document.querySelector(selector).textContent;
  const rows = [...document.querySelectorAll('[data-indicator-row]')];
  return {
    rates: [...document.querySelectorAll('[data-funding-kind] [data-out=rate]')].map((o) => o.textContent),
    funding_score: text('[data-out=funding-score]'),
    suggested: rows.map((row) => row.querySelector('[data-suggestion]').hidden
      ? null : row.querySelector('[data-out=suggested]').textContent),
    scores: rows.map((row) => row.querySelector('[name$="-score"]').value),
    weight_total: text('[data-out=weight-total]'),
    total: text('[data-out=total]'),
    grade: text('[data-out=grade]'),
    flags: [...document.querySelectorAll('li.flag')].map((li) => [
      li.dataset.code, li.dataset.indicator ? Number(li.dataset.indicator) : null, li.querySelector('.flag-text').textContent,
    ]),
  };
}"""


def server_view(figures, rules):
    """What the page should show for `figures`, by scoring.py."""
    computed = scoring.compute(figures, rules)
    suggested = [scoring.suggested_score(i, rules) for i in figures.indicators]
    return {
        "rates": [f"{scoring.execution_rate(line.executed, line.budget_full_year, rules):.2f}" for line in figures.funding],
        "funding_score": f"{scoring.computed_funding_score(figures, rules):.2f}",
        "suggested": [None if s is None else f"{s:.2f}" for s in suggested],
        "scores": [f"{i.score:.2f}" for i in figures.indicators],
        "weight_total": f"{computed.weight_total:.2f}",
        "total": f"{computed.total:.2f}",
        "grade": computed.grade,
        "flags": sorted((f.code, f.indicator, f.message) for f in scoring.flags_for(figures, rules)),
    }


def read_page(page):
    shown = page.evaluate(READ_PAGE)
    shown["scores"] = [f"{Decimal(score):.2f}" for score in shown["scores"]]  # as typed: "0" is 0.00
    return in_order(shown)


def in_order(view):
    """Flags compared as a sorted list of (code, indicator, message), the way server_view() lists them."""
    return {**view, "flags": sorted(tuple(flag) for flag in view["flags"])}


def type_form(page, case):
    for index, amounts in enumerate(case["funding"]):
        for name, amount in zip(("budget_initial", "budget_full_year", "executed"), amounts):
            page.fill(f'[name="funding-{index}-{name}"]', amount)
    page.fill('[name="funding_weight"]', case["weight"])
    for index, (level1, level2, *texts) in enumerate(case["indicators"]):
        page.get_by_role("button", name="添加指标").click()
        page.select_option(f'[name="indicators-{index}-level1"]', level1)
        page.select_option(f'[name="indicators-{index}-level2"]', level2)
        for name, value in zip(("name", "target", "actual", "weight", "score", "deviation"), texts):
            if value:
                page.fill(f'[name="indicators-{index}-{name}"]', value)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case, rules_name", [
    (BIG_PROJECT, "default"), (ADJUSTED_BUDGET, "default"), (BIG_PROJECT, "half_up_linear"),
    (ADJUSTED_BUDGET, "ceiling_loose"), (WRITTEN_NOTATION, "default"),
], ids=["big-default", "adjusted-default", "big-half-up-linear", "adjusted-ceiling", "written-notation"])
def test_what_the_page_shows_is_what_the_server_computes(page, settings, case, rules_name):
    settings.ZPB_SCORING = {**settings.ZPB_SCORING, **RULES[rules_name]}
    rules = scoring_rules()
    staff = factory.make_staff()
    evaluation = entry.start_evaluation(factory.make_unit(), 2023, staff, project_name="测试项目")
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))

    type_form(page, case)
    shown = read_page(page)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()

    saved = Evaluation.objects.prefetch_related("funding_lines", "indicators").get(pk=evaluation.pk)
    assert shown == server_view(saved.figures(), rules)
    assert saved.flag_codes.split() == sorted({code for code, _, _ in shown["flags"]})
    assert read_page(page) == shown  # the saved form, drawn again, shows the same
    if rules_name == "default" and case is BIG_PROJECT:
        assert (shown["rates"][0], shown["funding_score"]) == ("94.56", "9.45")
    if rules_name == "default" and case is ADJUSTED_BUDGET:
        assert (shown["rates"][0], shown["funding_score"]) == ("98.67", "12.33")  # weight 12.50
    if case is WRITTEN_NOTATION:  # every written target is scored, the sentence stays qualitative
        assert shown["suggested"] == ["7.50", "9.44", "10.00", "8.33", "10.00", "10.00", "10.00", None, "0.22"]
        assert ("W_UNIT_MISSING", 5, "指标值“6”缺少计量单位。") in shown["flags"]
        assert ("W_UNIT_MISSING", 9, "完成值“2”缺少单位，应写作“2(%)”。") in shown["flags"]


# --- Many figures at once, straight through the page's arithmetic ---------------------------------

OPERATORS = ["=", "≥", ">", "≤", "<", ">=", "<=", "＝", "＞", "＜", "≧", "≦"]
UNITS = ["%", "百分比", "场", "万元/项", "null", "", " 次 "]
WORDS = list(scoring.NOTATION["words"]) + ["", "="]
SUFFIXES = list(scoring.NOTATION["suffixes"]) + [""]
BARE_UNITS = ["%", "％", "场", "万元", "次", "", "人次/年", "个百分点左右"]
ACTUALS = ["达成指标", "部分达成指标并具有一定效果", "未达成指标且效果较差", "完成", "好", "达成年度指标"]
LEVELS = [(l1, l2) for l1, l2s in scoring.LEVELS.items() for l2 in l2s] + [("产出指标", "社会效益指标"), ("其他", "其他")]


def number(rng, places=2, top=600):
    value = Decimal(rng.randint(0, top * 10**places)).scaleb(-places)
    return str(value) if rng.random() < 0.9 else str(Decimal(rng.randint(0, 5)))


def random_indicator(rng):
    level1, level2 = rng.choice(LEVELS)
    weight = Decimal(rng.randint(0, 3000)).scaleb(-2)
    target_value = rng.choice([number(rng, rng.choice([0, 1, 2, 3]), 100), "0", "+7", "１２", "-5", "-0.5"])
    target = f"{rng.choice(OPERATORS)}{rng.choice(['', ' '])}{target_value}({rng.choice(UNITS)})"
    if rng.random() < 0.3:  # §5: as people write it
        number_text = rng.choice([target_value, "1,000", "１,２３４．５", "４５．６"])
        target = rng.choice([
            f"{rng.choice(WORDS)}{number_text}{rng.choice(BARE_UNITS)}",
            f"{rng.choice(['', '达到', '控制在'])}{number_text}{rng.choice(BARE_UNITS)}{rng.choice(SUFFIXES)}",
            f"{rng.choice(OPERATORS)}{rng.choice(['', ' '])}{number_text}{rng.choice(['', ' '])}{rng.choice(BARE_UNITS)}",
        ])
    if rng.random() < 0.15:
        target = rng.choice(["满意", "按期完成", "≥好(%)", "12月底前", "系统并发量大于 50", "举办 4 场培训，培训人员 200 人"])
    actual = (
        f"{number(rng, rng.choice([0, 2, 3]), 150)}({rng.choice(UNITS)})" if rng.random() < 0.75 else rng.choice(ACTUALS)
    )
    if rng.random() < 0.3:  # §5: 95%, 2场, １,０００元
        actual = f"{rng.choice([number(rng, 0, 150), '1,000', '９５', '４．５'])}{rng.choice(BARE_UNITS)}"
    score = Decimal(rng.randint(-100, int(weight * 100) + 200)).scaleb(-2)
    if rng.random() < 0.4:  # often the score the rule gives, sometimes one cent off it
        rule = scoring.suggested_score(scoring.IndicatorFigures(level1, level2, "", target, actual, weight, score))
        if rule is not None:
            score = rule + rng.choice([Decimal("0"), Decimal("0.01"), Decimal("-0.01"), Decimal("0.02")])
    deviation = rng.choice(["", "", " ", "原因说明"])
    return scoring.IndicatorFigures(level1, level2, "指标", target, actual, weight, score, deviation)


def random_form(rng, rules):
    lines = []
    for kind in scoring.FUNDING_KINDS:
        budget = Decimal(number(rng))
        executed = Decimal(number(rng)) if rng.random() < 0.3 else min(budget, Decimal(number(rng)))
        lines.append(scoring.FundingFigures(kind, Decimal(number(rng)) if rng.random() < 0.2 else budget, budget, executed))
    lines[0].weight = Decimal(rng.choice(["10.00", "10.00", "15.00", "8.50"]))
    indicators = [random_indicator(rng) for _ in range(rng.randint(0, 12))]
    return entry.declare_computed(scoring.FormFigures(lines, indicators), rules)


# Exact arithmetic would give 5.57, 9.99 and 9.99; Python's 28-digit Decimal gives 5.5699…9 and
# 9.9899…9, which truncate to 5.56 and 9.98. The page must round each step the same way.
DECIMAL_CONTEXT_TRAPS = scoring.FormFigures(
    factory.funding_figures("3.00", "1.00"),
    [
        factory.indicator(target="=12(次)", actual="4(次)", weight="16.71", score="5.56", deviation="未完成"),
        factory.indicator(target="≥3(场)", actual="1(场)", weight="29.97", score="9.99", deviation="未完成"),
        factory.indicator(target="≤1(万元)", actual="3(万元)", weight="29.97", score="9.98", deviation="超支"),
    ],
)

COMPUTE_IN_PAGE = """([forms, rulesJson]) => {
  const S = window.zpbScoring;
  const rules = S.rulesFrom(rulesJson);
  const d = (text) => S.decimal(text);
  return forms.map((form) => {
    const figures = {
      funding: form.funding.map((l) => ({
        kind: l.kind, budgetInitial: d(l.budget_initial), budgetFullYear: d(l.budget_full_year),
        executed: d(l.executed), weight: l.weight === null ? null : d(l.weight),
      })),
      indicators: form.indicators.map((i) => ({ ...i, weight: d(i.weight), score: d(i.score) })),
    };
    const computed = S.compute(figures, rules);
    return {
      rates: figures.funding.map((l) => S.format(S.executionRate(l.executed, l.budgetFullYear, rules))),
      funding_score: S.format(computed.fundingScore),
      suggested: figures.indicators.map((i) => { const s = S.suggestedScore(i, rules); return s === null ? null : S.format(s); }),
      scores: figures.indicators.map((i) => S.format(i.score)),
      weight_total: S.format(computed.weightTotal),
      total: S.format(computed.total),
      grade: computed.grade,
      flags: S.flagsFor(figures, rules).map((f) => [f.code, f.indicator, f.message]),
    };
  });
}"""


def as_json(figures):
    return {
        "funding": [
            {"kind": l.kind, "budget_initial": str(l.budget_initial), "budget_full_year": str(l.budget_full_year),
             "executed": str(l.executed), "weight": None if l.weight is None else str(l.weight)}
            for l in figures.funding
        ],
        "indicators": [
            {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target, "actual": i.actual,
             "weight": str(i.weight), "score": str(i.score), "deviation": i.deviation}
            for i in figures.indicators
        ],
    }



@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rules_name", RULES)
def test_the_page_arithmetic_matches_scoring_py_on_many_random_forms(page, settings, rules_name):
    settings.ZPB_SCORING = {**settings.ZPB_SCORING, **RULES[rules_name]}
    rules = scoring_rules()
    rng = random.Random(f"zpb-{rules_name}")
    forms = [entry.declare_computed(DECIMAL_CONTEXT_TRAPS, rules)] + [random_form(rng, rules) for _ in range(400)]
    expected = [server_view(form, rules) for form in forms]
    if rules_name == "default":
        assert expected[0]["suggested"] == ["5.56", "9.98", "9.98"]
    staff = factory.make_staff()
    evaluation = entry.start_evaluation(factory.make_unit(), 2023, staff, project_name="测试项目")
    sign_in(page, "staff", factory.PASSWORD)
    page.goto(reverse("evaluation_entry", args=[evaluation.pk]))
    rules_json = page.evaluate("() => JSON.parse(document.getElementById('entry-rules').textContent)")

    shown = page.evaluate(COMPUTE_IN_PAGE, [[as_json(form) for form in forms], rules_json])
    for form, page_view, server in zip(forms, shown, expected):
        assert in_order(page_view) == server, as_json(form)
    codes = {flag[0] for view in shown for flag in view["flags"]}
    assert codes >= {"E_FUNDING_SUM", "E_WEIGHTS", "E_LEVELS", "E_SCORE_RANGE", "E_INDICATOR_SCORE",
                     "E_QUALITATIVE_BAND", "E_UNSCORABLE", "W_DEDUCTION_UNEXPLAINED", "W_OVERACHIEVED",
                     "W_UNIT_MISSING", "W_UNIT_MISMATCH", "W_OVER_BUDGET", "W_CATEGORY_MISSING",
                     "I_WEIGHT_SPLIT", "I_BUDGET_ADJUSTED"}
