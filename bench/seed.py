"""Load N generated evaluations straight into the configured database, and the users to look at them.

seed(): every form goes to one department (上海市科学技术委员会) and one year (2023), so its reviewer sees
all N in the queue, the dashboard and a year's export.
seed_province(): N forms over 50 departments and 2,000 units, most of them 2023, as the finance bureau
sees a province (issue 17), with a reviewer per department, the finance bureau and due dates.
Run inside a configured Django (bench/run.py does that).
"""

import io
import random
from datetime import date, datetime, timezone

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from evaluations import roles
from evaluations.models import Department, DepartmentYear, Evaluation, FundingLine, Indicator, Profile
from generate import form_lines, province_departments, write_dump
from importer import loader, parsing

DEPARTMENT = "上海市科学技术委员会"
YEAR = 2023
PASSWORD = "Bench-2026-zpb"


def seed(count: int, seed: int = 11):
    """Replace every evaluation with `count` generated ones; return the reviewer who sees them all."""
    clear()
    text = io.StringIO()
    write_dump(count, text, seed=seed, departments=[DEPARTMENT], years=[YEAR])
    _load(text.getvalue())
    _analyze()
    return reviewer()


def _load(text):
    forms, errors = parsing.parse_text(text, "bench.txt")
    assert not errors, errors[:3]
    failures = [result for _, result in loader.load_forms(forms) if isinstance(result, Exception)]
    assert not failures, failures[:3]


def _analyze():
    if connection.vendor == "postgresql":
        call_command("compact_page_changes")  # what the nightly job does (README)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load in production


PROVINCE_DEPARTMENTS = 50
UNITS_PER_DEPARTMENT = 40  # 2,000 units
# A tenth of the forms are of the year before; of those projects, the ones without a 2023 form are missing.
PROVINCE_YEARS = [YEAR] * 9 + [YEAR - 1]
DUE_DATE = date(YEAR + 1, 3, 31)
CHUNK = 10_000  # forms parsed and loaded at a time, to keep memory flat


def seed_province(count: int, seed: int = 17):
    """Replace every evaluation with `count` forms over the province; return (finance user, reviewers by department pk).

    Statuses as the finance bureau meets them: 7 in 10 approved, 2 submitted, 1 returned; first submissions
    spread over the two months around the due date, so some are late."""
    clear()
    rng = random.Random(seed)
    departments = province_departments(PROVINCE_DEPARTMENTS)
    for start in range(1, count + 1, CHUNK):
        text = "\n".join("\n".join(form_lines(rng, number, departments, PROVINCE_YEARS, UNITS_PER_DEPARTMENT))
                         for number in range(start, min(start + CHUNK, count + 1)))
        _load(text + "\n")
    _set_statuses()
    for department in Department.objects.filter(name__in=departments):
        DepartmentYear.objects.update_or_create(department=department, year=YEAR, defaults={"due_date": DUE_DATE})
    call_command("recount_tallies")  # the statuses above were set behind the app's back
    _analyze()
    password = make_password(PASSWORD)  # hashed once for the fifty reviewers
    reviewers = {department.pk: _user(f"bench-reviewer-{department.pk}", roles.REVIEWER, department, password)
                 for department in Department.objects.filter(name__in=departments)}
    return _user("bench-finance", roles.FINANCE), reviewers


def _set_statuses():
    due = datetime.combine(DUE_DATE, datetime.min.time(), tzinfo=timezone.utc)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Evaluation._meta.db_table} SET status = CASE WHEN id %% 10 < 7 THEN %s WHEN id %% 10 < 9 "
            "THEN %s ELSE %s END, submitted_at = %s + (id %% 60 - 30) * interval '1 day'",
            [Evaluation.Status.APPROVED, Evaluation.Status.SUBMITTED, Evaluation.Status.RETURNED, due],
        )


def _user(username, role, department=None, password=None):
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.password = password or make_password(PASSWORD)
        user.save()
        Profile.objects.create(user=user, role=role, department=department)
    return user


def clear():
    """Drop every evaluation and its trail at once (a cascading ORM delete writes a history row per row)."""
    tables = [Evaluation._meta.db_table, *(m.history.model._meta.db_table for m in (Evaluation, FundingLine, Indicator))]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def reviewer():
    department, _ = Department.objects.get_or_create(name=DEPARTMENT)
    return _user("bench-reviewer", roles.REVIEWER, department)


def multiply_province(times: int):
    """Make the province `times` as large by copying, in SQL, every form with its funding lines, indicators and
    events under a new project of the same unit ("name（k）"); then statuses and submissions set again by id as
    seed_province sets them, the tallies recounted. PostgreSQL only. For a 100,000-form province when the
    importer's per-form checks (the targets' two queries a form) make seeding it take hours on this machine."""
    from evaluations.models import Project, WorkflowEvent

    def columns(model, *without):
        return [field.column for field in model._meta.concrete_fields if not field.primary_key
                and field.column not in without]

    evaluation, project = Evaluation._meta.db_table, Project._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {project} (unit_id, name) SELECT p.unit_id, p.name || '（' || k || '）' FROM {project} p "
            f"CROSS JOIN generate_series(1, %s) k WHERE p.id IN (SELECT project_id FROM {evaluation})", [times - 1])
        kept = columns(Evaluation, "project_id")
        cursor.execute(
            f"CREATE TEMP TABLE copies AS SELECT e.id AS old_id, np.id AS project_id, e.year FROM {evaluation} e "
            f"JOIN {project} p ON p.id = e.project_id CROSS JOIN generate_series(1, %s) k "
            f"JOIN {project} np ON np.unit_id = p.unit_id AND np.name = p.name || '（' || k || '）'", [times - 1])
        cursor.execute(
            f"INSERT INTO {evaluation} ({', '.join(kept)}, project_id) SELECT {', '.join('e.' + c for c in kept)}, "
            f"c.project_id FROM {evaluation} e JOIN copies c ON c.old_id = e.id")
        cursor.execute("ALTER TABLE copies ADD COLUMN new_id bigint")
        cursor.execute(f"UPDATE copies c SET new_id = e.id FROM {evaluation} e "
                       "WHERE e.project_id = c.project_id AND e.year = c.year")
        for model in (FundingLine, Indicator, WorkflowEvent):
            kept = columns(model, "evaluation_id")
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({', '.join(kept)}, evaluation_id) "
                f"SELECT {', '.join('r.' + c for c in kept)}, c.new_id FROM {model._meta.db_table} r "
                "JOIN copies c ON c.old_id = r.evaluation_id")
        cursor.execute("DROP TABLE copies")
    _set_statuses()
    call_command("recount_tallies")
    _analyze()
