from base64 import b64encode
from hashlib import sha256

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.html import format_html_join
from import_export.admin import ExportMixin, ImportExportModelAdmin

from evaluations import form_checks, resources, tasks
from evaluations.models import (
    Department, DepartmentFlagRule, Evaluation, FundingLine, Indicator, Profile, Project, ReviewComment, Unit, WorkflowEvent,
)


def _attribute_hashes(*values):
    return ["'unsafe-hashes'", *(f"'sha256-{b64encode(sha256(value.encode()).digest()).decode()}'" for value in values)]


class ExportPagePolicy:
    """django-import-export's export page (admin/import_export/export.html) has one inline event handler (its
    select-all box) and two style attributes; the Content Security Policy lets exactly those run, on that page."""

    EXPORT_PAGE_POLICY = {
        "script-src-attr": _attribute_hashes("onSelectToggleChange(event)"),
        "style-src-attr": _attribute_hashes("padding: 0;", "font-weight: bold;"),
    }

    def export_action(self, request):
        response = super().export_action(request)
        response._csp_update = self.EXPORT_PAGE_POLICY
        return response


class ReferenceDataAdmin(ExportPagePolicy, ImportExportModelAdmin):
    """Reference data in and out of spreadsheets; exports keep text inert (resources.InertXLSX)."""

    import_formats = resources.IMPORT_FORMATS
    export_formats = resources.EXPORT_FORMATS


class DepartmentFlagRuleInline(admin.TabularInline):
    model = DepartmentFlagRule
    extra = 0
    verbose_name_plural = "合理性检查规则（未列出的检查项按 SCORING.md 默认：启用，满意度缺佐证为提示，其余为警告）"


@admin.register(Department)
class DepartmentAdmin(ReferenceDataAdmin):
    resource_classes = [resources.DepartmentResource]
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [DepartmentFlagRuleInline]

    def save_formset(self, request, form, formset, change):
        """Flag rules are saved with their history attributed to the administrator; the department's
        evaluations are then rescored in the background so their cached flags follow."""
        if formset.model is not DepartmentFlagRule:
            return super().save_formset(request, form, formset, change)
        for rule in [f.instance for f in formset.forms if f.has_changed() or f in formset.deleted_forms]:
            rule._history_user = request.user
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            department = form.instance.pk
            transaction.on_commit(lambda: tasks.rescore_department.enqueue(department))


@admin.register(Unit)
class UnitAdmin(ReferenceDataAdmin):
    resource_classes = [resources.UnitResource]
    list_display = ["name", "department"]
    list_filter = ["department"]
    search_fields = ["name", "department__name"]
    list_select_related = ["department"]


@admin.register(Project)
class ProjectAdmin(ReferenceDataAdmin):
    resource_classes = [resources.ProjectResource]
    list_display = ["name", "unit"]
    list_filter = ["unit__department", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]


