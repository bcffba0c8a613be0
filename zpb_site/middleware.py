"""Sign-in hygiene: idle sessions end, and users with an old password are sent to change it (等保)."""

import ipaddress
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger("zpb.security")

# Pages a user with an expired password may still open: changing it, and leaving.
ALLOWED_WITH_EXPIRED_PASSWORD = ("password_change", "password_change_done", "logout")


def password_set_at(user):
    """When the user's password was last set; an account whose password was never recorded dates from its creation."""
    profile = getattr(user, "profile", None)
    changed_at = profile.password_changed_at if profile else None
    return changed_at or user.date_joined


def password_expired(user) -> bool:
    days = settings.ZPB_PASSWORD_MAX_AGE_DAYS
    return days > 0 and password_set_at(user) < timezone.now() - timedelta(days=days)


# Seconds between two pushes of a session's end. Saving the session on every request would write to
# the database on every page view; pushing it once a minute keeps the idle limit to the minute.
SESSION_REFRESH_SECONDS = 60
SESSION_REFRESHED_KEY = "_zpb_refreshed_at"


class IdleSessionMiddleware:
    """A signed-in session ends SESSION_COOKIE_AGE after its last request: its end is pushed ahead (by
    saving it) on the first request that comes at least SESSION_REFRESH_SECONDS after the last push."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED_KEY, 0) >= SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now  # marks the session modified: saved with the response
        return self.get_response(request)


class PasswordAgeMiddleware:
    """With ZPB_PASSWORD_MAX_AGE_DAYS > 0, every page but the password change page redirects there
    while the signed-in user's password is older than that."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed_paths = None

    def __call__(self, request):
        if self._must_change_password(request):
            logger.info("password expired: %s is sent to change it (%s)", request.user.get_username(), request.path)
            messages.warning(request, f"您的密码已超过 {settings.ZPB_PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码再继续使用。")
            return redirect("password_change")
        return self.get_response(request)

    def _must_change_password(self, request) -> bool:
        if settings.ZPB_PASSWORD_MAX_AGE_DAYS <= 0 or not request.user.is_authenticated:
            return False
        if self.allowed_paths is None:
            self.allowed_paths = {reverse(name) for name in ALLOWED_WITH_EXPIRED_PASSWORD}
        if request.path in self.allowed_paths or request.path.startswith(settings.STATIC_URL):
            return False
        return password_expired(request.user)


class ForwardedHeadersOnlyFromTrustedProxiesMiddleware:
    """X-Forwarded-* headers count only when the connection comes from a configured proxy
    (ZPB_TRUSTED_PROXIES): anyone else could write any client address or scheme into them, and the sign-in
    lockout counts failures by the client's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("REMOTE_ADDR") not in settings.ZPB_TRUSTED_PROXIES:
            for header in [name for name in request.META if name.startswith("HTTP_X_FORWARDED_")]:
                del request.META[header]
        return self.get_response(request)


def client_address(request) -> str | None:
    """The client's address: the connecting one, or, on a trusted proxy's request, the rightmost address
    in X-Forwarded-For that is not itself a trusted proxy (the ones left of it could be written by anyone)."""
    address = request.META.get("REMOTE_ADDR")
    if address not in settings.ZPB_TRUSTED_PROXIES:
        return address
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = hop.strip()
        if hop not in settings.ZPB_TRUSTED_PROXIES:
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address  # not an address: the header is garbled, so it names no client
    return address
