# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_DEBUG ?= 1

.PHONY: run test test-fast lint setup serve bench soak

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# The interface in other languages: locale/<lang>/LC_MESSAGES/django.po compiled to .mo here, never committed.
# compilemessages needs GNU gettext's msgfmt (installed if missing, as `make test` does Chromium).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

# Every target needs setup, so after any of them a new shell can run `.venv/bin/python manage.py ...`.
setup: $(BIN)/.installed .env $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(BIN)/.installed
	@command -v msgfmt >/dev/null || { echo "Installing gettext for the translations"; \
	  apt-get install -y -q gettext >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q gettext >/dev/null; }; }
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

# Development settings for every command run in this folder, e.g. `.venv/bin/python manage.py createeditor`.
.env:
	@printf '%s\n' "# Written by make setup for development (not in git). Production sets DJANGO_DEBUG and" \
	  "# DJANGO_SECRET_KEY, and then this file is never read." "DJANGO_DEBUG=1" > $@

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loadcontent
	@echo "To edit: create an editor account with  $(BIN)/python manage.py createeditor NAME  then sign in at http://127.0.0.1:$(PORT)/$${ADMIN_PATH:-admin/}"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot run here).
test: setup
	@[ -x /usr/bin/chromium ] || { echo "Installing Chromium for the browser tests"; \
	  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; }
	$(BIN)/python -m pytest

# Everything but the browser tests and the slow ones (servers, soak, outages): feedback in seconds,
# one pytest-xdist worker per core (-n auto), each with its own test database.
test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow" -n auto

# Ruff for style, import-linter for the layers (the contract in pyproject.toml).
lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

# The production stack on this machine: DEBUG off, gunicorn, hashed static files, against whatever
# DATABASE_URL and REDIS_URL say. Local defaults are passed here, never built into the settings.
serve: export DJANGO_DEBUG := 0
serve: export DJANGO_HTTPS ?= 0
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: setup
	@[ -n "$$DJANGO_SECRET_KEY" ] || echo "DJANGO_SECRET_KEY is not set: using a random key for this run only."
	@[ "$$DJANGO_HTTPS" != 0 ] || echo "Serving plain HTTP for this machine (DJANGO_HTTPS=0); production sets DJANGO_HTTPS=1."
	@export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	&& $(BIN)/python manage.py collectstatic --noinput -v0 \
	&& $(BIN)/python manage.py migrate --noinput \
	&& $(BIN)/python manage.py loadcontent \
	&& PORT=$(PORT) exec $(BIN)/gunicorn -c carnk_site/gunicorn.conf.py carnk_site.wsgi

# Import and serving figures on a synthetic library (docs/performance.md). Installs wrk if missing.
bench: export DJANGO_TOOLING := 1
bench: setup
	@command -v wrk >/dev/null || { echo "Installing wrk, the load generator"; \
	  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
	$(BIN)/python manage.py benchmark

# 60 s at 32 connections against gunicorn on 127.0.0.1 (production settings, the loaded content):
# fails on any error or steady growth of the workers' memory. SOAK_SECONDS / SOAK_CONNECTIONS change it.
SOAK_SECONDS ?= 60
SOAK_CONNECTIONS ?= 32
soak: export DJANGO_DEBUG := 0
soak: export DJANGO_HTTPS := 0
soak: export DJANGO_TOOLING := 1
soak: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
soak: setup
	@command -v wrk >/dev/null || { echo "Installing wrk, the load generator"; \
	  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
	@export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	&& $(BIN)/python manage.py collectstatic --noinput -v0 \
	&& $(BIN)/python manage.py migrate --noinput -v0 \
	&& $(BIN)/python manage.py loadcontent -v0 \
	&& $(BIN)/python manage.py soak --seconds $(SOAK_SECONDS) --connections $(SOAK_CONNECTIONS)
