"""`manage.py import_dumps` refuses what the web import refuses (pages per PDF, forms per file, indicators
per form), with the same Chinese messages, the limits read from the same settings."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation
from importer import staging
from importer.form_import import FORMS
from importer.models import import_limits
from tests import factory

MATERIAL = Path(__file__).resolve().parent / "material"
SAMPLE = factory.SAMPLE_DUMP


def import_dumps(*args):
    """(exit code, the JSON report, stderr) of the command run in this process."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_dumps", *map(str, args), "--json", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, json.loads(out.getvalue()), err.getvalue()


@pytest.mark.django_db
def test_a_file_with_more_forms_than_allowed_is_refused_whole(settings):
    settings.ZPB_IMPORT_MAX_FORMS_PER_FILE = 5
    code, report, err = import_dumps(SAMPLE)
    assert code == 1
    assert report["forms"] == []
    assert [(e["file"], e["message"]) for e in report["errors"]] == [
        (SAMPLE.name, "此文件含 6 份自评表，超过每个文件最多 5 份的上限；请拆分后分批上传。")]
    assert "读取 0 份；失败 1 份" in err
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_a_form_with_more_indicators_than_allowed_is_an_error_and_the_others_are_written(settings):
    settings.ZPB_IMPORT_MAX_INDICATORS_PER_FORM = 15
    code, report, _ = import_dumps(SAMPLE)
    assert code == 1
    assert len(report["forms"]) == Evaluation.objects.count() == 5
    [error] = report["errors"]
    assert (error["project_name"], error["message"]) == (
        "国内外科技合作交流", "此表有 33 项绩效指标，超过每份最多 15 项的上限（与填报页面相同）。")


@pytest.mark.django_db
def test_a_pdf_with_more_pages_than_allowed_is_refused_and_named_without_lines(settings):
    settings.ZPB_IMPORT_MAX_PDF_PAGES = 8
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("import_dumps", str(MATERIAL / "sample-export.pdf"), "--dry-run", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "sample-export.pdf 无法读取：此 PDF 共 9 页，超过每个文件最多 8 页的上限；请拆分后分批上传。"


@pytest.mark.django_db
def test_the_command_and_the_web_import_give_the_same_messages_from_the_same_settings(settings, tmp_path):
    settings.ZPB_IMPORT_MAX_INDICATORS_PER_FORM = 14
    settings.ZPB_IMPORT_MAX_FORMS_PER_FILE = 12
    doubled = tmp_path / "二.txt"
    doubled.write_bytes(SAMPLE.read_bytes() * 2)
    _, web_errors = staging.read_file(doubled.read_bytes(), doubled.name, import_limits(), FORMS)
    _, report, _ = import_dumps(doubled, "--dry-run")
    assert [e["message"] for e in report["errors"]] == [e.message for e in web_errors]
    assert len(web_errors) == 4 and all("超过每份最多 14 项的上限" in e.message for e in web_errors)
