"""佐证材料: attaching evidence to a form or an indicator, and removing it.

What a file is comes from its first bytes, not its name: a PDF, an image or an office document is
accepted only when its content is one (an .exe renamed .pdf is refused). Each change is one function,
one transaction, with its WorkflowEvent and the evidence's history row inside it, and the form rescored
(the evidence decides I_SATISFACTION_UNSUPPORTED).
"""

from django.conf import settings
from django.db import transaction

from evaluations import scoring, workflow
from evaluations.models import Evaluation, Evidence, WorkflowEvent

# extension → (content type, the content's first bytes it must start with)
_PDF = ("application/pdf", (b"%PDF-",))
_OOXML = (b"PK\x03\x04",)  # .docx / .xlsx / .pptx are zip packages
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc / .xls / .ppt
FILE_TYPES = {
    "pdf": _PDF,
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _OOXML),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _OOXML),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _OOXML),
    "doc": ("application/msword", _OLE),
    "xls": ("application/vnd.ms-excel", _OLE),
    "ppt": ("application/vnd.ms-powerpoint", _OLE),
}
ACCEPTED = "PDF、图片（JPG、PNG、GIF）或 Office 文件（Word、Excel、PowerPoint）"


class EvidenceRefused(Exception):
    """The evidence cannot be added or removed; the message is for the user."""


def file_problem(name: str, head: bytes, size: int) -> str | None:
    """Why a file cannot be evidence (in Chinese), or None; plain Python."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_TYPES:
        return f"“{name}”不是可接受的文件类型，请上传{ACCEPTED}。"
    if size == 0:
        return f"“{name}”是空文件。"
    if size > settings.ZPB_EVIDENCE_MAX_BYTES:
        limit = settings.ZPB_EVIDENCE_MAX_BYTES / 1024 / 1024
        return f"“{name}”有 {size / 1024 / 1024:.1f} MB，超过 {limit:.0f} MB 的上限，请压缩或拆分后再上传。"
    if not head.startswith(FILE_TYPES[extension][1]):
        return f"“{name}”的内容不是扩展名所说的 {extension.upper()} 文件，可能已损坏或改过扩展名。"
    return None


def content_type_of(name: str) -> str:
    return FILE_TYPES[name.rsplit(".", 1)[-1].lower()][0]


def _check_place(evaluation, position):
    if not evaluation.is_editable_by_staff():
        raise EvidenceRefused(f"该自评表{evaluation.get_status_display()}，不能再修改佐证材料。")
    if position is not None and not evaluation.indicators.filter(position=position).exists():
        raise EvidenceRefused(f"第 {position} 项指标不存在，请先保存指标再上传佐证材料。")


def _locked(evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().get(pk=evaluation.pk)


def _place_label(position) -> str:
    return f"第 {position} 项指标" if position is not None else "整张表"


def _rescore(evaluation):
    getattr(evaluation, "_prefetched_objects_cache", {}).clear()
    evaluation.rescore()


@transaction.atomic
def attach_file(evaluation, user, uploaded, position=None) -> Evidence:
    """Store `uploaded` (a Django UploadedFile) as evidence of the form or of indicator `position`."""
    evaluation = _locked(evaluation)
    _check_place(evaluation, position)
    if evaluation.evidence.count() >= settings.ZPB_EVIDENCE_MAX_FILES:
        raise EvidenceRefused(f"每张自评表最多 {settings.ZPB_EVIDENCE_MAX_FILES} 份佐证材料，请先删除不需要的。")
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    problem = file_problem(uploaded.name, head, uploaded.size)
    if problem:
        raise EvidenceRefused(problem)
    item = Evidence(evaluation=evaluation, position=position, original_name=uploaded.name[-200:],
                    content_type=content_type_of(uploaded.name), size=uploaded.size, uploaded_by=user)
    item._history_user = user
    item.file.save(uploaded.name, uploaded, save=False)
    try:
        item.save()
        workflow.record(evaluation, WorkflowEvent.Action.ATTACH, user, evaluation.status,
                        f"{_place_label(position)}：{item.original_name}")
        _rescore(evaluation)
    except BaseException:  # the rows roll back: the stored file must not stay behind without them
        item.file.delete(save=False)
        raise
    return item


@transaction.atomic
def record_survey(evaluation, user, position, sample_size: int, method: str) -> Evidence:
    """A 满意度 indicator's survey, by its sample size and method, in place of a file."""
    evaluation = _locked(evaluation)
    _check_place(evaluation, position)
    indicator = evaluation.indicators.get(position=position)
    if indicator.level1 != scoring.SATISFACTION:
        raise EvidenceRefused("只有满意度指标可以用样本量和调查方式代替佐证文件。")
    method = method.strip()
    if sample_size is None or sample_size <= 0 or not method:
        raise EvidenceRefused("请填写大于 0 的样本量和调查方式。")
    item = Evidence(evaluation=evaluation, position=position, sample_size=sample_size, survey_method=method[:200],
                    uploaded_by=user)
    item._history_user = user
    item.save()
    workflow.record(evaluation, WorkflowEvent.Action.ATTACH, user, evaluation.status,
                    f"{_place_label(position)}：样本量 {sample_size}，{item.survey_method}")
    _rescore(evaluation)
    return item


@transaction.atomic
def remove(item: Evidence, user) -> None:
    evaluation = _locked(item.evaluation)
    _check_place(evaluation, None)
    item._history_user = user
    label = str(item)
    stored = item.file.name
    item.delete()
    if stored:
        # The file goes once the removal is committed; a rollback keeps both.
        storage = item.file.storage
        transaction.on_commit(lambda: storage.delete(stored))
    workflow.record(evaluation, WorkflowEvent.Action.DETACH, user, evaluation.status,
                    f"{_place_label(item.position)}：{label}")
    _rescore(evaluation)
