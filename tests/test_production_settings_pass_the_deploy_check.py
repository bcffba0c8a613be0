"""With DEBUG off and the settings from the environment, `manage.py check --deploy` finds nothing to report."""

import ast
import functools
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "zpb.example.gov.cn"}


# The test session's own switches (conftest allows the ORM under Playwright's event loop) are not production's.
NOT_PASSED_ON = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run(command, env):
    environment = {key: value for key, value in os.environ.items() if key not in NOT_PASSED_ON}
    return subprocess.run(command, cwd=ROOT, env={**environment, **env}, capture_output=True, text=True, timeout=120)


def manage(*args, **env):
    return run([sys.executable, "manage.py", *args], env)


SHOWN = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
         "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
         "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_PROXY_SSL_HEADER", "SILENCED_SYSTEM_CHECKS"]


@functools.cache
def production_settings(**env):
    """The SHOWN settings as a production process started with `env` sees them."""
    script = ("import django; from django.conf import settings; django.setup(); "
              f"print(repr({{name: getattr(settings, name) for name in {SHOWN!r}}}))")
    result = run([sys.executable, "-c", script], {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "zpb_site.settings", **env})
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout)


def test_the_deploy_check_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_the_one_silenced_check_is_hsts_preload_and_it_is_explained():
    assert production_settings()["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    settings_source = (ROOT / "zpb_site" / "settings.py").read_text()
    reason = settings_source[:settings_source.index('"security.W021"')].rsplit("\n", 2)[-2]
    assert reason.strip().startswith("#") and "preload" in reason.lower()


@pytest.mark.parametrize("name, expected", [
    ("DEBUG", False), ("SESSION_COOKIE_SECURE", True), ("CSRF_COOKIE_SECURE", True), ("SESSION_COOKIE_HTTPONLY", True),
    ("SECURE_SSL_REDIRECT", True), ("SECURE_HSTS_SECONDS", 31536000), ("SECURE_HSTS_INCLUDE_SUBDOMAINS", True),
    ("X_FRAME_OPTIONS", "DENY"), ("SECURE_REFERRER_POLICY", "same-origin"), ("SECURE_CONTENT_TYPE_NOSNIFF", True),
    ("SECURE_PROXY_SSL_HEADER", None),
])
def test_production_mode_turns_on_https_only_settings(name, expected):
    assert production_settings()[name] == expected


def test_behind_a_tls_proxy_its_header_marks_https_requests():
    assert production_settings(ZPB_PROXY_SSL_HEADER="X-Forwarded-Proto")["SECURE_PROXY_SSL_HEADER"] == (
        "HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret_key_or_hosts(missing):
    result = manage("check", **{**PRODUCTION, missing: ""})
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_a_weak_secret_key_fails_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0 and "security.W009" in result.stderr + result.stdout
