# Two commands from a fresh clone: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve worker test setup system-deps

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "zpb needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/.installed

run: setup system-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@# The task worker runs beside the server and stops with it.
	$(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production: gunicorn (zpb_site/gunicorn.conf.py, WEB_CONCURRENCY workers) on HOST:PORT against
# PostgreSQL, static files hashed and compressed by collectstatic and served by whitenoise, and one
# task worker beside it (it reads uploaded forms); `make worker` on other machines adds more.
serve: export DEBUG = false
serve: setup
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make serve 需要 DATABASE_URL=postgres://用户@主机:端口/数据库" >&2; exit 1;; esac
	@test -n "$$SECRET_KEY" || { echo "make serve 需要 SECRET_KEY（一段足够长的随机字符串）" >&2; exit 1; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c zpb_site/gunicorn.conf.py zpb_site.wsgi

# A task worker alone, for more machines: same code, same DATABASE_URL and SECRET_KEY as make serve.
worker: export DEBUG = false
worker: setup
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make worker 需要 DATABASE_URL=postgres://用户@主机:端口/数据库（与应用服务器相同）" >&2; exit 1;; esac
	exec $(BIN)/python manage.py db_worker --no-reload

# What the tests drive besides Python: Debian's Chromium (Playwright), LibreOffice (opening the exported
# workbooks; the reports print forms and documents to PDF with it and open the package's PDF), poppler
# (reading PDF) and librsvg (the reports' charts), with CJK fonts. Installed when missing, as root.
SYSTEM_PACKAGES := chromium fonts-noto-cjk libreoffice-calc-nogui libreoffice-writer-nogui libreoffice-draw-nogui poppler-utils librsvg2-bin
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 \
	    || ! command -v pdftotext >/dev/null 2>&1 || ! command -v rsvg-convert >/dev/null 2>&1 \
	    || ! test -e /usr/lib/libreoffice/program/libswlo.so || ! test -e /usr/lib/libreoffice/program/libpdfimportlo.so \
	    || ! fc-list | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "测试需要：sudo apt-get install $(SYSTEM_PACKAGES)" >&2; exit 1; fi; \
	fi

test: setup system-deps
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)
