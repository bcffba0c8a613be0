"""佐证材料: staff attach a file (or, for a 满意度 indicator, a survey's sample size and method) to their form
or one indicator; bad files are refused in Chinese and leave nothing behind; only those who may see the form
download it; every change is audited, and the evidence decides I_SATISFACTION_UNSUPPORTED."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import Evaluation, Evidence, WorkflowEvent
from tests import factory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SATISFACTION = 6  # 火灾报警系统升级改造: 服务对象满意度 100.00(百分比)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def form():
    return factory.make_sample_evaluation(factory.sample_form("火灾报警系统升级改造"))


@pytest.fixture
def staff(form):
    return factory.make_staff("staff", unit=form.unit)


def upload(client, user, evaluation, name="满意度调查报告.pdf", content=PDF, **fields):
    client.force_login(user)
    data = {"file": SimpleUploadedFile(name, content), **fields} if name else fields
    return client.post(reverse("evidence_add", args=[evaluation.pk]), data, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()]


def test_a_survey_file_on_the_satisfaction_indicator_removes_its_flag_and_is_audited(client, staff, form, media):
    assert form.has_flag("I_SATISFACTION_UNSUPPORTED")
    response = upload(client, staff, form, position=SATISFACTION)
    assert messages_of(response) == ["已添加佐证材料：满意度调查报告.pdf。"]
    form.refresh_from_db()
    assert not form.has_flag("I_SATISFACTION_UNSUPPORTED")
    assert "I_SATISFACTION_UNSUPPORTED" not in [f.code for f in form.flags()]
    (item,) = Evidence.objects.all()
    assert (item.position, item.original_name, item.content_type, item.size) == (
        SATISFACTION, "满意度调查报告.pdf", "application/pdf", len(PDF))
    assert "满意度调查报告" not in item.file.name  # stored under a name of our making
    assert [path.read_bytes() for path in stored_files(media)] == [PDF]
    event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.ATTACH)
    assert (event.actor, event.comment) == (staff, "第 6 项指标：满意度调查报告.pdf")
    assert [(h.history_type, h.history_user) for h in item.history.all()] == [("+", staff)]
    client.force_login(factory.make_auditor())
    trail = client.get(reverse("audit_trail")).content.decode()
    assert "添加佐证材料" in trail and "满意度调查报告.pdf" in trail and "佐证材料" in trail


def test_a_sample_size_and_method_count_as_evidence_of_satisfaction_only(client, staff, form):
    response = upload(client, staff, form, name=None, position=SATISFACTION, sample_size=120, survey_method="问卷调查")
    assert messages_of(response) == ["已添加佐证材料：样本量 120，问卷调查。"]
    form.refresh_from_db()
    assert not form.has_flag("I_SATISFACTION_UNSUPPORTED")
    response = upload(client, staff, form, name=None, position=1, sample_size=120, survey_method="问卷调查")
    assert messages_of(response) == ["佐证材料未保存：只有满意度指标可以用样本量和调查方式代替佐证文件。"]
    response = upload(client, staff, form, name=None, position=SATISFACTION, sample_size=120)
    assert messages_of(response) == ["佐证材料未保存：样本量和调查方式都要填写。"]
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("name, content, says", [
    ("setup.exe", b"MZ\x90\x00", "不是可接受的文件类型"),
    ("调查.pdf", b"MZ\x90\x00 an executable renamed", "内容不是扩展名所说的 PDF 文件"),
    ("照片.png", b"\xff\xd8\xff\xe0 a jpeg called png", "内容不是扩展名所说的 PNG 文件"),
    ("空.pdf", b"", "是空文件"),
])
def test_files_that_are_not_what_they_claim_are_refused_and_leave_nothing(client, staff, form, media, name, content, says):
    response = upload(client, staff, form, name=name, content=content, position=SATISFACTION)
    (message,) = messages_of(response)
    assert message.startswith("佐证材料未保存：") and says in message
    assert not Evidence.objects.exists() and not stored_files(media)
    assert not WorkflowEvent.objects.filter(action=WorkflowEvent.Action.ATTACH).exists()


def test_a_file_over_the_limit_is_refused(client, staff, form, media, settings):
    settings.ZPB_EVIDENCE_MAX_BYTES = 1024 * 1024
    response = upload(client, staff, form, content=PDF + b"0" * 1024 * 1024)
    assert "超过 1 MB 的上限" in messages_of(response)[0]
    assert not stored_files(media)


def test_office_files_and_images_are_accepted(client, staff, form):
    for name, content in [("验收报告.docx", b"PK\x03\x04rest"), ("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1x"),
                          ("现场.jpg", b"\xff\xd8\xff\xe0x"), ("现场.png", b"\x89PNG\r\n\x1a\nx")]:
        upload(client, staff, form, name=name, content=content)
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == ["台账.xls", "现场.jpg", "现场.png", "验收报告.docx"]
    assert set(Evidence.objects.values_list("position", flat=True)) == {None}


def test_only_those_who_see_the_form_download_the_file(client, staff, form):
    upload(client, staff, form, position=SATISFACTION)
    url = reverse("evidence_download", args=[Evidence.objects.get().pk])
    department = form.department
    allowed = [staff, factory.make_reviewer("reviewer", department), factory.make_auditor()]
    refused = [factory.make_staff("other", factory.make_unit("上海市科学技术情报研究所", department)),
               factory.make_reviewer("elsewhere", factory.make_department("上海市财政局")),
               factory.make_administrator(), factory.make_user("nobody")]
    for user in allowed:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    for user in refused:
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.logout()
    assert client.get(url).status_code == 302


def test_only_the_units_staff_attach_and_remove(client, staff, form):
    other = factory.make_staff("other", factory.make_unit("上海市科学技术情报研究所", form.department))
    reviewer = factory.make_reviewer("reviewer", form.department)
    for user in (other, reviewer):
        client.force_login(user)
        assert client.post(reverse("evidence_add", args=[form.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    upload(client, staff, form, position=SATISFACTION)
    item = Evidence.objects.get()
    for user in (other, reviewer):
        client.force_login(user)
        assert client.post(reverse("evidence_remove", args=[item.pk])).status_code == 404
    client.logout()
    assert client.post(reverse("evidence_remove", args=[item.pk])).status_code == 302
    assert Evidence.objects.exists()


def test_removing_evidence_brings_the_flag_back_and_deletes_the_file(client, staff, form, media, django_capture_on_commit_callbacks):
    upload(client, staff, form, position=SATISFACTION)
    item = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evidence_remove", args=[item.pk]))
    form.refresh_from_db()
    assert form.has_flag("I_SATISFACTION_UNSUPPORTED")
    assert not Evidence.objects.exists() and not stored_files(media)
    event = WorkflowEvent.objects.get(action=WorkflowEvent.Action.DETACH)
    assert event.comment == "第 6 项指标：满意度调查报告.pdf"
    assert [h.history_type for h in item.history.all()] == ["-", "+"]


def test_evidence_cannot_change_once_submitted(client, staff, form):
    Evaluation.objects.filter(pk=form.pk).update(status=Evaluation.Status.SUBMITTED)
    response = upload(client, staff, form, position=SATISFACTION)
    assert messages_of(response) == ["佐证材料未保存：该自评表已提交，不能再修改佐证材料。"]


def test_reviewers_see_the_evidence_at_its_cell(client, staff, form):
    upload(client, staff, form, position=SATISFACTION)
    upload(client, staff, form, name="验收报告.pdf")
    Evaluation.objects.filter(pk=form.pk).update(status=Evaluation.Status.SUBMITTED)
    client.force_login(factory.make_reviewer("reviewer", form.department))
    page = client.get(reverse("review_evaluation", args=[form.pk])).content.decode()
    row = page[page.index('id="indicator-6"'):]
    row = row[:row.index("</tr>")]
    assert "满意度调查报告.pdf" in row and "验收报告.pdf" not in row
    assert "验收报告.pdf" in page
