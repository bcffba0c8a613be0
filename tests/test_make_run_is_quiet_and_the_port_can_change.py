"""`make run` says only what the user needs: loading the demo logs no "password changed" lines, installing
prints no setuptools licence warning (a plain SPDX licence string), and the README says how to change the port."""

import logging
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_loading_the_demo_logs_no_password_change(caplog):
    with caplog.at_level(logging.INFO, logger="zpb.security"):
        call_command("load_demo", stdout=open("/dev/null", "w"))
    assert [r.getMessage() for r in caplog.records if "password" in r.getMessage()] == []
    assert logging.getLogger("zpb.security").level != logging.WARNING  # left as it was


def test_the_licence_is_a_plain_spdx_string():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert not any(c.startswith("License ::") for c in project["project"].get("classifiers", []))


def test_the_readme_says_how_to_change_the_port():
    assert "make run PORT=8001" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "PORT ?= 8000" in (ROOT / "Makefile").read_text(encoding="utf-8")
