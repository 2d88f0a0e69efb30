# Alliance Portal. `make run` serves the portal; `make test` runs every check CI runs.
# Both work from a fresh clone with Python 3.11 and make: they create .venv and .env,
# install the pinned requirements and (through manage.py and the test suite) start an
# embedded PostgreSQL under var/pg unless DATABASE_URL points at a server.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run serve serve-cluster bench test lint format migrate seed backup restore db-stop clean

# The development defaults, written once and then left to you (gitignored). Settings read it;
# a variable in the real environment wins, so production sets DJANGO_DEBUG=0 (README).
.env:
	printf '%s\n' '# Development defaults, read by alliance_portal/settings.py; the real environment wins.' \
	  'DJANGO_DEBUG=1' > $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

# axe-core, injected by the browser tests to check accessibility.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: $(VENV)/.runtime-installed | .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

seed: migrate
	$(BIN)/python manage.py load_seed

run: seed
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production shape on 127.0.0.1:$(PORT): nginx in front of gunicorn, DEBUG off (README "Production").
serve: $(VENV)/.runtime-installed
	PORT=$(PORT) ./scripts/serve

# The scale-out shape on loopback: primary + streaming replica, Redis, two gunicorn app servers,
# nginx balancing them on 127.0.0.1:$(PORT) (README "Scale-out").
serve-cluster: $(VENV)/.runtime-installed
	PORT=$(PORT) ./scripts/serve-cluster

# Demo data at scale (BENCH_POSITIONS, BENCH_COMMENTS) in its own database, measured with wrk.
bench: $(VENV)/.runtime-installed | .env
	./scripts/bench

backup: $(VENV)/.runtime-installed | .env
	$(BIN)/python manage.py backupdb

# make restore FILE=var/backups/alliance_portal-….dump [INTO=new_database_name]
restore: $(VENV)/.runtime-installed | .env
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/….dump [INTO=new_database]"; exit 2; }
	$(BIN)/python manage.py restoredb "$(FILE)" $(if $(INTO),--into "$(INTO)")

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint node_modules/.installed | .env
	$(BIN)/python manage.py makemigrations --check --dry-run
	@# Chromium leaves a folder per launch in TMPDIR: keep them under var/, unless that path is
	@# too long for the Unix socket Chromium opens there (~100 bytes); then use /tmp.
	tmp="$(CURDIR)/var/tmp"; [ $${#tmp} -le 60 ] || tmp="/tmp/alliance-portal-tmp-$$(id -u)"; \
	mkdir -p "$$tmp" && TMPDIR="$$tmp" $(BIN)/pytest

db-stop: $(VENV)/.runtime-installed
	$(BIN)/python -m alliance_portal.embedded_db stop

clean: db-stop
	rm -rf var $(VENV)
