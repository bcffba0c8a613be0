"""The auditor's page lists every saved edit of a form's report texts (问题, 改进措施): who, when, before → after."""

import pytest
from django.urls import reverse

from reports.models import ReportText
from tests import factory

pytestmark = pytest.mark.django_db


def test_a_report_text_edit_is_in_the_trail_with_its_before_and_after(client):
    evaluation = factory.make_submitted_evaluation()
    reviewer = factory.make_reviewer()
    ReportText.save_texts(evaluation, reviewer, "讲座延期。", "一季度补办。", expected_version=0)
    ReportText.save_texts(evaluation, reviewer, "讲座延期两场。", "一季度补办。", expected_version=1)
    client.force_login(factory.make_auditor())

    entries = [e for e in client.get(reverse("audit_trail")).context["entries"] if e.subject == "自评报告文字"]

    assert [e.action for e in entries] == ["修改", "新增"]
    assert entries[0].user == reviewer and entries[0].record_id == evaluation.pk
    assert any(before == "讲座延期。" and after == "讲座延期两场。" for _, before, after in entries[0].changes)
    assert client.get(reverse("audit_trail"), {"project": "别的项目"}).context["entries"] == []
