"""Validation of what staff type on the entry page; saving is evaluations.entry's job.

Every message is Chinese and sits next to its field. The forms only check values:
the arithmetic and the flags are scoring.py's, the write is entry.save_entry's.
"""

import datetime

from django import forms

from evaluations import scoring
from evaluations.models import Evaluation, Indicator, Project

# The models' TextFields have no limit; these keep a form printable. The longest sample goal has
# about 1,000 characters and no sample explanation is longer than a paragraph.
GOAL_MAX_LENGTH = 5000
DEVIATION_MAX_LENGTH = 2000
MAX_INDICATORS = 100

TOO_LONG = "最多 %(limit_value)d 个字（现有 %(show_value)d 个）。"
WIDGET_NUMBER = {"inputmode": "decimal", "autocomplete": "off", "class": "num"}


def _model_max_length(model, field_name):
    return model._meta.get_field(field_name).max_length


class TypedDecimalField(forms.DecimalField):
    """Reads numbers as people type them: full-width digits (４５．６) and thousands separators (1,000)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = scoring.plain_number(value)
        return super().to_python(value)


def _decimal_field(label, *, max_digits, max_value=None, required_hint=""):
    """A two-decimal, non-negative number typed as text (no spinner, the page checks it live, up to
    `max_digits` digits, which it reads from data-max-digits)."""
    return TypedDecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=2,
        min_value=0,
        max_value=max_value,
        widget=forms.TextInput(attrs={**WIDGET_NUMBER, "data-max-digits": max_digits}),
        error_messages={
            "required": f"请填写{label}{required_hint}。",
            "invalid": f"{label}请填写数字。",
            "min_value": f"{label}不能为负数。",
            "max_value": f"{label}不能超过 %(limit_value)s。",
            "max_decimal_places": f"{label}最多两位小数。",
            "max_digits": f"{label}数值过大。",
            "max_whole_digits": f"{label}数值过大。",
        },
    )


def _text_field(label, max_length, *, required=True, widget=None):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages={"required": f"请填写{label}。", "max_length": TOO_LONG},
    )


def _relax_unless(strict, form):
    """A draft keeps whatever was typed: no cell is required, only what cannot be stored is refused."""
    if not strict:
        for field in form.fields.values():
            field.required = False


def _label_cells(form, prefix):
    """aria-label every input of a grid row, e.g. "第3行 得分", since grid cells have no <label>."""
    for field in form.fields.values():
        field.widget.attrs["aria-label"] = f"{prefix} {field.label}" if prefix else field.label


class EntryForm(forms.Form):
    """The form-level fields of the entry page; `version` detects concurrent edits."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    funding_weight = _decimal_field("分数", max_digits=6, max_value=100)
    goal_expected = _text_field("预期目标", GOAL_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    goal_actual = _text_field("实际完成情况", GOAL_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, strict=True, **kwargs):
        super().__init__(*args, **kwargs)
        _relax_unless(strict, self)
        self.fields["version"].required = True
        self.fields["funding_weight"].widget.attrs["aria-label"] = "年度资金总额 分数"


class FundingLineForm(forms.Form):
    budget_initial = _decimal_field("年初预算数", max_digits=14, required_hint="（没有则填 0）")
    budget_full_year = _decimal_field("全年预算数", max_digits=14, required_hint="（没有则填 0）")
    executed = _decimal_field("全年执行数", max_digits=14, required_hint="（没有则填 0）")

    def __init__(self, *args, kind=None, strict=True, **kwargs):
        super().__init__(*args, **kwargs)
        _relax_unless(strict, self)
        self.kind = kind
        self.kind_label = scoring.FUNDING_KIND_LABELS.get(kind, "")
        _label_cells(self, self.kind_label.removeprefix("其中："))


class BaseFundingFormSet(forms.BaseFormSet):
    """Always the four lines of scoring.FUNDING_KINDS, in that order."""

    default_error_messages = {"too_many_forms": f"资金来源固定为 {len(scoring.FUNDING_KINDS)} 行。"}

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "kind": scoring.FUNDING_KINDS[index] if index is not None else None}


FundingFormSet = forms.formset_factory(
    FundingLineForm, formset=BaseFundingFormSet, extra=0,
    min_num=len(scoring.FUNDING_KINDS), max_num=len(scoring.FUNDING_KINDS), absolute_max=len(scoring.FUNDING_KINDS),
    validate_min=True, validate_max=True,
)

# Wraps long text in its grid cell; the page keeps Enter from adding a line break.
SingleLineTextarea = forms.Textarea(attrs={"rows": 1, "data-single-line": ""})

LEVEL1_CHOICES = [("", "请选择"), *((level1, level1) for level1 in scoring.LEVELS)]
LEVEL2_CHOICES = [
    ("", "请选择"),
    *((level1, [(level2, level2) for level2 in level2s]) for level1, level2s in scoring.LEVELS.items()),
]