class ReadOnlyAdmin:
    """Rows shown in the admin that no one adds, changes or deletes there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorExportAdmin(ReadOnlyAdmin, ExportPagePolicy, ExportMixin, admin.ModelAdmin):
    """绩效指标 as one flat table to export; read-only, see resources.IndicatorResource for why."""

    resource_classes = [resources.IndicatorResource]
    export_formats = resources.EXPORT_FORMATS
    list_display = ["evaluation", "position", "level1", "level2", "name", "target", "actual", "weight", "score"]
    list_filter = ["evaluation__year", "evaluation__status", "evaluation__project__unit__department", "level1"]
    search_fields = ["name", "evaluation__project__name", "evaluation__project__unit__name"]
    list_select_related = ["evaluation__project__unit__department"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Roles are granted by someone else: nobody but a superuser changes their own profile, nor any
    superuser's (evaluations.roles)."""

    list_display = ["user", "role", "unit", "department"]
    list_filter = ["role", "department", "unit"]
    search_fields = ["user__username", "unit__name", "department__name"]
    list_select_related = ["user", "unit", "department"]
    autocomplete_fields = ["unit", "department"]

    def _is_off_limits(self, request, profile):
        if request.user.is_superuser or profile is None:
            return False
        return profile.user_id == request.user.pk or profile.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return not self._is_off_limits(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_off_limits(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.exclude(pk=request.user.pk).exclude(is_superuser=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _is_approved(evaluation):
    return evaluation is not None and evaluation.status == Evaluation.Status.APPROVED


class LockedWhenApprovedInline:
    """An approved evaluation is locked: only 撤销审核 on the review page reopens it."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and not _is_approved(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_approved(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_approved(obj)


class FundingLineInline(LockedWhenApprovedInline, admin.TabularInline):
    model = FundingLine
    extra = 0
    max_num = 4


class IndicatorInline(LockedWhenApprovedInline, admin.TabularInline):
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
    # Status changes only through the workflow, which writes their events.
    readonly_fields = [
        "status", "version", "computed_total", "computed_grade", "error_count", "warning_count", "flag_list",
    ]
    exclude = ["flag_codes"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_approved(obj)

    def has_delete_permission(self, request, obj=None):
        # Deleting an evaluation would take its workflow events and comments with it.
        return False

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
        form_checks.refresh_later_forms([evaluation])


class AuditTrailAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The audit trail, shown read-only to everyone: nothing here adds, changes or deletes a row."""


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(AuditTrailAdmin):
    list_display = ["created_at", "evaluation", "action", "from_status", "to_status", "actor", "comment"]
    list_filter = ["action", "created_at"]
    search_fields = ["evaluation__project__name", "actor__username", "comment"]
    list_select_related = ["evaluation__project", "actor"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(AuditTrailAdmin):
    list_display = ["created_at", "evaluation", "author", "text"]
    search_fields = ["evaluation__project__name", "author__username", "text"]
    list_select_related = ["evaluation__project", "author"]


class HistoryAdmin(AuditTrailAdmin):
    list_filter = ["history_type", "history_date"]
    search_fields = ["history_user__username", "history_change_reason"]


@admin.register(Evaluation.history.model)
class HistoricalEvaluationAdmin(HistoryAdmin):
    list_display = ["history_date", "history_type", "history_user", "project", "year", "status", "version",
                    "computed_total", "history_change_reason"]
    list_select_related = ["history_user", "project"]


@admin.register(FundingLine.history.model)
class HistoricalFundingLineAdmin(HistoryAdmin):
    list_display = ["history_date", "history_type", "history_user", "evaluation", "kind", "budget_full_year",
                    "executed"]
    list_select_related = ["history_user", "evaluation__project"]


@admin.register(Indicator.history.model)
class HistoricalIndicatorAdmin(HistoryAdmin):
    list_display = ["history_date", "history_type", "history_user", "evaluation", "position", "name", "score"]
    list_select_related = ["history_user", "evaluation__project"]


@admin.register(Profile.history.model)
class HistoricalProfileAdmin(HistoryAdmin):
    """Who granted which role, and when."""

    list_display = ["history_date", "history_type", "history_user", "user", "role", "unit", "department"]
    list_select_related = ["history_user", "user", "unit", "department"]


class SeparatedDutiesUserAdmin(UserAdmin):
    """系统管理员 manage accounts without being able to widen their own duties (separation of duties):
    only a superuser grants superuser status, groups or single permissions; nobody changes their own
    access or a superuser's account. An account's role is one field of its profile (ProfileAdmin)."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        fields += ["is_superuser", "groups", "user_permissions"]
        if obj is not None and obj.pk == request.user.pk:
            fields += ["is_staff", "is_active"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, SeparatedDutiesUserAdmin)
@admin.register(DepartmentFlagRule.history.model)
class HistoricalDepartmentFlagRuleAdmin(HistoryAdmin):
    list_display = ["history_date", "history_type", "history_user", "department", "code", "enabled", "severity"]
    list_select_related = ["history_user", "department"]
