"""The auditor's page lists the target tables' workflow (created, saved, submitted, approved, imported) and every
saved change of a table, its indicators, its monitoring and a form's reasons for departing from it, linked to the
table's page, filtered like the rest of the trail, at a fixed number of queries whatever the page holds."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.views import audit
from targets import workflow
from targets.models import TargetTable
from tests import factory
from tests.targets_factory import make_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(client):
    client.force_login(factory.make_auditor())


def entries(client, **params):
    response = client.get(reverse("audit_trail"), params)
    assert response.status_code == 200
    return response


def test_a_tables_workflow_and_changes_are_listed_with_a_link_to_it(client, auditor):
    reviewer = factory.make_reviewer()
    table = make_table(status=TargetTable.Status.SUBMITTED)
    workflow.approve(table, reviewer, "同意")
    workflow.record_monitoring(table, datetime.date(2023, 6, 30), Decimal("40.00"), {}, None)
    response = entries(client)
    listed = [(e.action, e.subject) for e in response.context["entries"]]
    assert ("批准", "流程") in listed and ("提交", "流程") in listed and ("新建", "流程") in listed
    assert ("新增", "绩效指标 1 · 举办培训") in listed and ("新增", "运行监控 · 2023-06-30") in listed
    html = response.content.decode()
    assert f'<a href="{reverse("target_table", args=[table.pk])}">火灾报警系统升级改造</a>（2023年度绩效目标表）' in html
    assert "<del>已提交</del> → <ins>已批准</ins>" in html
    assert '<option value="approve">审核通过／批准</option>' in html
    approved = entries(client, action="approve").context["entries"]
    assert [(e.action, e.reason, e.user) for e in approved] == [("批准", "同意", reviewer)]
    assert entries(client, project="别的项目").context["entries"] == []


def test_a_forms_reasons_for_departing_from_the_targets_are_listed(client, auditor):
    evaluation = workflow.start_evaluation(make_table(status=TargetTable.Status.APPROVED), None)
    workflow.state_reasons(evaluation, {"approved:1": "年中调整"}, None)
    reason = [e for e in entries(client).context["entries"] if e.subject == "目标调整理由"]
    assert len(reason) == 1 and ("调整理由", "—", "年中调整") in reason[0].changes
    assert reason[0].record_id == evaluation.pk


def test_pages_with_target_rows_cost_a_fixed_number_of_queries(client, auditor, monkeypatch):
    unit = factory.make_unit()
    monkeypatch.setattr(audit, "PAGE_SIZE", 500)

    def tables(first, count):
        for n in range(first, first + count):
            make_table(project=factory.make_project(f"项目{n:03d}", unit), status=TargetTable.Status.APPROVED)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("audit_trail"))
        return len(captured), len(response.context["entries"])

    tables(0, 1)
    client.get(reverse("audit_trail"))
    small = queries()
    tables(1, 10)
    large = queries()
    # session, the user with profile, notifications; users and units; count, page; target events, then rows and the
    # rows before them for the tables' and the indicators' histories.
    assert small[0] == large[0] == 3 + 2 + 2 + 1 + 2 * 2
    assert large[1] > 5 * small[1]
