"""Every response carries the Content Security Policy and the protective headers, in every mode (tests too),
and no template holds what the policy would block: inline scripts, inline styles, event handler attributes."""

import re
from pathlib import Path

import pytest

from tests import factory

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'", "form-action": "'self'",
}

# A <script> with code in it (json_script data blocks have a type browsers do not run), a <style> block,
# a style="…" attribute, an on…="…" handler, a javascript: URL.
BLOCKED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def policy(response):
    return dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))


def blocked_in(html):
    return [name for name, pattern in BLOCKED.items() if pattern.search(html)]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_template_holds_what_the_policy_blocks(template):
    assert blocked_in(template.read_text()) == []


def test_the_pattern_finds_what_it_looks_for():
    assert blocked_in('<script>alert(1)</script><style></style><p style="x" onclick="y"><a href="javascript:z">') == list(BLOCKED)
    assert blocked_in('<script src="/static/js/queue.js"></script><script id="r" type="application/json">{}</script>') == []


@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/", "/admin/login/", "/static/css/zpb.css"])
def test_pages_of_every_kind_carry_the_policy_and_the_headers(client, path):
    response = client.get(path)
    assert policy(response) == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_carry_it_too(client):
    client.force_login(factory.make_staff())
    response = client.get("/", follow=True)
    assert response.status_code == 200 and policy(response) == POLICY
    assert blocked_in(response.content.decode()) == []
