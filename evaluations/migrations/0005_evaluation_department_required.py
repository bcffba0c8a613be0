# The department is filled in by 0004; a separate migration because PostgreSQL refuses to alter a
# table with deferred foreign key checks still pending from that update in the same transaction.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0004_evaluation_department'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evaluation',
            name='department',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='evaluations.department', verbose_name='主管部门'),
        ),
        migrations.AddIndex(
            model_name='evaluation',
            index=models.Index(fields=['department', 'year'], name='evaluations_departm_983d50_idx'),
        ),
    ]
