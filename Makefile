# e-Santunan: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo's fake SMS gateway (notifications): what it "sends" is logged to SMS_LOG.
SMS_PORT ?= 8025
SMS_LOG ?= data/fake-sms.log

# make run REGENCY=33.74: the demo for another regency of the shipped area table
# (here Kota Semarang), in a SQLite file of its own unless DATABASE_URL is set.
# Without REGENCY the demo is Kabupaten Batang from its own area file, then recorded
# as the regency served (so the administrator is not sent to the first-run page).
REGENCY ?=
ifneq ($(REGENCY),)
export DATABASE_URL ?= sqlite:///$(CURDIR)/data/esantunan-$(REGENCY).sqlite3
AREAS := setup_regency $(REGENCY)
else
AREAS := load_wilayah villages/data/batang_wilayah.csv && DEBUG=$${DEBUG:-1} $(MANAGE) setup_regency 33.25
endif

.PHONY: run test bench lint install system-deps messages lock clean docs
.PHONY: screenshots guides-pdf

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,docs]'
	touch $(STAMP)

install: system-deps $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,docs,bench]'
	touch $(BENCH_STAMP)

# Libraries that pip cannot install: Pango for weasyprint, Chromium for the browser
# tests, fonts for PDFs, gettext for translations, pg_dump and pg_restore for backups.
# Installed only when missing.
system-deps:
	@missing=""; \
	ldconfig -p | grep -q 'libpango-1.0.so' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Please install these system packages:$$missing"; \
	  fi; \
	fi

# The letters' QR codes point at the address served here unless PUBLIC_BASE_URL is set.
run: install
	@# The guides served at /panduan/, built without --strict: a broken link is reported
	@# but does not stop the demo (make docs fails on it).
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput
	DEBUG=$${DEBUG:-1} $(MANAGE) $(AREAS)
	DEBUG=$${DEBUG:-1} $(MANAGE) create_demo_accounts
	DEBUG=$${DEBUG:-1} $(MANAGE) generate_claims 24 --if-empty --with-documents --every-state
	DEBUG=$${DEBUG:-1} $(MANAGE) generate_payouts --if-empty
	DEBUG=$${DEBUG:-1} $(MANAGE) load_demo_registries --if-empty
	DEBUG=$${DEBUG:-1} PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://$(HOST):$(PORT)} \
	  NOTIFY_GATEWAY_URL=$${NOTIFY_GATEWAY_URL:-http://127.0.0.1:$(SMS_PORT)} \
	  sh -c '$(MANAGE) run_fake_sms_gateway --port $(SMS_PORT) --log $(SMS_LOG) & gateway=$$!; \
	  $(MANAGE) run_worker & worker=$$!; \
	  trap "kill $$worker $$gateway 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver --noreload $(HOST):$(PORT)'

test: install
	DEBUG=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# The documentation site (mkdocs.yml: docs/ into docs_site/), served by the service at
# /panduan/. --strict: a broken link or a page missing from the navigation fails.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The guides' screenshots (docs/panduan/img/), taken by Chromium from the demo as each
# role sees it (tests/docs/test_guide_screenshots.py). Commit the PNGs it changes.
screenshots: install
	SCREENSHOTS=1 DEBUG=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/docs/test_guide_screenshots.py

# One printable PDF per role guide, from the same markdown, into docs_site/pdf/
# (scripts/guides_pdf.py), after the site: mkdocs empties docs_site/ when it builds.
# The office prints them for village training; each guide page links its own.
guides-pdf: docs
	DEBUG=1 $(BIN)/python scripts/guides_pdf.py docs_site/pdf

# LOAD_FULL=1 runs the load test for its full 10 minutes per step (benchmarks/bench_load.py).
# BENCH_ARGS=--quick: every benchmark at tiny sizes, in a few minutes (what CI runs).
bench: install $(BENCH_STAMP)
	DEBUG=1 $(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .

messages: install
	DEBUG=1 $(MANAGE) makemessages -l en --no-obsolete -i '.venv/*' -i 'staticfiles/*'
	$(BIN)/python scripts/translate_en.py

# Refresh constraints.txt after changing dependencies in pyproject.toml.
lock:
	rm -rf /tmp/esantunan-lock && $(PYTHON) -m venv /tmp/esantunan-lock
	/tmp/esantunan-lock/bin/pip install --quiet '.[test,docs,bench]'
	/tmp/esantunan-lock/bin/pip freeze --exclude e-santunan > constraints.txt

clean:
	rm -rf $(VENV) staticfiles docs_site *.egg-info
