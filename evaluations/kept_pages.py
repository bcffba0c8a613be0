"""Pages drawn once and sent again while nothing they show has changed (PostgreSQL).

Every table of this project's apps, and the accounts table, has a trigger that notes each write in a
PageChange row, in the writing transaction itself, whatever writes it: a view, a task, a bulk update, the
admin or plain SQL. The row names the department whose pages the change touches (a table holding a
department or a form names that department; a form's text-reuse rows name both forms' departments), or
scope 0 when it may touch any page (names of units and projects, accounts, target tables, …). A
department's pages are kept under the count, the highest id and the counted statements of the rows of its
department and of scope 0; the finance bureau's under those of every row. The rows become visible with
the data they announce, at commit, and only ever grow (compact() aside, which adds a higher id), so the
key moves whenever a page could differ: a kept page is never stale, and no code has to remember to
invalidate anything. The key is read before the page is drawn, so a page is never older than its key.
SQLite has no triggers here: every page is drawn.
"""

from functools import wraps
from hashlib import sha256
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection, connections, transaction
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone

from evaluations import roles
from evaluations.access import can_review
from evaluations.models import Department, Evaluation, PageChange

FUNCTION = "zpb_note_page_changes"

# One row per transaction and scope, its count raised once per statement (a form's save writes dozens of
# rows; a bulk insert thousands in one statement). A transaction-local setting holds the statement that
# last counted and the row it counted in; it ends with the transaction, or with a rolled-back savepoint
# together with what it counted. Counting statements, not transactions, lets a page drawn later in the same
# transaction see the change too (a test's transaction; in production every request has its own).
NOTE_CHANGES = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(scopes bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    noted bigint;
    counted text;
    row_id bigint;
    statement text := statement_timestamp()::text;
BEGIN
    scopes := array_remove(scopes, NULL);
    IF cardinality(scopes) = 0 THEN
        scopes := ARRAY[{PageChange.PROVINCE}::bigint];
    END IF;
    FOREACH noted IN ARRAY scopes LOOP
        counted := coalesce(current_setting('zpb.page_change_' || noted, true), '');
        IF counted = '' THEN
            INSERT INTO {PageChange._meta.db_table} (scope, statements) VALUES (noted, 1) RETURNING id INTO row_id;
        ELSIF split_part(counted, '|', 1) <> statement THEN
            row_id := split_part(counted, '|', 2)::bigint;
            UPDATE {PageChange._meta.db_table} SET statements = statements + 1 WHERE id = row_id;
        ELSE
            CONTINUE;
        END IF;
        PERFORM set_config('zpb.page_change_' || noted, statement || '|' || row_id, true);
    END LOOP;
END $$;
"""


def _scope_expressions(model, columns, row) -> list[str]:
    """SQL for the departments a row of `model` touches (`row`: NEW or OLD); none means every page."""
    expressions = []
    for field in model._meta.concrete_fields:
        target = field.related_model if field.is_relation else None
        if field.column not in columns:  # added by a migration not yet run: the next migrate's install adds it
            continue
        if target is Department:
            expressions.append(f"{row}.{field.column}")
        elif target is Evaluation:
            expressions.append(f"(SELECT department_id FROM {Evaluation._meta.db_table} WHERE id = {row}.{field.column})")
    return expressions


def _updated_columns(model, columns) -> str:
    """The columns whose update counts: all but an account's last sign-in, which every sign-in writes and no
    kept page shows (a province signing in at nine would otherwise have every page drawn anew)."""
    if model is not get_user_model():
        return ""
    return " OF " + ", ".join(connection.ops.quote_name(column) for column in sorted(columns - {"last_login"}))


def _trigger_sql(model, columns) -> list[str]:
    table = model._meta.db_table
    function = f"zpb_page_change_{sha256(table.encode()).hexdigest()[:16]}"
    old, new = (", ".join(_scope_expressions(model, columns, row)) for row in ("OLD", "NEW"))
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN PERFORM {FUNCTION}(ARRAY[{new}]::bigint[]);
            ELSIF TG_OP = 'DELETE' THEN PERFORM {FUNCTION}(ARRAY[{old}]::bigint[]);
            ELSE PERFORM {FUNCTION}(ARRAY[{old}{', ' if old else ''}{new}]::bigint[]);
            END IF;
            RETURN NULL;
        END $$""",
        f'DROP TRIGGER IF EXISTS zpb_page_change ON "{table}"',
        f'CREATE TRIGGER zpb_page_change AFTER INSERT OR DELETE OR UPDATE{_updated_columns(model, columns)} '
        f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION {function}()',
    ]


