"""The pure comparison of reported indicators with the approved targets (SCORING.md §6 W_TARGET_CHANGED), and of a
target with last year's actual (W_TARGET_BELOW_LAST_ACTUAL)."""

from decimal import Decimal

from targets import compare

D = Decimal
OUTPUT = ("产出指标", "数量指标")


def row(name, target="≥2(场)", weight="20.00", levels=OUTPUT):
    return compare.Row(*levels, name, target, D(weight))


APPROVED = [row("举办培训"), row("服务覆盖面", "≥90(%)", "30.00", ("效益指标", "社会效益指标")), row("发布报告", "=1(份)")]


def test_the_same_rows_in_another_order_or_spacing_are_no_difference():
    reported = [APPROVED[2], APPROVED[0], row(" 服务覆盖面 ", "≥90(%)", "30", ("效益指标", "社会效益指标"))]
    assert compare.differences(APPROVED, reported) == []


def test_a_changed_target_or_weight_shows_approved_then_reported_at_the_reported_row():
    reported = [row("举办培训", "≥1(场)", "25.00"), APPROVED[1], APPROVED[2]]
    [difference] = compare.differences(APPROVED, reported)
    assert (difference.kind, difference.approved_position, difference.reported_position) == ("changed", 1, 1)
    assert [(c.field, c.approved, c.reported) for c in difference.changes] == [
        ("target", "≥2(场)", "≥1(场)"), ("weight", "20.00", "25.00")]
    assert "年度指标值：≥2(场) → ≥1(场)" in difference.describe() and "分值：20.00 → 25.00" in difference.describe()


def test_a_renamed_indicator_pairs_with_the_approved_one_under_the_same_levels():
    reported = [APPROVED[0], APPROVED[1], row("发布年度报告", "=1(份)")]
    [difference] = compare.differences(APPROVED, reported)
    assert difference.kind == "changed" and difference.reported_position == 3
    assert [(c.field, c.approved, c.reported) for c in difference.changes] == [("name", "发布报告", "发布年度报告")]


def test_dropped_and_added_indicators_are_differences_too():
    reported = [APPROVED[0], APPROVED[2], row("满意度", "≥90(%)", "10.00", ("满意度指标", "服务对象满意度指标"))]
    found = {(d.kind, d.name, d.approved_position, d.reported_position) for d in compare.differences(APPROVED, reported)}
    assert found == {("dropped", "服务覆盖面", 2, None), ("added", "满意度", None, 3)}
    keys = {d.key for d in compare.differences(APPROVED, reported)}
    assert keys == {"approved:2", "added:满意度"}


def test_nothing_approved_and_nothing_reported_agree():
    assert compare.differences([], []) == []
    assert [d.kind for d in compare.differences([], [APPROVED[0]])] == ["added"]


def test_a_positive_target_below_last_years_actual_of_the_same_name_and_unit_is_found():
    rows = [("举办培训", "≥3(场)"), ("服务覆盖面", "≥90(%)"), ("成本", "≤5(万元)"), ("报告", "=1(份)"), ("质量", "优良")]
    last = [("举办培训", "5.00(场)"), ("服务覆盖面", "95(人)"), ("成本", "8(万元)"), ("报告", "1(份)"), ("质量", "达成指标")]
    [low] = compare.targets_below_last_actual(rows, last, 2023)
    assert (low.position, low.name, low.target, low.last_actual, low.last_year) == (1, "举办培训", "≥3(场)", "5.00(场)", 2023)
    assert "低于 2023 年度的实际完成值 5.00(场)" in low.describe()


def test_a_target_equal_to_or_above_last_years_actual_is_fine():
    assert compare.targets_below_last_actual([("举办培训", "≥5(场)"), ("覆盖", ">96(%)")],
                                             [("举办培训", "5(场)"), ("覆盖", "95.5(%)")], 2023) == []
    assert compare.targets_below_last_actual([("举办培训", "≥5(场)")], [], 2023) == []
