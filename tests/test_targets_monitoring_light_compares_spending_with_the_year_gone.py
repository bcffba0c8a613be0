"""绩效运行监控: the traffic light is spending ÷ the share of the year gone, red below 60 %, yellow below 80 %."""

import datetime
from decimal import Decimal

import pytest

from targets import lights
from targets.models import MonitoringReport, TargetTable

D = Decimal
RED_BELOW, YELLOW_BELOW = D("60"), D("80")


@pytest.mark.parametrize("rate, share, expected", [
    ("29.99", "50.00", lights.RED), ("30.00", "50.00", lights.YELLOW), ("39.99", "50.00", lights.YELLOW),
    ("40.00", "50.00", lights.GREEN), ("100.00", "50.00", lights.GREEN), ("0.00", "0.00", lights.GREEN),
])
def test_thresholds_are_inclusive_below(rate, share, expected):
    assert lights.light(D(rate), D(share), RED_BELOW, YELLOW_BELOW) == expected


def test_no_budget_gives_no_light():
    assert lights.light(None, D("50"), RED_BELOW, YELLOW_BELOW) is None


def test_thresholds_are_settings(settings):
    assert settings.ZPB_MONITORING == {"red_below": D("60"), "yellow_below": D("80")}
    assert lights.light(D("45"), D("50"), D("95"), D("99")) == lights.RED


def test_a_report_knows_its_rate_and_the_share_of_its_year():
    table = TargetTable(year=2024, budget=D("200.00"))
    report = MonitoringReport(table=table, as_of=datetime.date(2024, 6, 30), spent=D("50.00"))
    assert report.spending_rate() == D("25.00")
    assert report.year_share() == D("49.72")  # 182 of 366 days (a leap year)
    assert MonitoringReport(table=TargetTable(year=2024, budget=None), as_of=datetime.date(2024, 6, 30),
                            spent=D("1")).spending_rate() is None
