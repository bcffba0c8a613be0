"""How long the publication package's PDF takes: LibreOffice printing our submission workbook (the
method zpb uses) against Chromium printing the forms' HTML (the read-only form of the form page).

Seeds N generated forms (bench/seed.py, PostgreSQL) into DATABASE_URL, by default a zpb_bench_pdf database:

    createdb -h 127.0.0.1 -U postgres zpb_bench_pdf; .venv/bin/python bench/package_pdf.py 6 100
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zpb_bench_pdf")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zpb_site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from evaluations.models import Evaluation  # noqa: E402
from evaluations.views.common import form_context  # noqa: E402
from reports import publication  # noqa: E402
from seed import seed  # noqa: E402


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def libreoffice(evaluations, workdir: Path):
    started = time.perf_counter()
    pdf = publication.forms_pdf(evaluations, workdir)
    return time.perf_counter() - started, pdf


def chromium(evaluations, workdir: Path):
    """The form page's read-only table, one form a page, printed by headless Chromium."""
    started = time.perf_counter()
    css = (ROOT / "static" / "css" / "zpb.css").read_text()
    body = "".join(f'<section class="sheet">{render_to_string("evaluations/_form_readonly.html", form_context(e))}</section>'
                   for e in evaluations)
    html = workdir / "forms.html"
    html.write_text(f"<!DOCTYPE html><html lang='zh-hans'><head><meta charset='utf-8'><style>{css}"
                    "@page{size:A4;margin:12mm}.sheet{break-after:page}</style></head><body>"
                    f"{body}</body></html>")
    pdf = workdir / "forms-chromium.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", html.as_uri()], capture_output=True, check=True, timeout=900)
    return time.perf_counter() - started, pdf


def main(counts):
    call_command("migrate", verbosity=0)
    print("| forms | method | seconds | per form | pages |")
    print("| --- | --- | --- | --- | --- |")
    for count in counts:
        seed(count)
        evaluations = list(Evaluation.objects.select_related("project__unit__department", "unit", "department")
                           .prefetch_related("funding_lines", "indicators").order_by("pk"))
        for name, method in (("LibreOffice from the workbook", libreoffice), ("Chromium from HTML", chromium)):
            with tempfile.TemporaryDirectory() as workdir:
                seconds, pdf = method(evaluations, Path(workdir))
                print(f"| {count} | {name} | {seconds:.1f} | {seconds / count * 1000:.0f} ms | {pages(pdf)} |", flush=True)


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [6, 100])
