"""The dashboard's SVG charts as PNG for a document (Word and LibreOffice place PNG, not every SVG).

The page colours its charts from the site's stylesheet; a document has none, so the same colours go
into the SVG as a <style> before rsvg-convert (librsvg, from apt) draws it at twice the size. librsvg
renders locally with fontconfig's CJK font and starts in milliseconds; it needs no browser, no network
and no Python binding (cairosvg is LGPL and pulls in cairo through cffi).
"""

import shutil
import subprocess

from django.conf import settings

STYLE = (
    "<style>"
    "svg{font-family:'Noto Sans CJK SC','Source Han Sans SC','SimSun',sans-serif;font-size:12px}"
    ".chart-label{fill:#1f2933}.chart-value{fill:#616e7c}.chart-bar{fill:#0b5cab}"
    "</style>"
)
SCALE = 2  # pixels per SVG unit: sharp when printed at the chart's width


class ChartRenderError(RuntimeError):
    pass


def standalone_svg(svg: str) -> str:
    """The chart with its colours and fonts inside it, and a white background."""
    opening_end = svg.index(">") + 1
    return svg[:opening_end] + STYLE + '<rect width="100%" height="100%" fill="#fff"/>' + svg[opening_end:]


def svg_to_png(svg: str) -> bytes:
    program = shutil.which(settings.ZPB_RSVG_CONVERT)
    if program is None:
        raise ChartRenderError("服务器未安装 rsvg-convert（librsvg2-bin），无法在报告中绘制图表。")
    result = subprocess.run(
        [program, "--format=png", f"--zoom={SCALE}"],
        input=standalone_svg(svg).encode(), capture_output=True, timeout=60, check=False,
    )
    if result.returncode != 0 or not result.stdout.startswith(b"\x89PNG"):
        raise ChartRenderError(f"图表绘制失败：{result.stderr.decode(errors='replace')[:200]}")
    return result.stdout