class IndicatorForm(forms.Form):
    level1 = forms.ChoiceField(
        label="一级指标", choices=LEVEL1_CHOICES,
        error_messages={"required": "请选择一级指标。", "invalid_choice": "“%(value)s”不是允许的一级指标。"},
    )
    level2 = forms.ChoiceField(
        label="二级指标", choices=LEVEL2_CHOICES,
        error_messages={"required": "请选择二级指标。", "invalid_choice": "“%(value)s”不是允许的二级指标。"},
    )
    name = _text_field("三级指标", _model_max_length(Indicator, "name"), widget=SingleLineTextarea)
    target = _text_field("年度指标值", _model_max_length(Indicator, "target"), widget=SingleLineTextarea)
    actual = _text_field(
        "实际完成值", _model_max_length(Indicator, "actual"),
        widget=forms.TextInput(attrs={"list": "completion-levels", "autocomplete": "off"}),
    )
    weight = _decimal_field("分值", max_digits=6, max_value=100)
    score = _decimal_field("得分", max_digits=6)
    deviation = _text_field(
        "偏差原因分析及改进措施", DEVIATION_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "扣分或超额时写明原因和改进措施"}),
    )

    def __init__(self, *args, row=None, strict=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        _relax_unless(strict, self)
        _label_cells(self, f"第{row}行" if row else "")

    def clean(self):
        cleaned = super().clean()
        if not self.strict:
            return cleaned  # a draft row may be half filled; scoring.py's flags say what is wrong with it
        level1, level2 = cleaned.get("level1"), cleaned.get("level2")
        if level1 and level2 and level2 not in scoring.LEVELS[level1]:
            self.add_error("level2", f"二级指标“{level2}”不属于{level1}。")
        weight, score = cleaned.get("weight"), cleaned.get("score")
        if weight is not None and score is not None and score > weight:
            self.add_error("score", f"得分不能超过分值 {weight}。")
        return cleaned


class BaseIndicatorFormSet(forms.BaseFormSet):
    """Rows in page order; a row left entirely blank is ignored rather than refused."""

    default_error_messages = {"too_many_forms": f"绩效指标最多 {MAX_INDICATORS} 行。"}

    def get_form_kwargs(self, index):
        if index is None:
            return super().get_form_kwargs(index)
        return {**super().get_form_kwargs(index), "row": index + 1, "empty_permitted": True}

    def filled_forms(self):
        return [form for form in self.forms if form.cleaned_data]


IndicatorFormSet = forms.formset_factory(
    # absolute_max: a forged TOTAL_FORMS builds no more rows than the page allows (Django's default is 1,000 more).
    IndicatorForm, formset=BaseIndicatorFormSet, extra=0, max_num=MAX_INDICATORS, absolute_max=MAX_INDICATORS,
    validate_max=True,
)


class EntryForms:
    """The entry page's three parts, validated together.

    Not `strict` (saving a draft): every cell may be empty and only what cannot be stored (letters in a
    number cell, too many digits, too long a text) is refused. `strict` (submitting): every cell is required.
    """

    def __init__(self, data=None, initial=None, strict=False):
        initial = initial or {}
        kwargs = {"strict": strict}
        self.strict = strict
        self.entry = EntryForm(data, initial=initial.get("entry"), **kwargs)
        self.funding = FundingFormSet(data, initial=initial.get("funding"), prefix="funding", form_kwargs=kwargs)
        self.indicators = IndicatorFormSet(data, initial=initial.get("indicators"), prefix="indicators", form_kwargs=kwargs)

    @classmethod
    def for_evaluation(cls, evaluation, rules):
        """Unbound forms showing the stored evaluation; a new one starts with zero carry-over and other funds."""
        lines = {line.kind: line for line in evaluation.ordered_funding_lines()}
        zero_by_default = ("carryover", "other")
        funding = []
        for kind in scoring.FUNDING_KINDS:
            line = lines.get(kind)
            if line is not None:
                funding.append({"budget_initial": line.budget_initial, "budget_full_year": line.budget_full_year,
                                "executed": line.executed})
            else:
                nothing_typed = all(line.budget_full_year is None for line in lines.values())
                amount = "0.00" if nothing_typed and kind in zero_by_default else ""
                funding.append(dict.fromkeys(("budget_initial", "budget_full_year", "executed"), amount))
        total = lines.get("total")
        weight = total.weight if total is not None and total.weight is not None else rules.funding_weight
        weight = weight.quantize(scoring.CENT)
        indicators = [
            {name: getattr(indicator, name) for name in IndicatorForm.base_fields}
            for indicator in evaluation.indicators.all()
        ]
        return cls(initial={
            "entry": {"version": evaluation.version, "funding_weight": weight,
                      "goal_expected": evaluation.goal_expected, "goal_actual": evaluation.goal_actual},
            "funding": funding,
            "indicators": indicators,
        })

    @property
    def is_bound(self):
        return self.entry.is_bound

    def is_valid(self):
        # Validate all three so every message shows at once.
        return all([self.entry.is_valid(), self.funding.is_valid(), self.indicators.is_valid()])

    def error_count(self):
        return (
            len(self.entry.errors) + len(self.funding.non_form_errors()) + len(self.indicators.non_form_errors())
            + sum(len(form.errors) for form in [*self.funding.forms, *self.indicators.forms])
        )


class NewEvaluationForm(forms.Form):
    """Start an evaluation: a project of the user's unit (chosen or new) and a year, once per project and year."""

    project = forms.ModelChoiceField(
        label="项目", queryset=Project.objects.none(), required=False, empty_label="（新建项目）",
    )
    new_project_name = _text_field("新项目名称", _model_max_length(Project, "name"), required=False)
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100,
        error_messages={"required": "请填写年度。", "invalid": "年度请填写四位数字。",
                        "min_value": "年度不能早于 %(limit_value)s 年。", "max_value": "年度不能晚于 %(limit_value)s 年。"},
    )

    copy_last_year = forms.BooleanField(
        label="复制上一年自评表的指标（一级、二级、三级指标，分值，指标值；完成值、得分和说明留空）",
        required=False, initial=True,
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["project"].queryset = unit.projects.all()
        self.fields["year"].initial = datetime.date.today().year - 1  # one evaluates the year just ended
        self.existing = None

    # What the form starts, for its messages; subclasses that start something else say what.
    document = "自评表"

    def find_existing(self, project, year):
        return Evaluation.objects.filter(project=project, year=year).first()

    def last_years(self, project, year):
        """Last year's evaluation to copy from, when asked for."""
        if not self.cleaned_data.get("copy_last_year"):
            return None
        return Evaluation.objects.filter(project=project, year=year - 1).first()

    def clean(self):
        cleaned = super().clean()
        project, name, year = cleaned.get("project"), cleaned.get("new_project_name"), cleaned.get("year")
        if project and name:
            raise forms.ValidationError("请选择已有项目，或填写新项目名称，二者只填其一。")
        if not project and not name:
            if "new_project_name" not in self.errors:
                self.add_error("new_project_name", "请选择已有项目，或填写新项目名称。")
            return cleaned
        # Typing the name of a project that exists means that project.
        project = project or self.unit.projects.filter(name=name).first()
        cleaned["project"] = project
        if project is not None and year is not None:
            self.existing = self.find_existing(project, year)
            if self.existing is not None:
                raise forms.ValidationError(f"“{project.name}”{year}年度的{self.document}已经存在，不能重复新建。")
        cleaned["last_year"] = self.last_years(project, year) if project is not None and year is not None else None
        return cleaned


class StaffHomeFilterForm(forms.Form):
    q = forms.CharField(label="项目名称", required=False, max_length=100)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *Evaluation.Status.choices], required=False)
    problems = forms.ChoiceField(label="检查结果", required=False, choices=[
        ("", "全部"), ("errors", "有错误"), ("warnings", "有警告"), ("unfinished", "未填完"), ("clean", "无问题"),
    ])

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部"), *((year, f"{year} 年度") for year in years)]


