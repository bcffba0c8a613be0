"""The clean A4 print of a form, as a PDF.

Chromium prints the very page /evaluations/<id>/print/ shows (same HTML, same CSS), so the PDF and
the browser's own print are one layout. Chromium rather than LibreOffice: LibreOffice would convert
the workbook, a second layout to keep in step, while Chromium is already a system dependency (the
browser tests run in it) and ships with the CJK fonts the deployment installs (`make system-deps`).
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings


class PrintFailed(Exception):
    """Chromium could not print; the message is for the user."""


def html_to_pdf(html: str, stylesheets: dict[str, str]) -> bytes:
    """The PDF Chromium prints from `html`, which links `stylesheets` ({name it links: file}) by name."""
    with tempfile.TemporaryDirectory(prefix="zpb-print-") as folder:
        page, pdf = Path(folder) / "form.html", Path(folder) / "form.pdf"
        page.write_text(html, encoding="utf-8")
        for name, source in stylesheets.items():
            shutil.copyfile(source, Path(folder) / name)
        command = [
            settings.ZPB_CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--no-pdf-header-footer", f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=60, check=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise PrintFailed("生成 PDF 失败，请改用“打印”另存为 PDF。") from error
        if not pdf.exists():
            raise PrintFailed("生成 PDF 失败，请改用“打印”另存为 PDF。")
        return pdf.read_bytes()
