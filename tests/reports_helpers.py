"""For the reports tests: a department of approved forms, and reading what the reports produce
(python-docx for the .docx, LibreOffice to PDF, pdftotext for its text, pdftoppm for a page to look at)."""

import re
import subprocess
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from docx import Document

from evaluations import workflow
from evaluations.models import Evaluation
from tests import factory
from tests.conftest import ARTIFACTS
from tests.sample_forms import SAMPLE_FORMS

DEPARTMENT = "上海市科学技术委员会"
UNIT = "上海科学技术交流中心"
DEDUCTED_PROJECT = "科普讲座进社区"
DEVIATION = "受场地改造影响，两场讲座顺延至次年。改进措施：提前落实备用场地，按季度跟踪进度。"


def deducted_figures():
    """A clean form whose satisfaction indicator was only partly achieved (7 of 10) with its reason."""
    figures = factory.clean_figures(declared_total=Decimal("97.00"))
    figures.indicators[2] = factory.indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", "满意", "部分达成",
                                              "10.00", score="7.00", deviation=DEVIATION)
    return figures


def approved_department(reviewer):
    """The six sample forms and one form with a deduction, all approved by `reviewer` (warnings acknowledged)."""
    evaluations = [factory.make_sample_evaluation(form) for form in SAMPLE_FORMS]
    unit = factory.make_unit(UNIT, factory.make_department(DEPARTMENT))
    evaluations.append(factory.make_submitted_evaluation(deducted_figures(), factory.make_project(DEDUCTED_PROJECT, unit)))
    for evaluation in evaluations:
        evaluation.status = Evaluation.Status.SUBMITTED
        evaluation.save(update_fields=["status"])
        workflow.approve(evaluation, reviewer, acknowledged_codes=evaluation.flag_codes.split())
    return evaluations


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = Document(BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def to_pdf(path: Path) -> Path:
    """LibreOffice's PDF of `path`, beside it."""
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(path.parent / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
                   capture_output=True, timeout=180, check=True)
    pdf = path.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice could not open {path.name}"
    return pdf


def libreoffice_reads_pdf(pdf: Path) -> str:
    """The text LibreOffice Draw finds on opening `pdf` (its PDF import, saved as a drawing)."""
    out = pdf.parent / "draw"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(pdf.parent / 'lo').as_uri()}",
                    "--infilter=draw_pdf_import", "--convert-to", "odg", "--outdir", str(out), str(pdf)],
                   capture_output=True, timeout=180, check=True)
    drawing = out / pdf.with_suffix(".odg").name
    assert drawing.exists(), f"LibreOffice could not open {pdf.name}"
    with zipfile.ZipFile(drawing) as archive:
        return re.sub(r"<[^>]+>", "", archive.read("content.xml").decode())


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def save_page_image(pdf: Path, name: str, page: int = 1) -> Path:
    """Page `page` as test-artifacts/<name>.png for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
                   check=True)
    return stem.with_suffix(".png")
