"""django-import-export resources for the admin: reference data in and out, and a flat indicator table out.

Departments, units and projects are matched by name (a unit within its department, a project within
its unit), so a spreadsheet round trip needs no database ids. Indicators only export: each belongs to
an evaluation with a workflow status, a version and an audit trail, and a row imported here would
change an approved form under its reviewer and skip the rescoring; corrections come in as submission
workbooks through the importer, which refuses approved forms, rescores and records the change.
"""

from io import BytesIO

from import_export import fields, resources, widgets
from import_export.formats import base_formats

from evaluations import excel
from evaluations.models import Department, Indicator, Project, Unit


class InertXLSX(base_formats.XLSX):
    """.xlsx whose text cells are never formulas, with the text and the numbers kept as they are.

    The stock escaping (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) deletes a leading "=" and writes every
    value as text: the target "=2(场)" would come out as "2(场)", a different (qualitative) target.
    """

    def export_data(self, dataset, **kwargs):
        out = BytesIO()
        excel.write_table(out, dataset.title or "导出", dataset.headers, dataset)
        return out.getvalue()


EXPORT_FORMATS = [InertXLSX]
IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]


class NamedWidget(widgets.ForeignKeyWidget):
    """A foreign key given by its name, with a Chinese message when there is no such row."""

    def __init__(self, model):
        super().__init__(model, "name")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.missing_message(value, row)) from None

    def missing_message(self, value, row):
        return f"没有名为“{value}”的{self.model._meta.verbose_name}。"


class UnitOfDepartmentWidget(NamedWidget):
    """A unit by its name within the row's 主管部门: unit names repeat across departments."""

    def __init__(self):
        super().__init__(Unit)

    def get_queryset(self, value, row, *args, **kwargs):
        return Unit.objects.filter(department__name=row.get("主管部门"))

    def missing_message(self, value, row):
        return f"主管部门“{row.get('主管部门')}”下没有名为“{value}”的实施单位。"


class ReferenceResource(resources.ModelResource):
    """Rows matched on every column: existing ones are skipped, new ones created, none changed."""

    class Meta:
        skip_unchanged = True
        report_skipped = True


class DepartmentResource(ReferenceResource):
    name = fields.Field("name", "主管部门")

    class Meta(ReferenceResource.Meta):
        model = Department
        fields = ["name"]
        import_id_fields = ["name"]


class UnitResource(ReferenceResource):
    department = fields.Field("department", "主管部门", widget=NamedWidget(Department))
    name = fields.Field("name", "实施单位")

    class Meta(ReferenceResource.Meta):
        model = Unit
        fields = ["department", "name"]
        import_id_fields = ["department", "name"]


class ProjectResource(ReferenceResource):
    department = fields.Field("unit__department__name", "主管部门", readonly=True)
    unit = fields.Field("unit", "实施单位", widget=UnitOfDepartmentWidget())
    name = fields.Field("name", "项目名称")

    class Meta(ReferenceResource.Meta):
        model = Project
        fields = ["department", "unit", "name"]
        import_id_fields = ["unit", "name"]


def _number():
    # Numbers stay numbers in the workbook (import-export renders them as text by default).
    return widgets.DecimalWidget(coerce_to_string=False)


class IndicatorResource(resources.ModelResource):
    """One row per indicator with its evaluation's year, department, unit, project and status. Export only."""

    year = fields.Field("evaluation__year", "年度", widget=widgets.IntegerWidget(coerce_to_string=False))
    department = fields.Field("evaluation__project__unit__department__name", "主管部门")
    unit = fields.Field("evaluation__project__unit__name", "实施单位")
    project = fields.Field("evaluation__project__name", "项目名称")
    status = fields.Field("evaluation__get_status_display", "状态")
    position = fields.Field("position", "序号", widget=widgets.IntegerWidget(coerce_to_string=False))
    level1 = fields.Field("level1", "一级指标")
    level2 = fields.Field("level2", "二级指标")
    name = fields.Field("name", "三级指标")
    target = fields.Field("target", "年度指标值")
    actual = fields.Field("actual", "实际完成值")
    weight = fields.Field("weight", "分值", widget=_number())
    score = fields.Field("score", "得分", widget=_number())
    deviation = fields.Field("deviation", "偏差原因分析及改进措施")

    class Meta:
        model = Indicator
        fields = ["year", "department", "unit", "project", "status", "position", "level1", "level2", "name",
                  "target", "actual", "weight", "score", "deviation"]

    def import_data(self, *args, **kwargs):
        raise NotImplementedError("绩效指标只能导出；修改自评表请导入 Excel 自评表或在线填报。")
