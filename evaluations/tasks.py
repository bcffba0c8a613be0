"""Work done on the task queue (django-tasks; settings.TASKS), outside any request."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from evaluations.models import Department, Evaluation, Notification
from evaluations.notifications import wants_mail


@task()
def mail_notifications(notification_ids):
    """Mail each notification to its recipient, unless they have no address or turned mail off."""
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient", "evaluation")
    for notification in notifications:
        if wants_mail(notification.recipient):
            send_mail(f"[zpb] {notification.get_kind_display()}", _body(notification), settings.DEFAULT_FROM_EMAIL,
                      [notification.recipient.email])


def _body(notification) -> str:
    lines = [notification.text, ""]
    if notification.evaluation is not None and settings.ZPB_SITE_URL:
        lines.append(f"{settings.ZPB_SITE_URL.rstrip('/')}{notification.evaluation.get_absolute_url()}")
    lines.append("如不想再收到邮件通知，可在系统“通知”页面关闭。")
    return "\n".join(lines)


@task()
def rescore_department(department_id: int) -> int:
    """Refresh the cached flag summary of every evaluation of a department, after its flag rules changed;
    returns how many were rescored."""
    department = Department.objects.get(pk=department_id)
    evaluations = (Evaluation.objects.filter(department=department)
                   .prefetch_related("funding_lines", "indicators", "evidence", "text_reuses__similar_to__project__unit"))
    count = 0
    for evaluation in evaluations.iterator(chunk_size=500):
        evaluation.department = department  # one read of its rules for all
        evaluation.rescore()
        count += 1
    return count
