"""A small server-drawn SVG trend line (a value per year); no JavaScript. Pure function of the figures."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join


def _px(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.1")))


def trend(points, title: str, width: int = 140, height: int = 40) -> str:
    """A polyline through [(year, value), ...] in year order, a dot and a tooltip at each year; "" without points."""
    points = sorted((year, Decimal(value)) for year, value in points)
    if not points:
        return ""
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = high - low or Decimal(1)
    pad = Decimal(6)
    step = (Decimal(width) - 2 * pad) / (len(points) - 1) if len(points) > 1 else Decimal(0)
    xy = []
    for index, (year, value) in enumerate(points):
        x = pad + step * index if len(points) > 1 else Decimal(width) / 2
        y = Decimal(height) - pad - (value - low) / span * (Decimal(height) - 2 * pad)
        xy.append((_px(x), _px(y), f"{year}年：{value}"))
    line = " ".join(f"{x},{y}" for x, y, _ in xy)
    dots = format_html_join("", '<circle cx="{}" cy="{}" r="2.5" class="trend-dot"><title>{}</title></circle>', xy)
    return format_html(
        '<svg class="trend" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title><polyline points="{}" class="trend-line"/>{}</svg>',
        f"{title}逐年变化", width, height, width, height, f"{title}逐年变化", line, dots,
    )
