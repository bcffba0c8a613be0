"""Load N generated evaluations straight into the configured database, and the users to look at them.

Every form goes to one department (上海市科学技术委员会) and one year (2023), so its reviewer sees all N
in the queue, the dashboard and a year's export.
Run inside a configured Django (bench/run.py does that).
"""

import io

from django.contrib.auth.models import User
from django.db import connection

from evaluations import roles
from evaluations.models import Department, Evaluation, FundingLine, Indicator, Profile
from generate import write_dump
from importer import loader, parsing

DEPARTMENT = "上海市科学技术委员会"
YEAR = 2023
PASSWORD = "Bench-2026-zpb"


def seed(count: int, seed: int = 11):
    """Replace every evaluation with `count` generated ones; return the reviewer who sees them all."""
    clear()
    text = io.StringIO()
    write_dump(count, text, seed=seed, departments=[DEPARTMENT], years=[YEAR])
    forms, errors = parsing.parse_text(text.getvalue(), "bench.txt")
    assert not errors, errors[:3]
    failures = [result for _, result in loader.load_forms(forms) if isinstance(result, Exception)]
    assert not failures, failures[:3]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load in production
    return reviewer()


def clear():
    """Drop every evaluation and its trail at once (a cascading ORM delete writes a history row per row)."""
    tables = [Evaluation._meta.db_table, *(m.history.model._meta.db_table for m in (Evaluation, FundingLine, Indicator))]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def reviewer():
    user, created = User.objects.get_or_create(username="bench-reviewer")
    if created:
        user.set_password(PASSWORD)
        user.save()
        Profile.objects.create(user=user, role=roles.REVIEWER, department=Department.objects.get(name=DEPARTMENT))
    return user
