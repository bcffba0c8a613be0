"""zpb benchmarks at department scale. Each prints one line `name: value unit (N=…)`.

    python bench/run.py            # the full run (PostgreSQL, N as in bench/RESULTS.md)
    python bench/run.py --quick    # small N, within a minute
    python bench/run.py --only parse,import

The database is a fresh PostgreSQL database `zpb_bench` on 127.0.0.1 (dropped and created again),
or --database-url. Timings are wall-clock on this machine; see bench/RESULTS.md.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/zpb_bench"
FULL = {"parse": 10_000, "import": 10_000, "review": 10_000, "export": 1_000, "pdf": 100, "load": 30, "reuse": 10_000}
QUICK = {"parse": 500, "import": 200, "review": 300, "export": 50, "pdf": 10, "load": 5, "reuse": 300}
# Issue 17: the finance bureau's pages over a province, at 1,000 and at this many evaluations.
FULL["province"], QUICK["province"] = 100_000, 5_000
PROVINCE_SMALL = 1_000
# This machine's speed drifts by a quarter from minute to minute (a shared VM): repeat and take medians.
PARSE_RUNS = 5
PAGE_RUNS = 31
PDF_RUNS = 3
WARM_UP_SECONDS = 5


def report(name, value, unit, **sizes):
    detail = ", ".join(f"{key}={value}" for key, value in sizes.items())
    print(f"{name}: {value} {unit} ({detail})", flush=True)


def fresh_postgres_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url, static_root):
    """Production settings over plain HTTP on this machine: DEBUG off, hashed static files, no TLS."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zpb_site.settings")
    os.environ["DEBUG"] = "false"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_ROOT"] = str(static_root)
    os.environ.setdefault("SECRET_KEY", "zpb-benchmark-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)


def bench_parse(count, workdir):
    from generate import write_dump

    from importer import parsing

    path = workdir / f"parse-{count}.txt"
    with path.open("w", encoding="utf-8") as out:
        write_dump(count, out)
    data = path.read_bytes()
    rates = []
    for _ in range(PARSE_RUNS):
        started = time.perf_counter()
        forms, errors = parsing.parse_bytes(data, path.name)
        rates.append(count / (time.perf_counter() - started))
        assert len(forms) == count and not errors, (len(forms), errors[:3])
    rates.sort()
    report("parse", f"{rates[len(rates) // 2]:,.0f}", f"forms/s, median of {PARSE_RUNS} runs "
           f"({rates[0]:,.0f}–{rates[-1]:,.0f})", N=count)


def bench_import(count, workdir):
    from io import StringIO

    from django.core.management import call_command
    from generate import write_dump

    from evaluations.models import Evaluation, Indicator
    from seed import clear

    path = workdir / f"import-{count}.txt"
    with path.open("w", encoding="utf-8") as out:
        write_dump(count, out, seed=7)
    clear()
    started = time.perf_counter()
    call_command("import_dumps", str(path), stdout=StringIO(), stderr=StringIO())
    elapsed = time.perf_counter() - started
    assert Evaluation.objects.count() == count
    rows = Indicator.objects.count()
    report("import", f"{count / elapsed:,.0f}", "forms/s", N=count, indicators=rows)
    ratio_to_import_export(rows, elapsed)


def ratio_to_import_export(rows, zpb_seconds):
    """The same indicator rows through a django-import-export bulk import, for scale."""
    import tablib
    from import_export import resources

    from evaluations.models import Indicator

    class IndicatorResource(resources.ModelResource):
        class Meta:
            model = Indicator
            fields = ("evaluation", "position", "level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True

    exported = list(Indicator.objects.values_list(*IndicatorResource.Meta.fields))
    Indicator.objects.all().delete()
    dataset = tablib.Dataset(*exported, headers=IndicatorResource.Meta.fields)
    started = time.perf_counter()
    result = IndicatorResource().import_data(dataset, raise_errors=True, use_transactions=True)
    elapsed = time.perf_counter() - started
    assert Indicator.objects.count() == rows and not result.has_errors()
    report("import_vs_import_export", f"{zpb_seconds / elapsed:.2f}",
           "× the time of a django-import-export bulk import of the indicator rows alone", rows=rows,
           import_export_seconds=f"{elapsed:.1f}")


def bench_review(count, workdir):
    """Median server time and query count of the reviewer's pages, at 100 and at `count` evaluations."""
    from django.test import Client
    from seed import seed

    from evaluations.models import Evaluation

    for size in sorted({min(100, count), count}):
        reviewer = seed(size)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(reviewer)
        one = Evaluation.objects.filter(department=reviewer.profile.department).first()
        pages = {
            "review_queue": "/review/",
            "review_queue_filtered": "/review/?status=submitted&errors=no&sort=-total&page=3",
            "review_page": f"/review/{one.pk}/",
            "dashboard": f"/dashboard/?year={one.year}",
        }
        for name, url in pages.items():
            milliseconds, _, queries = _median_page(client, url, drawn=True)
            report(name, f"{milliseconds:.1f}", f"ms median, {queries} queries (drawn)", N=size)


# Common characters, the first ones several times over, so that character pairs are as unevenly common as in
# real writing (a uniform alphabet would make every pair rare and the pair filter look better than it is).
REUSE_ALPHABET = "的一是在不了有和人这中大为上个" * 6 + (
    "国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")


def bench_reuse(count, workdir):
    """W_TEXT_REUSED at department scale: every indicator of `count` forms explained in its own words (and
    every 实际完成情况 written), then what it adds to saving one form: finding that form's texts among all
    the department's, its partners followed up, and the rescore."""
    from statistics import median

    from django.db import connection, transaction
    from seed import seed

    from evaluations import reuse
    from evaluations.models import Evaluation, Indicator

    seed(count)
    with connection.cursor() as cursor:
        # Random texts of 20–79 characters per indicator and 100–299 per form, drawn row by row.
        cursor.execute(
            "UPDATE evaluations_indicator AS i SET deviation = (SELECT string_agg(substr(%s, 1 + floor(random() * %s)::int, 1), '')"
            " FROM generate_series(1, 20 + i.id %% 60))", [REUSE_ALPHABET, len(REUSE_ALPHABET)])
        cursor.execute(
            "UPDATE evaluations_evaluation AS e SET goal_actual = (SELECT string_agg(substr(%s, 1 + floor(random() * %s)::int, 1), '')"
            " FROM generate_series(1, 100 + e.id %% 200))", [REUSE_ALPHABET, len(REUSE_ALPHABET)])
        cursor.execute("VACUUM ANALYZE")
    texts = Indicator.objects.count() + count
    forms = list(Evaluation.objects.prefetch_related("funding_lines", "indicators").order_by("?")[:PAGE_RUNS])
    every, one = [], []
    for evaluation in forms:
        # Every text searched (a form imported again, or whose every text was rewritten) ...
        started = time.perf_counter()
        with transaction.atomic():
            reuse.refresh(evaluation)
            evaluation.rescore()
        every.append(time.perf_counter() - started)
        # ... and a save that rewrote one explanation, as an entry page save passes the texts it replaced.
        figures = evaluation.figures()
        before = dict(reuse.texts_of(evaluation.goal_actual, figures))
        figures.indicators[0].deviation = figures.indicators[0].deviation[::-1]
        started = time.perf_counter()
        with transaction.atomic():
            Indicator.objects.filter(evaluation=evaluation, position=1).update(deviation=figures.indicators[0].deviation)
            reuse.refresh(evaluation, figures, before)
            evaluation.rescore(figures=figures)
        one.append(time.perf_counter() - started)
    report("reuse_save", f"{median(every) * 1000:.0f}", f"ms median of {PAGE_RUNS} forms, every text searched, "
           f"max {max(every) * 1000:.0f} ms", N=count, texts=texts)
    report("reuse_save_one_text", f"{median(one) * 1000:.0f}", f"ms median of {PAGE_RUNS} forms, one explanation "
           f"rewritten, max {max(one) * 1000:.0f} ms", N=count, texts=texts)
    started = time.perf_counter()
    reuse.department_index([evaluation.department_id])
    loaded = time.perf_counter() - started
    report("reuse_index", f"{loaded * 1000:.0f}", "ms to read and index the department's texts", N=count, texts=texts)


# The export in a process of its own, which prints its peak resident memory (VmHWM) when done. (The
# rusage of a child counts the pages it shared with this, much bigger, process before it started.)
EXPORT_AND_REPORT_PEAK = (
    "import sys, django; django.setup(); from django.core.management import call_command; "
    "call_command('export_xlsx', *sys.argv[1:]); "
    "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))"
)


def bench_export(count, workdir):
    """Seconds and peak memory of a batch workbook of `count` evaluations, in a fresh process."""
    import subprocess

    from openpyxl import load_workbook
    from seed import DEPARTMENT, YEAR, seed

    seed(count)
    output = workdir / "export.xlsx"
    started = time.perf_counter()
    export = subprocess.run([sys.executable, "-c", EXPORT_AND_REPORT_PEAK, "--year", str(YEAR), "--department",
                             DEPARTMENT, "-o", str(output)], cwd=ROOT, env=os.environ, check=True,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_kb = int(export.stdout.split()[-1])
    sheets = len(load_workbook(output, read_only=True).sheetnames) - 1
    report("export", f"{elapsed:.1f}", f"s, peak {peak_kb / 1024:.0f} MB, {output.stat().st_size / 1e6:.1f} MB file",
           N=sheets)


def bench_pdf(count, workdir):
    """PDF import speed: our export of `count` forms printed to PDF by LibreOffice, read by
    importer.sources.parse_file, against pdfplumber alone extracting the same pages' tables."""
    import io
    import subprocess

    import pdfplumber
    from seed import DEPARTMENT, YEAR, seed

    from evaluations.models import Evaluation
    from evaluations.views.export import filtered_evaluations, write_batch
    from importer import parsing
    from importer.sources import parse_file

    seed(count)
    workbook = workdir / "pdf-source.xlsx"
    with workbook.open("wb") as out:
        write_batch(out, filtered_evaluations(Evaluation.objects.all(), {"year": YEAR}))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(workbook)],
                   check=True, capture_output=True)
    data = (workdir / "pdf-source.pdf").read_bytes()

    def pdfplumber_tables():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_tables()
            return len(pdf.pages)

    pages = pdfplumber_tables()
    try:
        forms, errors = parse_file(data, "bench.pdf")
    except parsing.ParseError as error:
        report("pdf", "not measured", f"— importer.sources.parse_file refuses the PDF: {error}", N=pages)
        return
    if len(forms) != count or errors:
        report("pdf", "not measured", f"— read {len(forms)} of {count} forms, {len(errors)} errors "
               f"({errors[0].message if errors else ''})", N=pages)
        return
    zpb, alone = [], []
    for _ in range(PDF_RUNS):  # interleaved, so the machine's drift touches both alike
        for times, run in ((alone, pdfplumber_tables), (zpb, lambda: parse_file(data, "bench.pdf"))):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    zpb_s, alone_s = sorted(zpb)[PDF_RUNS // 2], sorted(alone)[PDF_RUNS // 2]
    report("pdf", f"{pages / zpb_s:.1f}", f"pages/s, {zpb_s / alone_s:.2f}× pdfplumber's extract_tables alone "
           f"({pages / alone_s:.1f} pages/s), medians of {PDF_RUNS}", N=pages, forms=count)


def bench_load(seconds, workdir, connections=50, workers=2, user=None):
    """`connections` clients for `seconds` on the review queue, served by gunicorn against this database:
    `user`'s queue over the data in place, or else the bench reviewer's over a department seeded for it."""
    import asyncio
    import socket
    import subprocess

    from django.test import Client

    from evaluations.models import Evaluation
    from seed import reviewer, seed

    if user is None:
        department_size = FULL["review"] if seconds >= FULL["load"] else QUICK["review"]
        if Evaluation.objects.count() != department_size:  # the export benchmark leaves fewer
            seed(department_size)
        user = reviewer()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get("/review/")  # as a browser: its first page sets the CSRF cookie it sends from then on
    cookie = "; ".join(f"{name}={client.cookies[name].value}" for name in ("sessionid", "csrftoken"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zpb_site.wsgi", "-c", str(ROOT / "zpb_site" / "gunicorn.conf.py"),
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        asyncio.run(_wait_for_port(port))
        # Warm up, unmeasured: gunicorn answers on its port before its workers have loaded the app, and each
        # worker process starts with empty caches; the figures are of the server in its steady state.
        asyncio.run(_drive(port, "/review/", cookie, WARM_UP_SECONDS, connections))
        before = _cpu_seconds(server.pid)
        latencies, errors = asyncio.run(_drive(port, "/review/", cookie, seconds, connections))
        used = {name: spent - before[name] for name, spent in _cpu_seconds(server.pid).items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else float("nan")
    report("load", f"{len(latencies) / seconds:.1f}", f"requests/s, p95 {p95:.0f} ms, {errors} errors",
           connections=connections, seconds=seconds, gunicorn_workers=workers,
           evaluations=Evaluation.objects.count())
    answered = max(len(latencies), 1)
    report("load_cpu", f"{sum(used.values()) * 1000 / answered:.1f}", "ms of CPU per request ("
           + ", ".join(f"{name} {spent * 1000 / answered:.1f}" for name, spent in used.items()) + ")",
           cores=os.cpu_count())


def bench_province(count, workdir, reuse=False, load=True):
    """Median server time and query count of the finance bureau's pages and a department's, over a
    province (50 departments, 2,000 units) of 1,000 and of `count` evaluations; then the load test on a
    department reviewer's queue at `count`. `reuse`: the pages only, over the province a previous run left."""
    from django.contrib.auth.models import User
    from django.test import Client
    from seed import YEAR, seed_province

    from evaluations.models import Evaluation

    for size in [Evaluation.objects.count()] if reuse else sorted({min(PROVINCE_SMALL, count), count}):
        if reuse:
            finance = User.objects.get(username="bench-finance")
            reviewers = {user.profile.department_id: user for user in
                         User.objects.filter(username__startswith="bench-reviewer-").select_related("profile")}
        else:
            started = time.perf_counter()
            finance, reviewers = seed_province(size)
            report("province_seed", f"{time.perf_counter() - started:.0f}", "s to generate, import and set statuses",
                   N=size)
        one = Evaluation.objects.filter(year=YEAR).order_by("pk")[size // 2]
        reviewer = reviewers[one.department_id]
        as_finance, as_reviewer = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
        as_finance.force_login(finance)
        as_reviewer.force_login(reviewer)
        pages = {
            "province_finance_queue": (as_finance, f"/finance/?year={YEAR}"),
            "province_review_page": (as_reviewer, f"/review/{one.pk}/"),
            "province_finance_dashboard": (as_finance, f"/dashboard/?year={YEAR}"),
            "province_completeness_finance": (as_finance, f"/completeness/?year={YEAR}"),
            "province_completeness_department": (as_reviewer, f"/completeness/?year={YEAR}"),
            "province_review_queue": (as_reviewer, "/review/"),
        }
        for name, (client, url) in pages.items():
            for drawn, state in ((True, "drawn"), (False, "kept: nothing changed")):
                milliseconds, cpu, queries = _median_page(client, url, drawn=drawn)
                report(name + ("_drawn" if drawn else ""), f"{milliseconds:.1f}", f"ms median ({cpu:.1f} ms of this "
                       f"process's CPU), {queries} queries ({state})", N=size)
    if load:
        bench_load(FULL["load"] if count >= FULL["province"] else QUICK["load"], workdir, user=reviewer)


def _median_page(client, url, drawn=False):
    """(median milliseconds, median milliseconds of this process's CPU, the most frequent query count) of
    PAGE_RUNS requests of `url`. The CPU is the app's Python (the client is in-process), not PostgreSQL's; on a
    shared machine it drifts less than the wall time. (A request now and then also refreshes the session's
    idle timeout: three queries more, whatever the data.) With `drawn`, each request carries a query parameter
    of its own that no page reads, so a page kept while nothing it shows has changed (evaluations/kept_pages.py)
    is drawn every time, as after each change."""
    from collections import Counter
    from statistics import median

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    timings, cpu, counts = [], [], Counter()
    for run in range(PAGE_RUNS):
        reset_queries()  # the query log keeps 9,000 queries; past that the count reads 0
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(f"{url}{'&' if '?' in url else '?'}run={run}" if drawn else url)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (url, response.status_code)
        counts[len(queries)] += 1
    return median(timings) * 1000, median(cpu) * 1000, counts.most_common(1)[0][0]


def _cpu_seconds(server_pid):
    """CPU seconds (user + system) used so far by the app processes, PostgreSQL and this load client."""
    import resource

    tick = os.sysconf("SC_CLK_TCK")
    app = database = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if name == "postgres":
            database += seconds
        elif int(fields[1]) == server_pid or int(stat.parent.name) == server_pid:
            app += seconds
    client = resource.getrusage(resource.RUSAGE_SELF)
    return {"app": app, "database": database, "client": client.ru_utime + client.ru_stime}


async def _wait_for_port(port, timeout=30):
    import asyncio

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


async def _drive(port, path, cookie, seconds, connections):
    """Closed loop: each client sends its next request when the last answer is in. (latencies, errors)"""
    import asyncio

    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
               "Connection: close\r\n\r\n").encode()
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds

    async def client():
        nonlocal errors
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                await writer.drain()
                answer = await reader.read()
                writer.close()
                ok = answer.startswith(b"HTTP/1.1 200") and "审核队列".encode() in answer
            except OSError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1

    await asyncio.gather(*(client() for _ in range(connections)))
    return latencies, errors


BENCHMARKS = {
    "parse": bench_parse, "import": bench_import, "review": bench_review, "export": bench_export, "pdf": bench_pdf,
    "load": bench_load, "reuse": bench_reuse, "province": bench_province,
}


def main():
    parser = argparse.ArgumentParser(description="zpb benchmarks")
    parser.add_argument("--quick", action="store_true", help="small N, within a minute")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ",".join(BENCHMARKS))
    parser.add_argument("--database-url", default=os.getenv("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--load-connections", type=int, default=50, help="concurrent clients of the load benchmark")
    parser.add_argument("--reuse-database", action="store_true",
                        help="province: time the pages (and the load test) over the province the last run left in "
                             "the database, without dropping or seeding it")
    parser.add_argument("--no-load", action="store_true", help="province: skip the load test")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    if args.reuse_database and chosen != ["province"]:
        parser.error("--reuse-database is for --only province")
    if args.database_url.startswith("postgres") and not args.reuse_database:
        fresh_postgres_database(args.database_url)
    print(f"# zpb benchmarks, {'quick' if args.quick else 'full'} run, {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(args.database_url, Path(workdir) / "static")
        for name in chosen:
            if name == "load":
                bench_load(sizes[name], Path(workdir), connections=args.load_connections)
            elif name == "province":
                bench_province(sizes[name], Path(workdir), reuse=args.reuse_database, load=not args.no_load)
            else:
                BENCHMARKS[name](sizes[name], Path(workdir))


if __name__ == "__main__":
    main()