class EvidenceForm(forms.Form):
    """佐证材料 for the whole form or one indicator: a file, or a survey's sample size and method."""

    position = forms.TypedChoiceField(label="材料所属", coerce=int, empty_value=None, required=False)
    file = forms.FileField(label="文件", required=False)
    sample_size = forms.IntegerField(label="样本量", required=False, min_value=1, max_value=100_000_000)
    survey_method = forms.CharField(label="调查方式", required=False, max_length=200)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [("", "整张表"), *(
            (indicator.position, f"第{indicator.position}项指标：{indicator.name[:30]}") for indicator in indicators)]

    def clean(self):
        data = super().clean()
        survey = data.get("sample_size") or data.get("survey_method", "").strip()
        if not data.get("file") and not survey:
            raise forms.ValidationError("请选择要上传的文件，或填写满意度调查的样本量和调查方式。")
        if survey and not data.get("file"):
            if not (data.get("sample_size") and data.get("survey_method", "").strip()):
                raise forms.ValidationError("样本量和调查方式都要填写。")
            if data.get("position") is None:
                raise forms.ValidationError("样本量和调查方式只能填在满意度指标上，请选择指标。")
        return data


class SpotCheckForm(forms.Form):
    """A reviewer's score for each indicator (score_<position>) and a comment; only validates."""

    comment = forms.CharField(label="抽评意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"score_{indicator.position}"] = forms.DecimalField(
                label=f"第{indicator.position}项指标 抽评得分", max_digits=6, decimal_places=2, min_value=0,
                max_value=indicator.weight,
                error_messages={"max_value": f"不能超过分值 {indicator.weight}。", "min_value": "不能为负数。",
                                "required": "请填写抽评得分。", "invalid": "请填写数字。"},
            )

    def scores(self) -> dict:
        return {indicator.position: self.cleaned_data[f"score_{indicator.position}"] for indicator in self.indicators}

    def rows(self):
        """(indicator, its score field) for the page's table."""
        return [(indicator, self[f"score_{indicator.position}"]) for indicator in self.indicators]


class SpotCheckDrawForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    size = forms.IntegerField(label="抽取份数", min_value=1, max_value=10_000,
                              error_messages={"required": "请填写抽取份数。", "invalid": "请填写整数。",
                                              "min_value": "至少抽取 1 份。"})
