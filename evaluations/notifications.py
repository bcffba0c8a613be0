"""Who is told what, when a form moves: in-app notifications written in the transition's own transaction,
and mail sent afterwards on the task queue, so sending never blocks or fails a request."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from evaluations import roles
from evaluations.models import DepartmentYear, Evaluation, Notification, Profile

Kind = Notification.Kind
Status = Evaluation.Status


def department_reviewers(department):
    return get_user_model().objects.filter(is_active=True, profile__role=roles.REVIEWER, profile__department=department)


def unit_staff(unit):
    return get_user_model().objects.filter(is_active=True, profile__role=roles.STAFF, profile__unit=unit)


def notify(recipients, kind, text, evaluation=None):
    """Tell each recipient; call inside the transaction of the change, so a rolled-back change tells nobody."""
    created = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, evaluation=evaluation, text=text) for user in recipients
    )
    ids = [notification.pk for notification in created]  # PostgreSQL and SQLite return them
    if ids:
        from evaluations.tasks import mail_notifications

        transaction.on_commit(lambda: mail_notifications.enqueue(ids))
    return created


def wants_mail(user) -> bool:
    profile = Profile.objects.filter(user=user).only("email_notifications").first()
    return bool(user.email) and (profile is None or profile.email_notifications)


@dataclass
class Reminder:
    department_year: DepartmentYear
    overdue: bool
    days_left: int
    outstanding: int  # forms of the reader's unit or department not yet with the reviewer, or not yet approved

    def __str__(self):
        when = (f"已逾期 {-self.days_left} 天" if self.overdue else
                "今天截止" if self.days_left == 0 else f"还有 {self.days_left} 天截止")
        return f"{self.department_year.year} 年度自评表报送截止日期 {self.department_year.due_date}，{when}；还有 {self.outstanding} 份未完成。"


REMINDER_DAYS = 7


def deadline_reminders(user) -> list[Reminder]:
    """Due within REMINDER_DAYS or overdue, for a unit's staff (forms not submitted) and a department's
    reviewer (forms not approved); nothing once the finance bureau has accepted the year."""
    if roles.has_role(user, roles.STAFF) and roles.user_unit(user):
        unit = roles.user_unit(user)
        department, outstanding = unit.department_id, Q(unit=unit, status__in=(Status.DRAFT, Status.RETURNED))
    elif roles.has_role(user, roles.REVIEWER) and roles.user_department(user):
        department = roles.user_department(user).pk
        outstanding = Q(department=department) & ~Q(status__in=(Status.APPROVED, Status.ACCEPTED))
    else:
        return []
    today = timezone.localdate()
    years = list(DepartmentYear.objects.filter(
        department=department, accepted_at__isnull=True, due_date__lte=today + timedelta(days=REMINDER_DAYS)))
    if not years:
        return []
    counts = dict(Evaluation.objects.filter(outstanding, year__in=[y.year for y in years])
                  .values_list("year").annotate(count=Count("pk")))
    return [Reminder(y, y.due_date < today, (y.due_date - today).days, counts[y.year])
            for y in years if counts.get(y.year)]
