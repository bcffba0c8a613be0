"""gunicorn settings for `make serve`: gunicorn -c zpb_site/gunicorn.conf.py zpb_site.wsgi

The app processes keep no state of their own (sessions, staged uploads and sign-in failures live in
the database), so any number of them, on one machine or several, can serve the same database.
"""

import os

bind = f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"
workers = int(os.getenv("WEB_CONCURRENCY", "2"))

# A big import or a year's Excel workbook takes seconds, not minutes; a worker stuck longer is restarted.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Requests and errors go to stdout/stderr, for the service manager's journal.
accesslog = "-"
errorlog = "-"

# Forwarded headers (X-Forwarded-Proto and the like) are believed only from the reverse proxy's addresses,
# the same list the app itself trusts (ZPB_TRUSTED_PROXIES in zpb_site/settings.py).
forwarded_allow_ips = os.getenv("ZPB_TRUSTED_PROXIES", "127.0.0.1,::1")
