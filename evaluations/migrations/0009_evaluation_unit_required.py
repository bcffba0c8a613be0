# The unit is filled in by 0008; a separate migration for the same reason as 0005.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0008_evaluation_unit_and_funding_totals_filled_in'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evaluation',
            name='unit',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='evaluations.unit', verbose_name='实施单位'),
        ),
    ]
