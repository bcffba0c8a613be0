"""charts.bar_chart: escaped labels, bars in proportion, a hairline for zero, a note when there is nothing."""

import re
from decimal import Decimal

from evaluations import charts


def widths(svg):
    return [Decimal(width) for width in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]


def test_bars_are_in_proportion_to_the_largest_value():
    svg = charts.bar_chart([("甲", 4), ("乙", 2), ("丙", 0)], "份数")
    assert widths(svg) == [Decimal(charts.BAR_AREA), Decimal(charts.BAR_AREA) / 2, Decimal(1)]
    assert svg.startswith('<svg class="chart "') and 'role="img" aria-label="份数"' in svg


def test_a_fixed_scale_keeps_rates_over_it_at_full_length():
    svg = charts.bar_chart([("甲", Decimal("50.00")), ("乙", Decimal("120.00"))], "执行率", suffix="%", scale_to=100)
    assert widths(svg) == [Decimal(charts.BAR_AREA) / 2, Decimal(charts.BAR_AREA)]
    assert ">120.00%<" in svg


def test_labels_are_escaped():
    svg = charts.bar_chart([("<script>alert(1)</script>", 1)], "<b>标题</b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;标题" in svg


def test_an_empty_chart_says_so():
    assert "无数据" in charts.bar_chart([], "空")


def test_long_labels_are_cut_and_whole_in_the_tooltip():
    svg = charts.bar_chart([("上海市科学技术委员会科技人才发展中心", 3)], "执行率")
    assert ">上海市科学技术委员会…<" in svg and "<title>上海市科学技术委员会科技人才发展中心：3</title>" in svg
