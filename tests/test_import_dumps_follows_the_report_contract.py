"""`manage.py import_dumps`: the JSON report of REPORT-JSON.md, its exit codes, and what it writes."""

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation, FundingLine, Indicator, WorkflowEvent
from tests.sample_forms import SAMPLE_FORMS
from tests.test_sample_forms_reproduce_their_printed_figures import EXPECTED_FLAGS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
TWO_DECIMALS = r"^-?\d+\.\d{2}$"


def run(*args):
    """Run the command in a subprocess, as a user would: (exit code, stdout, stderr)."""
    done = subprocess.run([sys.executable, "manage.py", "import_dumps", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def sample_report():
    code, out, err = run(SAMPLE, "--dry-run", "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_sample_report_holds_six_forms_and_no_errors(sample_report):
    assert [f["project_name"] for f in sample_report["forms"]] == [f["project_name"] for f in SAMPLE_FORMS]
    assert sample_report["errors"] == []


@pytest.mark.parametrize("index", range(len(SAMPLE_FORMS)), ids=[f["project_name"] for f in SAMPLE_FORMS])
def test_every_figure_of_the_sample_is_reported(sample_report, index):
    form, expected = sample_report["forms"][index], SAMPLE_FORMS[index]
    assert form["file"] == SAMPLE.name
    assert (form["year"], form["department"], form["unit"]) == (expected["year"], expected["department"], expected["unit"])
    assert [line["kind"] for line in form["funding"]] == ["total", "current_year", "carryover", "other"]
    for line in form["funding"]:
        initial, full_year, executed, rate = expected["funding"][line["kind"]]
        assert (line["budget_initial"], line["budget_full_year"], line["executed"], line["rate"]) == (initial, full_year, executed, rate)
    total_line = form["funding"][0]
    assert (total_line["weight"], total_line["score"]) == (expected["funding_weight"], expected["funding_score"])
    assert all(line["weight"] is None and line["score"] is None for line in form["funding"][1:])
    assert form["goal_expected"].startswith(expected["goal_expected_starts"])
    assert form["goal_actual"].startswith(expected["goal_actual_starts"])
    assert [tuple(i.values()) for i in form["indicators"]] == [tuple(i) for i in expected["indicators"]]
    assert form["declared"] == {"total": expected["total"], "grade": expected["grade"]}
    assert form["computed"] == {"funding_score": expected["funding_score"], "weight_total": "100.00",
                                "total": expected["total"], "grade": expected["grade"]}
    flags = {(f["code"], f["indicator"]) for f in form["flags"] if f["code"] != "I_WEIGHT_SPLIT"}
    assert flags == EXPECTED_FLAGS[expected["project_name"]]
    assert all(set(f) == {"code", "severity", "indicator", "message"} and f["message"] for f in form["flags"])


def test_numbers_are_strings_with_two_decimals(sample_report):
    import re

    for form in sample_report["forms"]:
        assert isinstance(form["year"], int)
        values = [v for line in form["funding"] for k, v in line.items() if k not in ("kind", "label") and v is not None]
        values += [i[k] for i in form["indicators"] for k in ("weight", "score")]
        values += [form["declared"]["total"], *[v for k, v in form["computed"].items() if k != "grade"]]
        assert all(isinstance(v, str) and re.match(TWO_DECIMALS, v) for v in values)


@pytest.mark.django_db
def test_a_dry_run_writes_nothing():
    call_command("import_dumps", str(SAMPLE), "--dry-run", "--json", stdout=StringIO(), stderr=StringIO())
    assert Evaluation.objects.count() == 0


def test_a_broken_form_exits_1_and_is_reported_with_its_lines(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    broken = text.replace("总分\t\t\t\t\t100.00\t99.65", "总分\t\t\t\t\t一百\t九十九", 1)
    assert broken != text
    path = tmp_path / "broken.txt"
    path.write_text(broken, encoding="utf-8")
    code, out, err = run(path, "--dry-run", "--json")
    report = json.loads(out)
    assert code == 1
    assert len(report["forms"]) == 5
    [error] = report["errors"]
    assert error["file"] == "broken.txt"
    assert error["project_name"] == "技术转移合作"
    assert error["lines"][0] < error["lines"][1]
    assert "技术转移合作" not in [f["project_name"] for f in report["forms"]]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])


def test_a_missing_file_exits_2_with_a_chinese_message(tmp_path):
    code, out, err = run(tmp_path / "nope.txt", "--dry-run", "--json")
    assert code == 2
    assert "无法打开文件" in err
    assert out == ""


def test_wrong_arguments_exit_2():
    code, _, _ = run("--no-such-option")
    assert code == 2


@pytest.mark.django_db
def test_import_creates_then_reports_unchanged_then_updates_and_refuses_approved(tmp_path):
    def import_(path):
        err = StringIO()
        call_command("import_dumps", str(path), stdout=StringIO(), stderr=err)
        return err.getvalue()

    assert "新建 6 份" in import_(SAMPLE)
    assert Evaluation.objects.count() == 6
    assert set(Evaluation.objects.values_list("status", flat=True)) == {"submitted"}
    assert WorkflowEvent.objects.filter(action="import").count() == 6
    assert Evaluation.history.filter(history_type="+").count() == 6
    assert FundingLine.history.filter(history_type="+").count() == 6 * 4
    assert Indicator.history.filter(history_type="+").count() == sum(len(f["indicators"]) for f in SAMPLE_FORMS)

    assert "未变 6 份" in import_(SAMPLE)
    assert WorkflowEvent.objects.filter(action="import").count() == 6

    changed = tmp_path / "changed.txt"
    changed.write_text(SAMPLE.read_text(encoding="utf-8").replace("1.50\t1.50\t1.50\t10.00", "1.50\t1.50\t1.40\t10.00", 1), encoding="utf-8")
    summary = import_(changed)
    assert "拒绝 1 份" in summary and "已提交、正在审核，不能用导入修改" in summary  # in the reviewer's hands
    Evaluation.objects.filter(project__name="火灾报警系统升级改造").update(status=Evaluation.Status.APPROVED)
    Evaluation.objects.filter(project__name="加强科技类社会组织党建工作").update(status=Evaluation.Status.RETURNED)
    summary = import_(changed)
    assert "更新 1 份" in summary and "未变 5 份" in summary
    party = Evaluation.objects.get(project__name="加强科技类社会组织党建工作")
    assert party.funding_lines.get(kind="total").executed == Decimal("1.40")
    assert party.version == 2 and party.status == Evaluation.Status.RETURNED
    assert party.has_flag("E_EXEC_RATE")  # the printed 100.00 is kept as printed and flagged

    changed.write_text(SAMPLE.read_text(encoding="utf-8").replace("56.00\t56.00\t55.26", "56.00\t56.00\t55.00", 1), encoding="utf-8")
    summary = import_(changed)
    assert "拒绝 1 份" in summary and "已审核通过，不能用导入覆盖" in summary
    assert Evaluation.objects.get(project__name="火灾报警系统升级改造").funding_lines.get(kind="total").executed == Decimal("55.26")


@pytest.mark.django_db
def test_a_form_repeated_in_one_run_is_created_once(tmp_path):
    twice = tmp_path / "twice.txt"
    twice.write_text(SAMPLE.read_text(encoding="utf-8") * 2, encoding="utf-8")
    err = StringIO()
    call_command("import_dumps", str(twice), stdout=StringIO(), stderr=err)
    assert "新建 6 份" in err.getvalue() and "未变 6 份" in err.getvalue()
    assert Evaluation.objects.count() == 6
