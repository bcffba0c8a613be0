"""Server-drawn SVG charts: a pure function from figures to markup, no JavaScript."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join

ROW_HEIGHT = 26
BAR_HEIGHT = 16
LABEL_WIDTH = 150
LABEL_CHARACTERS = 11  # CJK characters that fit LABEL_WIDTH at 12px; longer labels are cut, whole in the tooltip
BAR_AREA = 190
VALUE_WIDTH = 70
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH


def _px(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1")))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[:LABEL_CHARACTERS - 1] + "…"


def bar_chart(bars, title: str, suffix: str = "", scale_to=None, css_class: str = "") -> str:
    """Horizontal bars for [(label, value), ...]; bars scale to `scale_to` or the largest value.

    `suffix` follows each printed value (e.g. "%"); a bar of value 0 is drawn as a hairline so
    the row still reads as "none" rather than "missing".
    """
    bars = [(label, Decimal(value)) for label, value in bars]
    top = Decimal(scale_to) if scale_to is not None else max((value for _, value in bars), default=Decimal(0))
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    rows = []
    for index, (label, value) in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        length = min(value, top) / top * BAR_AREA if top > 0 else Decimal(0)
        rows.append((
            LABEL_WIDTH - 8, y + BAR_HEIGHT - 3, _short(label),
            LABEL_WIDTH, y, _px(max(length, Decimal(1))), BAR_HEIGHT, f"{label}：{value}{suffix}",
            _px(LABEL_WIDTH + length + 6), y + BAR_HEIGHT - 3, f"{value}{suffix}",
        ))
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"><title>{}</title></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        rows,
    )
    if not bars:
        body = format_html('<text x="{}" y="20" class="chart-label">无数据</text>', LABEL_WIDTH)
    return format_html(
        '<svg class="chart {}" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        css_class, title, WIDTH, height, WIDTH, height, title, body,
    )
