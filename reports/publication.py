"""The publication package (决算公开) of a department's year: the approved forms as one PDF in the
official layout, and the summary report, in a zip.

The PDF is LibreOffice's print of our submission workbook (evaluations.excel): the sheet already is the
official layout (FORM-LAYOUT.md: A4, one page wide, the header row repeated, 宋体, borders), so the
printed form and the downloaded workbook cannot drift apart. Forms go to LibreOffice a step at a time
(settings.ZPB_PACKAGE_FORMS_PER_PDF_STEP per workbook) so a department of hundreds of forms shows its
progress and holds one step in memory; pypdf joins the parts. bench/RESULTS.md has the timings.
"""

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from pypdf import PdfWriter

from evaluations import excel
from evaluations.models import scoring_rules
from reports import documents

SOFFICE_TIMEOUT = 600  # seconds for one step's workbook


class PackageError(RuntimeError):
    """Why a package could not be built; the message is for the user."""


def steps_for(form_count: int) -> int:
    """PDF steps, then the summary report, then the zip."""
    size = settings.ZPB_PACKAGE_FORMS_PER_PDF_STEP
    return -(-form_count // size) + 2


def file_names(department, year) -> tuple[str, str]:
    return (f"{department.name}{year}年度项目支出绩效自评表.pdf", f"{department.name}{year}年度项目支出绩效自评汇总报告.docx")


def write_package(out, department, year, progress=lambda done: None) -> int:
    """Write the zip to the binary file `out`; `progress(steps done)` after each step. Returns the form count."""
    evaluations = list(documents.summary_evaluations(department, year))
    if not evaluations:
        raise PackageError(f"{department.name}{year}年度没有审核通过的自评表，无法生成公开材料包。")
    pdf_name, report_name = file_names(department, year)
    with tempfile.TemporaryDirectory(prefix="zpb-package-") as workdir:
        pdf = forms_pdf(evaluations, Path(workdir), progress)
        done = steps_for(len(evaluations)) - 2
        report = documents.summary_report(department, year)
        progress(done + 1)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(pdf, pdf_name)
            archive.writestr(report_name, report)
        progress(done + 2)
    return len(evaluations)


def forms_pdf(evaluations, workdir: Path, progress=lambda done: None) -> Path:
    size = settings.ZPB_PACKAGE_FORMS_PER_PDF_STEP
    writer = PdfWriter()
    for step, start in enumerate(range(0, len(evaluations), size), start=1):
        workbook = workdir / f"part-{step}.xlsx"
        with workbook.open("wb") as out:
            excel.write_workbook(out, evaluations[start:start + size], scoring_rules(), summary=False)
        writer.append(str(to_pdf(workbook, workdir)))
        progress(step)
    merged = workdir / "forms.pdf"
    with merged.open("wb") as out:
        writer.write(out)
    return merged


def to_pdf(document: Path, workdir: Path) -> Path:
    """LibreOffice's PDF of `document`, in `workdir`; its own profile there, so builds never share one."""
    program = shutil.which(settings.ZPB_SOFFICE)
    if program is None:
        raise PackageError("服务器未安装 LibreOffice（soffice），无法生成 PDF。")
    command = [program, "--headless", "--norestore", f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
               "--convert-to", "pdf", "--outdir", str(workdir), str(document)]
    try:
        subprocess.run(command, capture_output=True, timeout=SOFFICE_TIMEOUT, check=False, cwd=workdir)
    except subprocess.TimeoutExpired as error:
        raise PackageError("LibreOffice 转换 PDF 超时。") from error
    pdf = document.with_suffix(".pdf")
    if not pdf.exists():
        raise PackageError("LibreOffice 未能把自评表转换为 PDF。")
    return pdf
