import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# while a loop is running unless told this thread is safe (it is: one test, one thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-quic", "--disable-sync"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The production hasher takes most of a second per password on purpose; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_autosave(settings):
    """A draft saving itself mid-test would change versions under the test; its own test turns it on."""
    settings.ZPB_AUTOSAVE_SECONDS = 0


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Tests run each queued task inside the request that queues it; the worker is tested on its own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh Chromium tab at 1366×768 against the live test server.

    The test fails when the page breaks the Content Security Policy or throws a JavaScript error.
    """
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems = []

    def note_policy_violation(message):
        if message.type == "error" and ("Content Security Policy" in message.text or "Refused to" in message.text):
            problems.append(f"{tab.url}: {message.text}")

    tab.on("console", note_policy_violation)
    tab.on("pageerror", lambda error: problems.append(f"{tab.url}: JavaScript error: {error}"))
    yield tab
    context.close()
    if problems:
        pytest.fail("the browser reported:\n" + "\n".join(problems))


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
