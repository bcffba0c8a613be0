"""The exported workbook in a real spreadsheet application (LibreOffice, headless).

It prints to A4 one page wide with the indicator header on every page, LibreOffice keeps formula-like
text as text, and a workbook saved again by LibreOffice (as after editing offline) imports unchanged.
LibreOffice must be installed (Debian: libreoffice-calc-nogui; .ci/run installs it).
"""

import re
import shutil
import subprocess

import pytest

from importer import xlsx
from tests import factory

pytestmark = pytest.mark.django_db

TIMEOUT = 300  # seconds; the first start of a fresh profile is slow


@pytest.fixture(scope="module")
def soffice():
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        pytest.fail("找不到 LibreOffice（soffice）：请安装 Debian 软件包 libreoffice-calc-nogui（.ci/run 会自动安装）。")
    return program


@pytest.fixture(scope="module")
def convert(soffice, tmp_path_factory):
    """convert(path, to) → the converted file, with a fresh LibreOffice profile for this module."""
    profile = tmp_path_factory.mktemp("libreoffice-profile")

    def run(path, to):
        outdir = path.parent / f"out-{to.split(':')[0]}"
        result = subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", to, "--outdir", str(outdir), str(path)],
            capture_output=True, text=True, timeout=TIMEOUT,
        )
        converted = list(outdir.glob(f"{path.stem}.*")) if outdir.exists() else []
        assert result.returncode == 0 and converted, f"LibreOffice 转换失败：{result.stdout}{result.stderr}"
        return converted[0]

    return run


def pdf_pages(pdf):
    """(each page's (width, height) in points, each page's text)."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return sizes, text.split("\f")[:-1]


def test_a_form_prints_on_a4_portrait_one_page_wide_with_the_header_on_every_page(convert, tmp_path):
    evaluation = factory.make_sample_evaluation(factory.sample_form("国内外科技合作交流"))
    path = tmp_path / "form.xlsx"
    path.write_bytes(factory.xlsx_bytes([evaluation], summary=False))
    sizes, pages = pdf_pages(convert(path, "pdf"))
    assert len(pages) == len(sizes) >= 2  # 33 indicators run onto a second page
    assert all(abs(width - 595.3) < 1 and abs(height - 841.9) < 1 for width, height in sizes), sizes  # A4 portrait
    assert "财政项目支出绩效自评表" in pages[0] and "国内外科技合作交流" in pages[0]
    for page in pages:
        # Row 12 repeats, and its last column is on the same page: the sheet fits one page wide.
        assert "一级指标" in page and "偏差原因分析及改进措施" in page
    assert "99.45" in pages[-1] and "评分等级" in pages[-1]


def test_libreoffice_does_not_evaluate_formula_like_text(convert, tmp_path):
    evaluation = factory.make_evaluation(factory.make_project('=HYPERLINK("http://x","y")'), goal_expected="+1+1")
    path = tmp_path / "formula.xlsx"
    path.write_bytes(factory.xlsx_bytes([evaluation], summary=False))
    csv = convert(path, "csv:Text - txt - csv (StarCalc):44,34,76").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://x"",""y"")"' in csv
    assert "+1+1" in csv


def test_a_workbook_saved_again_by_libreoffice_imports_with_the_same_figures(convert, tmp_path):
    evaluations = [factory.make_sample_evaluation(factory.sample_form(name)) for name in ("技术转移合作", "信息化建设项目")]
    for evaluation in evaluations:
        evaluation.goal_expected, evaluation.goal_actual = "一、开展培训。\n二、开展交流。", "完成。"
        evaluation.save()
    path = tmp_path / "batch.xlsx"
    path.write_bytes(factory.xlsx_bytes(evaluations))
    saved = convert(path, "xlsx:Calc MS Excel 2007 XML")
    forms, errors = xlsx.parse_workbook(saved.read_bytes(), "saved.xlsx")
    assert errors == []
    assert [form.figures for form in forms] == [evaluation.figures() for evaluation in evaluations]
    assert [(form.goal_expected, form.goal_actual) for form in forms] == [("一、开展培训。\n二、开展交流。", "完成。")] * 2
