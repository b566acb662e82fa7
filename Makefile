# Coursedeck: `make run` serves the site, `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Dependencies are installed from uv.lock by uv, pinned here and installed from PyPI into its own
# small venv: `uv sync` makes .venv match the lock exactly, so uv must not live inside .venv.
# The Dockerfile pins the same version (ARG UV_VERSION; tests/config/test_lock.py compares them).
UV_VERSION := 0.13.9
TOOLS := .tools/uv-$(UV_VERSION)
UV := UV_PROJECT_ENVIRONMENT=$(VENV) $(TOOLS)/bin/uv
# Fails, with the fix in the message, when pyproject.toml changed and uv.lock was not re-locked.
LOCK_CHECK = $(UV) lock --check --python $(PYTHON) --quiet || { \
	echo "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock (CONTRIBUTING.md)." >&2; \
	exit 1; }
PORT ?= 8000
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
# The Nu Html Checker (npm's vnu-jar, run by Debian's Java) for tests/html/: installed into
# .tools/ (git-ignored) by `make nu-checker`, which `make test` runs.
VNU_VERSION := 26.9.27
VNU_DIR := .tools/vnu-$(VNU_VERSION)
VNU_JAR ?= $(CURDIR)/$(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
export VNU_JAR

# The PostgreSQL pass of CI (`.ci/postgres.sh` sets the server up).
POSTGRES_URL ?= postgres://coursedeck:coursedeck@127.0.0.1:5432/coursedeck

.PHONY: run test test-postgres lint lock lock-check lock-upgrade format chromium nu-checker gettext \
	messages migrate content bench bench-tools clean help

help:
	@echo "make run [PORT=8001] - set up .venv, migrate, load content/, serve http://127.0.0.1:$(PORT)"
	@echo "make test   - install test dependencies (Chromium included), run ruff and pytest"
	@echo "make test-postgres - make test against PostgreSQL (run .ci/postgres.sh first)"
	@echo "make nu-checker - install the Nu Html Checker (Java from Debian, vnu-jar from npm)"
	@echo "make lint   - ruff check and format check, hadolint on the Dockerfile, uv.lock in sync"
	@echo "make lock   - re-lock uv.lock after editing pyproject.toml (see CONTRIBUTING.md)"
	@echo "make lock-upgrade [PACKAGE=name] - re-lock to the newest versions pyproject.toml allows"
	@echo "make messages - collect new interface text into locale/*/LC_MESSAGES/django.po"
	@echo "make bench  - run the benchmarks (see bench/README.md)"

$(TOOLS)/bin/uv:
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Exactly the locked set (the app, editable, with the dev and test extras): anything else in
# .venv is removed, so what passes here is what the lock says.
$(STAMP): pyproject.toml uv.lock $(TOOLS)/bin/uv
	@$(LOCK_CHECK)
	$(UV) sync --frozen --python $(PYTHON) --extra dev
	touch $(STAMP)

# Interface translations: locale/<lang>/LC_MESSAGES/django.po, compiled to .mo (not committed).
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

gettext:
	@if command -v msgfmt >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing gettext from Debian for the translation catalogs..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	else \
		echo "Compiling translations needs GNU gettext (Debian/Ubuntu: sudo apt-get install gettext)."; \
		exit 1; \
	fi

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | gettext
	msgfmt --check -o $@ $<

# Collect new interface text into the catalogs (then translate every new msgstr).
messages: $(STAMP) gettext
	DEBUG=1 $(BIN)/python manage.py makemessages --all --no-obsolete --no-location \
		--ignore=.venv --ignore=.tools --ignore=tests --ignore=bench --ignore=staticfiles

lock-check: $(TOOLS)/bin/uv
	@$(LOCK_CHECK)

lock: $(TOOLS)/bin/uv
	$(UV) lock --python $(PYTHON)

lock-upgrade: $(TOOLS)/bin/uv
	$(UV) lock --python $(PYTHON) $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade)

run: $(STAMP) $(CATALOGS)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_content
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

chromium:
	@if [ -x "$(CHROMIUM_PATH)" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium from Debian for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Browser tests need Chromium at $(CHROMIUM_PATH)."; \
		echo "Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH."; \
		exit 1; \
	fi

# Java and npm from Debian when missing (and root); the checker itself from npm, pinned, without
# its install script (which would download another Java).
nu-checker:
	@missing=""; for t in java npm; do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -f "$(VNU_JAR)" ] && command -v java >/dev/null; then :; \
	elif [ -n "$$missing" ] && ! { [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; }; then \
		echo "The HTML validity tests need:$$missing (Debian/Ubuntu: sudo apt-get install default-jre-headless npm),"; \
		echo "then 'make nu-checker' installs the Nu Html Checker into $(VNU_DIR)."; \
		exit 1; \
	else \
		if [ -n "$$missing" ]; then \
			echo "Installing$$missing from Debian for the Nu Html Checker..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless npm >/dev/null; \
		fi; \
		echo "Installing the Nu Html Checker (npm vnu-jar@$(VNU_VERSION)) into $(VNU_DIR)..."; \
		npm install --silent --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
			--prefix $(VNU_DIR) vnu-jar@$(VNU_VERSION) && test -f "$(VNU_JAR)"; \
	fi

lint: $(STAMP) lock-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint --failure-threshold warning Dockerfile

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) chromium nu-checker lint $(CATALOGS)
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	DATABASE_URL=$(POSTGRES_URL) $(MAKE) test

# The bench installs its own tools (wrk, nginx, PostgreSQL from Debian when root; the services
# Debian starts on install are stopped again, the bench starts what it needs) and runs
# everything on 127.0.0.1; see bench/README.md.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(UV) sync --frozen --python $(PYTHON) --extra dev --extra bench
	touch $(BENCH_STAMP)

bench-tools:
	@missing=""; for t in wrk nginx pg_ctlcluster; do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing wrk, nginx and PostgreSQL from Debian for the bench..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx postgresql >/dev/null; \
		service nginx stop >/dev/null 2>&1 || true; \
		service postgresql stop >/dev/null 2>&1 || true; \
	else \
		echo "The bench needs:$$missing (Debian: sudo apt-get install wrk nginx postgresql)"; exit 1; \
	fi

bench: $(BENCH_STAMP) chromium bench-tools
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .tools staticfiles .pytest_cache .ruff_cache .hypothesis
