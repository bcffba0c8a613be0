"""The upload page offers PDFs beside text and workbooks, and our export's PDF goes through the same
task, preview and confirmation as a text dump."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import Evaluation
from importer.models import StagedImport
from tests import factory

MATERIAL = Path(__file__).resolve().parent / "material"
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(factory.make_staff())
    return client


def test_the_file_picker_offers_pdf_text_and_workbooks(staff_client):
    page = staff_client.get("/import/").content.decode()
    assert 'accept=".pdf,.txt,.xlsx,application/pdf,text/plain"' in page
    assert "自评表 PDF（.pdf）" in page and "另存为文本" not in page


# The PDF reader is another branch of issue 12; strict, so this fails (XPASS) once PDFs are read and
# the marker must then go.
def test_our_exports_pdf_is_read_once_previewed_and_imported(staff_client):
    pdf = (MATERIAL / "sample-export.pdf").read_bytes()
    response = staff_client.post("/import/", {"files": [SimpleUploadedFile("导出.pdf", pdf, "application/pdf")]})
    assert response.status_code == 302, response.content.decode()
    assert StagedImport.objects.get().state == StagedImport.State.READ
    page = staff_client.get(response.url).content.decode()
    assert "确认后将写入 6 份" in page and "绿色技术银行综合管理与运行" in page
    staff_client.post(response.url + "confirm/")
    assert Evaluation.objects.count() == 6
