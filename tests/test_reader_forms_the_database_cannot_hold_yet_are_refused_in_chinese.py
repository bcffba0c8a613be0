"""A form of another template read whole may leave figures unprinted (a blank carry-over row, no
全年预算数 column, blank scores) or print funding rows with no counterpart here: the import report
shows it in full, and the write refuses it with a Chinese reason instead of a database error."""

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation
from importer import loader
from tests.reader_helpers import MATERIAL, read


@pytest.mark.parametrize("name, reason", [
    ("anhui-chizhou-2022.txt", "未印出的金额"),
    ("hubei-style-2020.txt", "未印出的金额"),
    ("sichuan-qingshen-2023.txt", "没有对应的栏目"),
])
@pytest.mark.django_db
def test_the_write_says_why_and_writes_nothing(name, reason):
    [form], errors = read(MATERIAL / "outside" / name)
    assert errors == []
    [(_, result)] = list(loader.load_forms([form]))
    assert isinstance(result, loader.NotStorable) and reason in str(result)
    assert Evaluation.objects.count() == 0


@pytest.mark.django_db
def test_the_command_prints_the_pdfs_pages_and_its_notes(capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("import_dumps", str(MATERIAL / "sample-export.pdf"), str(MATERIAL / "outside" / "hubei-style-2020.txt"))
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert "sample-export.pdf:第 4–5 页 国内外科技合作交流" in out
    assert "备注：第 5 页：表格外的“数量指标”作为其所在合并单元格的二级指标。" in out
    assert "hubei-style-2020.txt:2-21 无法读取：写入数据库失败：此表的资金行有未印出的金额" in out
    assert "读取 6 份；失败 1 份；备注" in err and "新建 6 份" in err
    assert Evaluation.objects.count() == 6
