# Fills in the columns 0007 added. Its own migration: PostgreSQL refuses the indexes 0007 creates at its end
# while this update's deferred foreign key checks are pending in the same transaction.

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_units_and_funding_totals(apps, schema_editor):
    """Every evaluation (and history row) gets its project's unit; evaluations get their total line's figures."""
    Project = apps.get_model("evaluations", "Project")
    FundingLine = apps.get_model("evaluations", "FundingLine")
    for model_name in ("Evaluation", "HistoricalEvaluation"):
        model = apps.get_model("evaluations", model_name)
        model.objects.update(unit=Subquery(Project.objects.filter(pk=OuterRef("project_id")).values("unit")[:1]))
    total_line = FundingLine.objects.filter(evaluation=OuterRef("pk"), kind="total")
    apps.get_model("evaluations", "Evaluation").objects.update(
        total_budget=Subquery(total_line.values("budget_full_year")[:1]),
        total_executed=Subquery(total_line.values("executed")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0007_evaluation_unit_and_funding_totals'),
    ]

    operations = [
        migrations.RunPython(copy_units_and_funding_totals, migrations.RunPython.noop),
    ]
