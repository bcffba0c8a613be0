"""The README's backup procedure gives back the database exactly: pg_dump -Fc of a database holding the
demo data and a form written in Chinese, emoji and a rare CJK character (outside the Basic Multilingual
Plane), restored with pg_restore into a fresh database, holds every row of every table byte for byte."""

import shutil
import subprocess
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

from evaluations import workflow
from tests import factory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the backup procedure is PostgreSQL's pg_dump")

RARE = "𠀀"  # U+20000, four bytes in UTF-8
GOAL = f"完成“{RARE}”字库建设😀，覆盖𪚥、𠮷等生僻字；金额￥1,000.00万元。"


def pg_tool(name):
    """The client program of the server's own major version: pg_dump refuses to dump a newer server."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    path = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} (PostgreSQL {major}) is needed for the backup procedure"
    return found


def conninfo(dbname):
    """The libpq connection string of `dbname` on the test server, for psycopg and the client programs."""
    db = connection.settings_dict
    options = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    return make_conninfo(dbname=dbname, **{key: str(value) for key, value in options.items() if value})


def table_contents(dbname):
    """{table: its rows as COPY writes them (bytes), sorted} for every table, and {sequence: last value}."""
    with psycopg.connect(conninfo(dbname)) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = {}
        for (table,) in cursor.fetchall():
            with cursor.copy(sql.SQL("COPY {} TO STDOUT").format(sql.Identifier(table))) as copy:
                tables[table] = sorted(b"".join(copy).splitlines())
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        return tables, dict(cursor.fetchall())


def write_a_form_in_rare_characters():
    staff, reviewer = factory.make_staff("chen"), factory.make_reviewer("lin")
    figures = factory.clean_figures()
    figures.indicators[0].name = f"{RARE}字库收录数量"
    figures.indicators[2].deviation = "满意度调查样本偏少😅，下年度扩大到各区。"
    evaluation = factory.make_evaluation(factory.make_project(f"生僻字{RARE}库建设😀", staff.profile.unit), year=2024,
                                         figures=figures, goal_expected=GOAL, goal_actual=GOAL)
    workflow.submit(evaluation, staff)
    workflow.return_for_revision(evaluation, reviewer, f"请核对“{RARE}”的写法🙏")
    return evaluation


@pytest.fixture
def restore_database():
    """A fresh, empty database to restore into; dropped at the end."""
    name = f"zpb_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo("postgres"), autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(conninfo("postgres"), autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_give_back_every_row_byte_for_byte(restore_database, tmp_path):
    call_command("load_demo", stdout=StringIO())
    evaluation = write_a_form_in_rare_characters()
    source = connection.settings_dict["NAME"]
    backup = tmp_path / "zpb.dump"

    subprocess.run([pg_tool("pg_dump"), "-Fc", "-f", str(backup), "-d", conninfo(source)], check=True)
    subprocess.run(
        [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error", "-d", conninfo(restore_database),
         str(backup)],
        check=True,
    )

    original, original_sequences = table_contents(source)
    restored, restored_sequences = table_contents(restore_database)
    assert restored.keys() == original.keys()
    for table in original:
        assert restored[table] == original[table], table
    assert restored_sequences == original_sequences  # new rows after a restore get fresh ids
    # What was compared holds the demo data, the rare characters and their history and workflow.
    assert len(original["evaluations_evaluation"]) == 9  # the demo's six sample forms and two more, and this test's
    for table in ("evaluations_historicalevaluation", "evaluations_historicalindicator", "evaluations_workflowevent",
                  "evaluations_reviewcomment", "evaluations_indicator"):
        assert any(RARE.encode() in row for row in original[table]), table
    with psycopg.connect(conninfo(restore_database)) as db:
        stored = db.execute("SELECT goal_expected, goal_actual FROM evaluations_evaluation WHERE id = %s",
                            [evaluation.pk]).fetchone()
    assert stored == (GOAL, GOAL)
