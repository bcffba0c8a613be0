"""Two gunicorn processes behind one site serve one person in turn: signed in on one, they carry on on
the other, and an upload staged on one is confirmed on the other. Nothing lives on an app server's disk.

The processes run as `make serve` runs them (DEBUG off, zpb_site/gunicorn.conf.py, whitenoise serving
what collectstatic wrote). The test talks to them the way the TLS-terminating proxy in front of them
does: plain HTTP, the site's host name, X-Forwarded-Proto: https; so the production security settings
(HTTPS redirect, secure cookies, CSRF origin checks) stay on.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from evaluations.models import Evaluation
from importer.models import StagedImport
from tests import factory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several app processes sharing one database is the PostgreSQL deployment; SQLite is for one process",
)

BASE_DIR = Path(__file__).resolve().parent.parent
SAMPLE = BASE_DIR / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
SITE = "zpb.example.cn"
PASSWORD = "Zpb-serve-2026"
SECRET_KEY = uuid.uuid4().hex * 2  # one for all app processes: it signs the session and CSRF cookies they share


def database_url():
    """The test database, for the app processes."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}{port}/{quote(db['NAME'], safe='')}"


def production_environment(static_root, port=0):
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": SITE,
        "ZPB_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "STATIC_ROOT": str(static_root),
        "WEB_CONCURRENCY": "1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR, env=production_environment(static_root), check=True,
    )
    return static_root


@pytest.fixture
def app_servers(transactional_db, static_root, tmp_path):
    """Start app processes on free ports; each is stopped at the end, whatever happened."""
    processes = []

    def start(count):
        starting = []
        for number in range(count):
            port = free_port()
            log = open(tmp_path / f"gunicorn-{number}.log", "wb")
            process = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "-c", "zpb_site/gunicorn.conf.py", "zpb_site.wsgi"],
                cwd=BASE_DIR, env=production_environment(static_root, port), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers share its process group, stopped together below
            )
            processes.append((process, log))
            starting.append((process, log, f"http://127.0.0.1:{port}"))
        return [_wait_until_serving(*server) for server in starting]

    yield start
    for process, log in processes:
        _stop(process)
        log.close()


def _wait_until_serving(process, log, url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1):
                return url
        except OSError:
            time.sleep(0.2)
    log.flush()
    pytest.fail(f"gunicorn did not start at {url}:\n" + Path(log.name).read_text(errors="replace")[-3000:])


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class BehindTheProxy(http.cookiejar.DefaultCookiePolicy):
    """The browser speaks HTTPS to the proxy, so its secure cookies travel on to the app processes."""

    def return_ok_secure(self, cookie, request):
        return True


class EveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand back redirects and errors as they come, so the test sees each step."""

    def http_response(self, request, response):
        return response


@dataclass
class Response:
    status: int
    headers: object
    body: bytes

    @property
    def text(self):
        return self.body.decode()

    def csrf_token(self):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text).group(1)


class Browser:
    """One person's browser: one cookie jar, whichever app process the proxy picks for each request."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar(BehindTheProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), EveryResponse)

    def get(self, server, path, **headers):
        return self._send(urllib.request.Request(server + path, headers=self._headers(headers)))

    def post(self, server, path, page, fields, files=()):
        """Submit the form of `page` (its CSRF token included) as the browser would, from the same site."""
        fields = {"csrfmiddlewaretoken": page.csrf_token(), **fields}
        headers = self._headers({"Origin": f"https://{SITE}", "Referer": f"https://{SITE}{path}"})
        if files:
            body, headers["Content-Type"] = _multipart(fields, files)
        else:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self._send(urllib.request.Request(server + path, data=body, headers=headers, method="POST"))

    def cookie_names(self):
        return {cookie.name for cookie in self.cookies}

    def _headers(self, extra):
        return {"Host": SITE, "X-Forwarded-Proto": "https", **extra}

    def _send(self, request):
        with self.opener.open(request, timeout=30) as response:
            return Response(response.status, response.headers, response.read())


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: text/plain\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def make_staff_who_signs_in():
    """A 填报人 whose password the app processes can check: they use the production hashers, not the tests' fast one."""
    staff = factory.make_staff("li")
    hasher = PBKDF2PasswordHasher()
    staff.password = hasher.encode(PASSWORD, hasher.salt())
    staff.last_name, staff.first_name = "李", "填报"
    staff.save()
    return staff


@pytest.mark.django_db(transaction=True)
def test_a_person_signed_in_on_one_app_process_carries_on_on_the_other(app_servers, static_root):
    staff = make_staff_who_signs_in()
    a, b = app_servers(2)
    browser = Browser()

    login_page = browser.get(a, "/accounts/login/")
    assert login_page.status == 200
    signed_in = browser.post(a, "/accounts/login/", login_page, {"username": "li", "password": PASSWORD, "next": ""})
    assert (signed_in.status, signed_in.headers["Location"]) == (302, "/")
    assert "sessionid" in browser.cookie_names()

    # B knows the session A started: it sends the staff member to their list, not to the sign-in page.
    assert browser.get(b, "/").headers["Location"] == "/my/"
    home = browser.get(b, "/my/")
    assert home.status == 200 and "李填报" in home.text

    # A form posted to B with the token A's session holds is accepted.
    new_page = browser.get(b, "/evaluations/new/")
    started = browser.post(b, "/evaluations/new/", new_page, {"project": "", "new_project_name": "科普讲座", "year": "2024"})
    evaluation = Evaluation.objects.get(project__name="科普讲座", year=2024)
    assert (started.status, started.headers["Location"]) == (302, f"/evaluations/{evaluation.pk}/edit/")
    assert evaluation.events.get().actor == staff

    # An upload staged through A waits in the queue, is read by a worker process of its own, is previewed
    # and confirmed through B, and its result read on A.
    upload_page = browser.get(a, "/import/")
    uploaded = browser.post(a, "/import/", upload_page, {}, files=[("files", SAMPLE.name, SAMPLE.read_bytes())])
    staged = StagedImport.objects.get(created_by=staff)
    assert (uploaded.status, uploaded.headers["Location"]) == (302, f"/import/{staged.pk}/")
    assert "排队等待读取" in browser.get(b, f"/import/{staged.pk}/").text
    subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "-v0"],
                   cwd=BASE_DIR, env=production_environment(static_root), check=True, timeout=120)
    preview = browser.get(b, f"/import/{staged.pk}/")
    assert preview.status == 200 and "读取 6 份自评表，无法读取 0 份；确认后将写入 6 份" in preview.text
    confirmed = browser.post(b, f"/import/{staged.pk}/confirm/", preview, {})
    assert (confirmed.status, confirmed.headers["Location"]) == (302, f"/import/{staged.pk}/result/")
    assert browser.get(a, f"/import/{staged.pk}/result/").status == 200
    staged.refresh_from_db()
    assert staged.completed_at is not None and [form["outcome"] for form in staged.result["documents"]] == ["created"] * 6
    assert Evaluation.objects.filter(year=2023, source=Evaluation.Source.IMPORT).count() == 6


@pytest.mark.django_db(transaction=True)
def test_app_processes_serve_hashed_compressed_static_files_cached_for_good(app_servers, static_root):
    (server,) = app_servers(1)
    page = Browser().get(server, "/accounts/login/")
    stylesheet = re.search(r'href="(/static/css/zpb\.[0-9a-f]{12}\.css)"', page.text).group(1)

    response = Browser().get(server, stylesheet)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response.body == (static_root / stylesheet.removeprefix("/static/")).read_bytes()
    compressed = Browser().get(server, stylesheet, **{"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip" and len(compressed.body) < len(response.body)
