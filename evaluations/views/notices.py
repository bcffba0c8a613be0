"""A user's notifications: what was returned or submitted to them, deadlines near or past, and mail on or off."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from evaluations.models import Profile
from evaluations.notifications import deadline_reminders

SHOWN = 100


class MailForm(forms.Form):
    email_notifications = forms.BooleanField(label="同时发送邮件通知", required=False)


@login_required
def notification_list(request):
    notifications = request.user.notifications.select_related("evaluation__project")[:SHOWN]
    profile = Profile.objects.filter(user=request.user).first()
    return render(request, "evaluations/notifications.html", {
        "notifications": notifications,
        "reminders": deadline_reminders(request.user),
        "mail_form": MailForm(initial={"email_notifications": profile.email_notifications if profile else True}),
        "has_address": bool(request.user.email),
    })


@login_required
@require_POST
def mark_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")


@login_required
@require_POST
def mail_setting(request):
    form = MailForm(request.POST)
    form.is_valid()
    wanted = form.cleaned_data.get("email_notifications", False)
    Profile.objects.update_or_create(user=request.user, defaults={"email_notifications": wanted})
    messages.success(request, "已开启邮件通知。" if wanted else "已关闭邮件通知，通知仍会显示在本页。")
    return redirect("notifications")
