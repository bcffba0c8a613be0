from django.contrib import admin
from django.utils.html import format_html_join

from evaluations.models import Department, Evaluation, FundingLine, Indicator, Profile, Project, Unit


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "department"]
    list_filter = ["department"]
    search_fields = ["name", "department__name"]
    list_select_related = ["department"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]
    list_filter = ["unit__department", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "department"]
    list_filter = ["department", "unit"]
    search_fields = ["user__username", "unit__name", "department__name"]
    list_select_related = ["user", "unit", "department"]
    autocomplete_fields = ["unit", "department"]


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0
    max_num = 4


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = [
        "project", "unit_name", "year", "status", "declared_total", "computed_total", "computed_grade",
        "error_count", "warning_count",
    ]
    list_filter = ["year", "status", "source", "computed_grade", "project__unit__department", "project__unit"]
    search_fields = ["project__name", "project__unit__name"]
    list_select_related = ["project__unit"]
    autocomplete_fields = ["project"]
    inlines = [FundingLineInline, IndicatorInline]
    readonly_fields = ["version", "computed_total", "computed_grade", "error_count", "warning_count", "flag_list"]
    exclude = ["flag_codes"]

    @admin.display(description="实施单位", ordering="project__unit__name")
    def unit_name(self, evaluation):
        return evaluation.project.unit.name

    @admin.display(description="标记")
    def flag_list(self, evaluation):
        if evaluation.pk is None:
            return "—"
        flags = evaluation.flags()
        if not flags:
            return "无"
        return format_html_join(
            "", "<div>{} [{}] {}{}</div>",
            ((f.code, f.severity, f"指标 {f.indicator}：" if f.indicator else "", f.message) for f in flags),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        evaluation = form.instance
        evaluation.version += 1
        evaluation.rescore(save=False)
        evaluation.save()