def watched_models() -> list:
    """Every model with a table of its own in this project's apps, and the accounts."""
    ours = [config for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR]
    return [get_user_model()] + [
        model for config in ours for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model is not PageChange
    ]


def install_triggers(using="default", **kwargs):
    """Give every watched table its trigger, written for the columns it has now: from the migration that
    makes the log, and again after every migrate (reinstall_after_migrate), so later tables and columns
    count too."""
    target = connections[using]
    if target.vendor != "postgresql":
        return
    introspection = target.introspection
    with transaction.atomic(using=using), target.cursor() as cursor:
        tables = set(introspection.table_names(cursor))
        if PageChange._meta.db_table not in tables:  # migrated back to before the log
            return
        cursor.execute(NOTE_CHANGES)
        for model in watched_models():
            if model._meta.db_table in tables:
                columns = {column.name for column in introspection.get_table_description(cursor, model._meta.db_table)}
                for statement in _trigger_sql(model, columns):
                    cursor.execute(statement)


def reinstall_after_migrate(using="default", **kwargs):
    """post_migrate's receiver. A flush sends the signal too (between the tests that commit), without a
    migration plan: it empties tables and leaves their triggers as they are, so nothing is to be done."""
    if "plan" in kwargs:
        install_triggers(using)


def drop_triggers(using="default"):
    """Undo install_triggers (migrating back to before the log): every table's trigger and the functions."""
    target = connections[using]
    if target.vendor != "postgresql":
        return
    with target.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'zpb_page_change'")
        for (table,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER zpb_page_change ON {table}")
        cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'zpb_page_change_%'")
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION {function}()")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(bigint[])")


def compact():
    """Keep each scope's newest row and add one of scope 0 above them all: the log stays small and every
    key read afterwards differs from every key read before (kept pages are drawn once more)."""
    with transaction.atomic():
        newest = PageChange.objects.values("scope").annotate(newest=Max("id")).values("newest")
        removed, _ = PageChange.objects.exclude(id__in=newest).delete()
        PageChange.objects.create(scope=PageChange.PROVINCE)
    return removed


def _key(request, department) -> str | None:
    """The key of the page `request` asks for as its reader sees it now, or None when it must be drawn:
    no triggers (SQLite), a message waiting to be shown once, or no CSRF cookie yet (drawing sets one)."""
    csrf_secret = request.META.get("CSRF_COOKIE")
    if connection.vendor != "postgresql" or not csrf_secret or len(messages.get_messages(request)):
        return None
    # Plain SQL: on a kept page's request, compiling an ORM aggregate would cost about what the database does.
    changes = f"SELECT count(*), max(id), sum(statements) FROM {PageChange._meta.db_table}"
    with connection.cursor() as cursor:
        if department is None:
            cursor.execute(changes)
        else:
            cursor.execute(changes + " WHERE scope IN (%s, %s)", [department.pk, PageChange.PROVINCE])
        version = cursor.fetchone()
    # The reader as the request loaded them before the key was read, so a page drawn with an account
    # that changed meanwhile is kept under that account's old values; the page holds this browser's CSRF
    # token, the query and today's date (deadline reminders count days).
    user = request.user
    profile = getattr(user, "profile", None)
    reader = [field.value_from_object(record) for record in (user, profile) if record is not None
              for field in record._meta.concrete_fields]
    parts = [request.path, request.GET.urlencode(), csrf_secret, timezone.localdate(), version, reader]
    return "page:" + sha256(repr(parts).encode()).hexdigest()


def kept(view):
    """Send the page drawn before for the same reader, query and data, if any; keep a newly drawn one. A
    department's reviewer reads that department's pages; the finance bureau and the auditor read all."""

    @wraps(view)
    def kept_view(request, *args, **kwargs):
        department = roles.user_department(request.user) if can_review(request.user) else None
        key = _key(request, department) if request.method == "GET" else None
        if key and (drawn := caches["pages"].get(key)) is not None:
            return HttpResponse(drawn)
        response = view(request, *args, **kwargs)
        if key and response.status_code == 200 and not response.streaming and not response.has_header(
                "Content-Disposition"):
            caches["pages"].set(key, response.content, timeout=3600)
        return response

    return kept_view
