"""Each person's notifications: returned to you, submitted to you, due within seven days, overdue; a counter
in the menu; mail turned off by the person themselves."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import workflow
from evaluations.models import DepartmentYear, Evaluation, Profile
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return factory.make_evaluation()


def counter(client):
    response = client.get(reverse("notifications"))
    return response.context["notification_count"], response.content.decode()


def test_staff_see_a_returned_form_and_the_counter_goes_when_read(client, draft):
    staff, reviewer = factory.make_staff(unit=draft.unit), factory.make_reviewer(department=draft.department)
    workflow.submit(draft, staff)
    workflow.return_for_revision(draft, reviewer, "请补充偏差原因。")
    client.force_login(staff)
    count, page = counter(client)
    assert count == 1 and "被退回修改：请补充偏差原因。" in page and "退回给您" in page
    client.post(reverse("notifications_read"))
    assert counter(client)[0] == 0


@pytest.mark.parametrize("days, words", [(5, "还有 5 天截止"), (0, "今天截止"), (-3, "已逾期 3 天")])
def test_a_deadline_within_a_week_or_past_is_a_reminder(client, draft, days, words):
    staff = factory.make_staff(unit=draft.unit)
    DepartmentYear.objects.create(department=draft.department, year=2023,
                                  due_date=timezone.localdate() + timedelta(days=days))
    client.force_login(staff)
    count, page = counter(client)
    assert count == 1 and words in page and "还有 1 份未完成" in page


def test_no_reminder_far_ahead_once_submitted_or_once_accepted(client, draft):
    staff = factory.make_staff(unit=draft.unit)
    year = DepartmentYear.objects.create(department=draft.department, year=2023,
                                         due_date=timezone.localdate() + timedelta(days=8))
    client.force_login(staff)
    assert counter(client)[0] == 0
    year.due_date = timezone.localdate() - timedelta(days=1)
    year.save()
    Evaluation.objects.filter(pk=draft.pk).update(status=Evaluation.Status.SUBMITTED)
    assert counter(client)[0] == 0


def test_a_person_turns_mail_off_and_on(client, draft):
    staff = factory.make_staff(unit=draft.unit)
    client.force_login(staff)
    client.post(reverse("notifications_mail"), {})
    assert Profile.objects.get(user=staff).email_notifications is False
    assert Profile.objects.get(user=staff).role == "staff"  # the role is not theirs to change, and stays
    client.post(reverse("notifications_mail"), {"email_notifications": "on"})
    assert Profile.objects.get(user=staff).email_notifications is True


def test_one_cannot_read_anothers_notifications(client, draft):
    staff, other = factory.make_staff(unit=draft.unit), factory.make_staff("other", unit=factory.make_unit("别的单位"))
    reviewer = factory.make_reviewer(department=draft.department)
    workflow.submit(draft, staff)
    workflow.return_for_revision(draft, reviewer, "只给本单位看的意见")
    client.force_login(other)
    assert "只给本单位看的意见" not in counter(client)[1]
