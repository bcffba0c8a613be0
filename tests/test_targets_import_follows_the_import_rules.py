"""Imported target tables follow the form import's rules: new ones arrive submitted, drafts and returned ones
are updated and keep their status, submitted and approved ones are refused with a Chinese reason, the same
table again is unchanged; each table lands whole or not at all, with its TargetEvent; a file that cannot be
read says why, and a target table given to the form import is pointed to its own page."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from importer import parsing, staging, target_reader
from importer.form_import import FORMS
from targets import excel, workflow
from targets.models import TargetEvent, TargetTable
from tests.reader_helpers import MATERIAL, SAMPLE
from tests.targets_factory import make_table, target_rows

pytestmark = pytest.mark.django_db
Status = TargetTable.Status


def exported(table, **changes):
    """`table` as our export writes it, read back, with `changes` to its goal."""
    out = io.BytesIO()
    excel.write_table(out, table)
    [parsed], _ = target_reader.parse_file(out.getvalue(), "目标.xlsx")
    for name, value in changes.items():
        setattr(parsed, name, value)
    return parsed


def test_a_new_table_arrives_submitted_with_its_import_event():
    table = make_table()
    parsed = exported(table)
    TargetTable.objects.all().delete()
    result = workflow.import_table(parsed, None, parsed.source)
    assert result.outcome == "created" and result.table.status == Status.SUBMITTED
    assert workflow.content(result.table) == workflow.content(parsed)
    event = result.table.events.get()
    assert (event.action, event.from_status, event.to_status) == (TargetEvent.Action.IMPORT, "", Status.SUBMITTED)
    assert event.comment == "新建：目标.xlsx[绩效目标申报表] 第 1–13 行"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_a_table_in_staff_hands_is_updated_and_keeps_its_status(status):
    table = make_table(status=status)
    result = workflow.import_table(exported(table, goal="导入的新目标。"), None, "目标.xlsx")
    table.refresh_from_db()
    assert result.outcome == "updated" and table.status == status and table.goal == "导入的新目标。"
    assert table.events.last().action == TargetEvent.Action.IMPORT


@pytest.mark.parametrize("status, reason", [(Status.SUBMITTED, "已提交、正在审核"), (Status.APPROVED, "已批准，已锁定")])
def test_a_table_with_the_reviewer_or_approved_is_refused_in_chinese(status, reason):
    table = make_table(status=status)
    result = workflow.import_table(exported(table, goal="导入的新目标。"), None, "目标.xlsx")
    table.refresh_from_db()
    assert result.outcome == "refused" and reason in result.message and "火灾报警系统升级改造（2023年度）" in result.message
    assert table.goal == "完成年度任务。" and table.events.last().action != TargetEvent.Action.IMPORT


def test_the_same_table_again_is_unchanged_and_writes_nothing():
    table = make_table(status=Status.APPROVED)
    version = table.version
    assert workflow.import_table(exported(table), None, "目标.xlsx").outcome == "unchanged"
    table.refresh_from_db()
    assert table.version == version


def test_a_table_lands_whole_or_not_at_all(monkeypatch):
    parsed = exported(make_table())
    TargetTable.objects.all().delete()

    def broken(*args, **kwargs):
        raise RuntimeError("写入中途失败")
    monkeypatch.setattr(workflow, "_record", broken)
    with pytest.raises(RuntimeError):
        workflow.import_table(parsed, None, "目标.xlsx")
    assert not TargetTable.objects.exists() and not workflow.TargetIndicator.objects.exists()


def test_a_table_that_cannot_be_read_says_why():
    text = (MATERIAL / "target-export.pdftotext-layout.txt").read_text()
    tables, errors = target_reader.parse_file(text.replace("分值", "权重值").encode(), "目标.txt")
    assert tables == [] and "绩效指标表头缺少“分值”列" in errors[0].message
    tables, errors = target_reader.parse_file(text.replace("火灾报警系统升级改造", "").encode(), "目标.txt")
    # Laid-out text adds to each error that the PDF itself reads better.
    assert tables == [] and errors[0].message == "缺少项目名称。" + parsing.LAID_OUT_ERROR and errors[0].lines[0] == 2
    tables, errors = target_reader.parse_file(SAMPLE.read_bytes(), SAMPLE.name)
    assert tables == [] and errors[0].message.startswith(target_reader.NO_TABLE)


def test_every_row_is_read_or_noted():
    text = (MATERIAL / "target-export.pdftotext-layout.txt").read_text()
    text = text.replace("\n\n        主管部门", "\n\n备注    本表随预算批复\n\n        主管部门", 1)
    text = text.replace("\n一级指标", "\n另附    说明一份\n\n一级指标", 1) + "\n填表人：张三\n"
    [table], errors = target_reader.parse_file(text.encode(), "目标.txt")
    assert errors == [] and len(table.indicators) == 6 and table.goal.endswith("另附说明一份")
    assert any("第 5 行：未识别的行“备注本表随预算批复”" in warning for warning in table.warnings)
    assert any("作为年度总体目标的续行合并" in warning for warning in table.warnings)
    assert any("表格之后的文字：“填表人：张三”" in warning for warning in table.warnings)


def test_the_form_import_points_a_target_table_to_its_own_page():
    data = (MATERIAL / "target-export.xlsx").read_bytes()
    forms, errors = staging.read_file(data, "目标.xlsx", staging.Limits(30, 100, 100), FORMS)
    assert forms == [] and len(errors) == 1
    assert "这是绩效目标表（火灾报警系统升级改造（2023年度））" in errors[0].message and "导入绩效目标表" in errors[0].message


def test_the_command_imports_each_file_and_a_dry_run_writes_nothing(capsys):
    table = make_table(rows=target_rows())
    out = io.BytesIO()
    excel.write_table(out, table)
    TargetTable.objects.all().delete()
    path = MATERIAL.parent / "tmp-target.xlsx"
    try:
        path.write_bytes(out.getvalue())
        call_command("import_targets", str(path), "--dry-run")
        assert "新建（试运行）" in capsys.readouterr().out and not TargetTable.objects.exists()
        call_command("import_targets", str(path))
        assert "：新建" in capsys.readouterr().out
    finally:
        path.unlink()
    assert TargetTable.objects.get().status == Status.SUBMITTED
    assert TargetTable.objects.get().budget == Decimal("100.00")


def test_the_command_keeps_the_web_imports_limits(capsys, settings, tmp_path):
    table = make_table(rows=target_rows())
    out = io.BytesIO()
    excel.write_table(out, table)
    TargetTable.objects.all().delete()
    path = tmp_path / "目标.xlsx"
    path.write_bytes(out.getvalue())
    settings.ZPB_IMPORT_MAX_INDICATORS_PER_FORM = 1
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_targets", str(path))
    assert exit_code.value.code == 1
    assert "项绩效指标，超过每份最多 1 项的上限" in capsys.readouterr().out
    assert not TargetTable.objects.exists()
