from django import forms

from evaluations.models import Department
from reports.models import ReportText


class DepartmentYearForm(forms.Form):
    department = forms.ModelChoiceField(label="主管部门", queryset=Department.objects.none(), empty_label=None,
                                        error_messages={"invalid_choice": "请选择您有权查看的主管部门。"})
    year = forms.TypedChoiceField(label="年度", coerce=int, error_messages={"invalid_choice": "请选择有自评表的年度。"})

    def __init__(self, data, departments, years):
        super().__init__(data)
        self.fields["department"].queryset = departments
        self.fields["year"].choices = [(year, f"{year}年度") for year in years]


class ReportTextForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages={
        name: "页面已过期，请刷新后再保存。" for name in ("required", "invalid", "min_value")})

    class Meta:
        model = ReportText
        fields = ["problems", "improvements"]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in ("problems", "improvements")}
        error_messages = {name: {"required": "请填写此项。", "max_length": "不能超过 %(limit_value)d 个字符。"}
                          for name in ("problems", "improvements")}
