"""One settings module, driven by environment variables; SQLite is the default database."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import csp.constants as csp
import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.getenv(name, str(default)).lower() in ("1", "true", "yes", "on")


DEBUG = envbool("DEBUG", True)
SECRET_KEY = os.getenv("SECRET_KEY", "zpb-insecure-development-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = [h for h in os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "").split(",") if h]
if not ALLOWED_HOSTS:
    raise RuntimeError("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "import_export",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "evaluations",
    "importer",
    "targets",
]

MIDDLEWARE = [
    "zpb_site.middleware.ForwardedHeadersOnlyFromTrustedProxiesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zpb_site.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "zpb_site.middleware.PasswordAgeMiddleware",
]

ROOT_URLCONF = "zpb_site.urls"
WSGI_APPLICATION = "zpb_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "importer.context_processors.importer_nav",
                "evaluations.context_processors.notification_count",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # In production each app process keeps its connection (checked before reuse) instead of opening
        # one per request: a PostgreSQL connection costs a process start and a sign-in.
        conn_max_age=int(os.getenv("DB_CONN_MAX_AGE", "0" if DEBUG else "600")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each app process keeps drawn queue rows in memory, keyed by everything a row shows (so never stale):
# room for a department's rows at about a kilobyte each.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}},
    # Whole pages of the review and finance levels, kept while nothing they show has changed
    # (evaluations/kept_pages.py): 50–300 KB each.
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 300}},
}

# 等保三级 sign-in: password composition, lockout after repeated failures, idle sessions end.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zpb_site.passwords.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zpb_site.passwords.CharacterClassesValidator"},
    {"NAME": "zpb_site.sign_in.NotTheCurrentPasswordValidator"},
]
ZPB_PASSWORD_MIN_CLASSES = int(os.getenv("ZPB_PASSWORD_MIN_CLASSES", "3"))  # of upper, lower, digit, symbol

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the profile read in the same query as the user.
    "evaluations.roles.ProfileLoadingBackend",
    # A role's admin permissions come from code, not from groups an administrator could edit.
    "evaluations.roles.RolePermissionBackend",
]
AXES_FAILURE_LIMIT = int(os.getenv("ZPB_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.getenv("ZPB_LOCKOUT_MINUTES", "30")))
# Failures count per user name and per user name + address: a targeted account locks from every address,
# while made-up names tried from one address lock nobody else out (behind a reverse proxy, or one office's
# NAT, every user shares that address).
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# Behind reverse proxies the client's address is in X-Forwarded-For. ZPB_TRUSTED_PROXIES lists the addresses
# the proxies connect from (README, 部署): that header counts only on their requests, read from the right past
# each trusted proxy (zpb_site.middleware.client_address); gunicorn trusts the same list.
ZPB_TRUSTED_PROXIES = [a.strip() for a in os.getenv("ZPB_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if a.strip()]
AXES_CLIENT_IP_CALLABLE = "zpb_site.middleware.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure is kept, every success is in axes' access log
AXES_SENSITIVE_PARAMETERS = []  # the sign-in log names who and from where; axes always masks the password

SESSION_COOKIE_AGE = int(os.getenv("ZPB_SESSION_IDLE_MINUTES", "30")) * 60
# The age counts from the last request (an idle timeout): zpb_site.middleware.IdleSessionMiddleware.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Days a password lasts before its owner must change it (zpb_site.middleware); 0 = no limit.
ZPB_PASSWORD_MAX_AGE_DAYS = int(os.getenv("ZPB_PASSWORD_MAX_AGE_DAYS", "0"))

# Response headers in every mode: no framing, no MIME sniffing, no full URLs leaked to other sites.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The Content Security Policy is on in every mode, tests included, so the browser tests prove every page
# works without inline scripts, inline styles or event handler attributes (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    },
}

if not DEBUG:
    # Production: HTTPS only. Behind a TLS-terminating proxy, name the header it sets for HTTPS
    # requests (ZPB_PROXY_SSL_HEADER=X-Forwarded-Proto) or the redirect to HTTPS never ends.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    if os.getenv("ZPB_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + os.environ["ZPB_PROXY_SSL_HEADER"].upper().replace("-", "_"), "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading binds the whole domain for months; asking for it is the domain owner's decision.
    "security.W021",
]

# Sign-ins (axes), password changes and expiries (zpb.security), refused requests (django.security, e.g. a
# missing CSRF token) and every server error with its traceback (django.request) go to stderr, where the
# process manager keeps them; server errors also go by mail to ADMINS when the deployment names them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR", "filters": ["require_debug_false"]},
    },
    "loggers": {
        **{name: {"handlers": ["stderr"], "level": "INFO"} for name in ("axes", "zpb.security", "django.security")},
        "django.request": {"handlers": ["stderr", "mail_admins"], "level": "ERROR", "propagate": False},
    },
}
# ZPB_ADMINS="张三 <zhangsan@example.gov.cn>, lisi@example.gov.cn": who is mailed each server error.
ADMINS = [(address.split("<")[0].strip() or address.strip(), address.split("<")[-1].rstrip(">").strip())
          for address in os.getenv("ZPB_ADMINS", "").split(",") if address.strip()]
# Mail goes through the SMTP server the deployment names; without one it is printed to stdout.
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.getenv("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.getenv("ZPB_FROM_EMAIL", "zpb@localhost")
# The address people reach the site at, for links in mail (e.g. https://zpb.example.gov.cn).
ZPB_SITE_URL = os.getenv("ZPB_SITE_URL", "")

ZPB_AUDIT_RETENTION_DAYS = int(os.getenv("ZPB_AUDIT_RETENTION_DAYS", str(365 * 5)))

LANGUAGE_CODE = "zh-hans"
# Chinese for third-party strings that ship without it (django-axes); locale/zh_Hans/LC_MESSAGES/django.po.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Uploaded evidence (佐证材料) goes to the default storage: a directory by default (ZPB_MEDIA_ROOT), or any
# Django storage backend named by ZPB_FILE_STORAGE (its options then come from that backend's own settings).
# Nothing serves MEDIA_ROOT: files are only streamed by the evidence view, scoped like their form.
MEDIA_ROOT = Path(os.getenv("ZPB_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": os.getenv("ZPB_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not DEBUG:
    # In production the app processes serve what collectstatic wrote: hashed names (cached for good)
    # and compressed copies. With DEBUG on, runserver and the tests serve static/ as it is.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
    )
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Upload limits for dump files (bytes, count).
ZPB_UPLOAD_MAX_BYTES = int(os.getenv("ZPB_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
ZPB_UPLOAD_MAX_FILES = int(os.getenv("ZPB_UPLOAD_MAX_FILES", "20"))
# Evidence files: the largest accepted (bytes) and how many one form may hold.
ZPB_EVIDENCE_MAX_BYTES = int(os.getenv("ZPB_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
ZPB_EVIDENCE_MAX_FILES = int(os.getenv("ZPB_EVIDENCE_MAX_FILES", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = ZPB_UPLOAD_MAX_BYTES * 2
# What one uploaded file may hold; past a limit the file (or the form) is refused with a Chinese reason.
# The indicator limit is the entry page's (evaluations.forms.MAX_INDICATORS).
ZPB_IMPORT_MAX_PDF_PAGES = int(os.getenv("ZPB_IMPORT_MAX_PDF_PAGES", "200"))
ZPB_IMPORT_MAX_FORMS_PER_FILE = int(os.getenv("ZPB_IMPORT_MAX_FORMS_PER_FILE", "1000"))
ZPB_IMPORT_MAX_INDICATORS_PER_FORM = int(os.getenv("ZPB_IMPORT_MAX_INDICATORS_PER_FORM", "100"))
# An upload whose reading has not moved for this long is shown as failed (a worker died or none runs).
ZPB_IMPORT_STALLED_MINUTES = int(os.getenv("ZPB_IMPORT_STALLED_MINUTES", "10"))

# Spreadsheet import/export of reference data in the admin (django-import-export): each import is
# one transaction; importing needs the model's "add" permission, exporting its "view" permission.
# The admins export only evaluations.resources.InertXLSX, which keeps text as written but never as a
# formula; the stock escaping below (it deletes a leading "=") covers any stock format added later.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# Scoring rules (SCORING.md); the defaults reproduce the published sample forms.
ZPB_SCORING = {
    "rounding": os.getenv("ZPB_ROUNDING", "truncate"),  # truncate | half_up | ceiling
    "negative_formula": os.getenv("ZPB_NEGATIVE_FORMULA", "ratio"),  # ratio | linear
    "tolerance": Decimal(os.getenv("ZPB_TOLERANCE", "0.01")),
    "overachieved_ratio": Decimal(os.getenv("ZPB_OVERACHIEVED_RATIO", "1.2")),
    # §6 plausibility: how far the indicators' score rate may run ahead of spending (a share of the score
    # rate), the execution rate (%) below which money counts as unspent, the satisfaction (%) from which
    # evidence is expected, and when two texts count as the same (length in characters, similarity in %).
    "score_ahead_margin": Decimal(os.getenv("ZPB_SCORE_AHEAD_MARGIN", "0.05")),
    "underspent_rate": Decimal(os.getenv("ZPB_UNDERSPENT_RATE", "80")),
    "satisfaction_evidence_rate": Decimal(os.getenv("ZPB_SATISFACTION_EVIDENCE_RATE", "95")),
    "reuse_min_chars": int(os.getenv("ZPB_TEXT_REUSE_MIN_CHARS", "20")),
    "reuse_similarity": Decimal(os.getenv("ZPB_TEXT_REUSE_SIMILARITY", "90")),
}
# 绩效运行监控 traffic lights: spending ÷ share of the year gone, in percent; below red_below is red,
# below yellow_below yellow, else green (the ministry's system: 60 and 80).
ZPB_MONITORING = {
    "red_below": Decimal(os.getenv("ZPB_MONITORING_RED_BELOW", "60")),
    "yellow_below": Decimal(os.getenv("ZPB_MONITORING_YELLOW_BELOW", "80")),
}

# The entry page saves a draft by itself this many seconds after the last edit (0: never).
ZPB_AUTOSAVE_SECONDS = int(os.getenv("ZPB_AUTOSAVE_SECONDS", "30"))

# The browser that prints a form's PDF (evaluations.printout): Debian's Chromium, as `make system-deps` installs.
ZPB_CHROMIUM = os.getenv("ZPB_CHROMIUM", "chromium")

# Background work (parsing uploads, building documents, sending mail) runs on a task queue kept in the
# database the deployment already has (django-tasks, the backport of Django 6's Tasks API, with its
# database backend): `manage.py db_worker` runs it, on as many machines as share the database.
# ZPB_TASKS_IMMEDIATE=true runs each task at once inside the request (the tests do).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if envbool("ZPB_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Reports and the publication package (reports/). An office's own .docx templates (its fonts, margins,
# header and footer) replace the built-in look; the report is appended to the template's body.
INSTALLED_APPS.append("reports")
ZPB_REPORT_TEMPLATES = {
    "evaluation": os.getenv("ZPB_REPORT_TEMPLATE_EVALUATION", ""),
    "summary": os.getenv("ZPB_REPORT_TEMPLATE_SUMMARY", ""),
}
ZPB_PACKAGE_ROOT = Path(os.getenv("ZPB_PACKAGE_ROOT", BASE_DIR / "var" / "packages"))
ZPB_SOFFICE = os.getenv("ZPB_SOFFICE", "soffice")  # LibreOffice, for the package's PDF
ZPB_RSVG_CONVERT = os.getenv("ZPB_RSVG_CONVERT", "rsvg-convert")  # librsvg, for the reports' charts
ZPB_PACKAGE_FORMS_PER_PDF_STEP = int(os.getenv("ZPB_PACKAGE_FORMS_PER_PDF_STEP", "50"))
