"""The traffic light of 绩效运行监控 (双监控): spending so far against the share of the year gone. Pure Python."""

from decimal import Decimal

RED, YELLOW, GREEN = "red", "yellow", "green"
LABELS = {RED: "红灯", YELLOW: "黄灯", GREEN: "绿灯"}


def progress_ratio(spending_rate: Decimal, year_share: Decimal) -> Decimal:
    """Spending rate ÷ share of the year gone, in percent (100 = spending keeps pace with the calendar)."""
    if year_share <= 0:
        return Decimal("100.00")
    return (spending_rate * 100 / year_share).quantize(Decimal("0.01"), rounding="ROUND_DOWN")


def light(spending_rate: Decimal | None, year_share: Decimal, red_below: Decimal, yellow_below: Decimal) -> str | None:
    """red below `red_below` %, yellow below `yellow_below` %, else green; None when there is no budget to compare."""
    if spending_rate is None:
        return None
    ratio = progress_ratio(spending_rate, year_share)
    if ratio < red_below:
        return RED
    if ratio < yellow_below:
        return YELLOW
    return GREEN
