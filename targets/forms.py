"""Validation of what staff type on the target table pages; the writes are targets.workflow's."""

import datetime

from django import forms

from evaluations.forms import GOAL_MAX_LENGTH, MAX_INDICATORS, BaseIndicatorFormSet, IndicatorForm, NewEvaluationForm
from evaluations.forms import _decimal_field, _label_cells, _text_field
from importer.forms import MultipleFileField, UploadForm
from targets.models import TargetTable

BLANK_ROWS = 3  # empty rows under the filled ones; saving adds three more


class TargetTableForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    goal = _text_field("年度总体目标", GOAL_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 5}))
    budget = _decimal_field("年度资金总额", max_digits=14)
    budget_current_year = _decimal_field("其中：财政拨款", max_digits=14)
    budget_other = _decimal_field("其他资金", max_digits=14)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("budget", "budget_current_year", "budget_other"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        total, current, other = (cleaned.get(name) for name in ("budget", "budget_current_year", "budget_other"))
        if None not in (total, current, other) and current + other != total:
            self.add_error("budget", f"财政拨款 {current} 与其他资金 {other} 之和应等于年度资金总额。")
        return cleaned


class TargetIndicatorForm(IndicatorForm):
    """An indicator row of the 申报表: the evaluation's row before anything was achieved."""

    actual = score = deviation = None

    def __init__(self, *args, row=None, **kwargs):
        super().__init__(*args, row=row, **kwargs)
        self.fields["target"].label = "指标值"
        self.fields["target"].error_messages["required"] = "请填写指标值。"
        _label_cells(self, f"第{row}行" if row else "")


TargetIndicatorFormSet = forms.formset_factory(
    TargetIndicatorForm, formset=BaseIndicatorFormSet, extra=BLANK_ROWS, max_num=MAX_INDICATORS,
    absolute_max=MAX_INDICATORS, validate_max=True,
)


def table_forms(table, data=None):
    """(the table's form, its indicator formset), unbound showing the stored table when `data` is None.

    Bound rows get no initial values: a row left as it was would otherwise count as blank and be dropped."""
    if data is not None:
        return TargetTableForm(data), TargetIndicatorFormSet(data, prefix="indicators")
    initial = {"version": table.version, "goal": table.goal, "budget": table.budget,
               "budget_current_year": table.budget_current_year, "budget_other": table.budget_other}
    rows = [{name: getattr(row, name) for name in TargetIndicatorForm.base_fields} for row in table.indicators.all()]
    return (TargetTableForm(data, initial=initial),
            TargetIndicatorFormSet(data, initial=rows, prefix="indicators"))


class NewTargetTableForm(NewEvaluationForm):
    """A project of the unit (chosen or new) and a year, once per project and year."""

    document = "绩效目标表"
    copy_last_year = None  # a target table starts blank

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = datetime.date.today().year  # targets are set for the year ahead or this one

    def find_existing(self, project, year):
        return TargetTable.objects.filter(project=project, year=year).first()

    def last_years(self, project, year):
        return None


class ReturnForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    comment = _text_field("退回意见", 2000, required=True)


class MonitoringForm(forms.Form):
    as_of = forms.DateField(label="监控日期", error_messages={"required": "请填写监控日期。",
                                                           "invalid": "监控日期请按 2024-06-30 的格式填写。"})
    spent = _decimal_field("截至监控日执行数", max_digits=14)

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.indicators = list(table.indicators.all())
        for indicator in self.indicators:
            self.fields[f"progress_{indicator.pk}"] = _text_field(
                f"{indicator.name} 截至监控日完成情况", 1000, required=False)
            self.fields[f"progress_{indicator.pk}"].widget.attrs["aria-label"] = f"{indicator.name} 完成情况"

    def progress_fields(self):
        return [(indicator, self[f"progress_{indicator.pk}"]) for indicator in self.indicators]

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of.year != self.table.year:
            raise forms.ValidationError(f"监控日期须在 {self.table.year} 年内。")
        if self.table.monitoring_reports.filter(as_of=as_of).exists():
            raise forms.ValidationError(f"{as_of} 已有监控记录。")
        return as_of




class TargetUploadForm(UploadForm):
    """The target tables' files: checked as the form import checks its uploads."""

    files = MultipleFileField(
        label="绩效目标表文件",
        help_text="可多选。支持绩效目标表（项目支出绩效目标申报表）的 PDF、文本文件（如 pdftotext -layout 的输出）和 Excel 工作簿（.xlsx，"
                  "如本系统导出的绩效目标表）。",
        error_messages={"required": "请选择要导入的文件。"},
    )
