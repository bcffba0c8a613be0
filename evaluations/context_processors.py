from evaluations.notifications import deadline_reminders


def notification_count(request):
    """Unread notifications and live deadline reminders, for the menu's counter."""
    user = getattr(request, "user", None)  # none on requests refused before the auth middleware (a bad Host)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_count": user.notifications.filter(read_at__isnull=True).count() + len(deadline_reminders(user))}
