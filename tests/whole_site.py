"""For the tests that try the whole site: every named URL, read from the URLconf, and a snapshot of the data."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evaluations.models import Evaluation, Profile, Unit
from targets.models import TargetTable


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def site_url_names():
    """{name: [argument names]} of every named URL outside the admin site (which has tests of its own)."""
    return {name: sorted(pattern.pattern.converters) for name, pattern in _walk(get_resolver().url_patterns)
            if not name.startswith("admin:")}


# URLs of a target table (the evaluation's project and year), and of a project.
TARGET_TABLE_URLS = {"target_table", "target_approve", "target_return", "target_start_evaluation", "target_export",
                     "monitoring_entry"}
PROJECT_URLS = {"project_years"}


def site_url(name, evaluation, staged_import=None):
    """The site URL `name` for `evaluation`: its id, its department and year, its project or target table; an
    import page's staged import."""
    if name.startswith("import_") and staged_import:
        pk = staged_import.pk
    elif name in TARGET_TABLE_URLS:
        table = TargetTable.objects.filter(project=evaluation.project, year=evaluation.year).first()
        pk = table.pk if table else 0
    elif name in PROJECT_URLS:
        pk = evaluation.project_id
    else:
        pk = evaluation.pk
    values = {"pk": pk, "department_pk": evaluation.department_id, "year": evaluation.year}
    return reverse(name, kwargs={argument: values[argument] for argument in site_url_names()[name]})


def admin_url_names():
    """{name: [argument names]} of the admin site's named URLs."""
    return {name: sorted(pattern.pattern.regex.groupindex) for name, pattern in _walk(get_resolver().url_patterns)
            if name.startswith("admin:")}



def snapshot():
    """Everything a refused request could have changed: row counts, each evaluation's state, accounts and rights."""
    counts = {model._meta.label: model.objects.count()
              for app in ("evaluations", "importer", "auth", "targets") for model in apps.get_app_config(app).get_models()}
    return (
        counts,
        list(Evaluation.objects.order_by("pk").values_list("pk", "status", "version", "goal_actual")),
        list(User.objects.order_by("pk").values_list("username", "is_superuser", "is_staff", "is_active", "password")),
        sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        sorted(Group.permissions.through.objects.values_list("group_id", "permission_id")),
        list(Profile.objects.order_by("pk").values_list("user_id", "role", "unit_id", "department_id")),
        list(Profile.objects.order_by("pk").values_list("user_id", "role", "unit_id", "department_id")),
        list(Unit.objects.order_by("pk").values_list("name", "department_id")),
        list(TargetTable.objects.order_by("pk").values_list("pk", "status", "version", "goal")),
    )


def _admin_model(name):
    """The model of admin URL `name` (admin:<app label>_<model>_<view>; app labels and views may hold "_")."""
    bare = name.removeprefix("admin:")
    matches = [model for model in admin.site._registry if bare.startswith(f"{model._meta.app_label}_{model._meta.model_name}_")]
    return max(matches, key=lambda model: len(model._meta.label))


def admin_url(name, names):
    """The admin URL `name` for a real object of its model (the first one), or for the evaluations app."""
    kwargs = {}
    for argument in names:
        if argument == "app_label":
            kwargs[argument] = "evaluations"
        elif argument == "content_type_id":
            kwargs[argument] = ContentType.objects.get_for_model(Evaluation).pk
        elif argument in ("object_id", "id") and name != "admin:view_on_site":
            first = _admin_model(name).objects.order_by("pk").first()
            kwargs[argument] = first.pk if first else 1
        else:
            kwargs[argument] = Evaluation.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    return reverse(name, kwargs=kwargs)
