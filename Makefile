# Karnameh: two commands for a newcomer (see README.md).
#   make run    serve the demo on SQLite at http://127.0.0.1:$(PORT)
#   make test   run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: setup run test reliability reliability-runs deploy-check lint format bench messages static clean

setup: $(STAMP)

# Reinstall only when the locks or the project metadata change.
$(STAMP): requirements-dev.lock requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The task worker runs beside the server (emails, report cards, big exports: docs/jobs.md)
# and stops with it (Ctrl-C stops both).
run: setup
	$(BIN)/karnameh migrate --noinput
	$(BIN)/karnameh demo
	$(BIN)/karnameh collectstatic --noinput --verbosity 0
	@echo "Karnameh: http://127.0.0.1:$(PORT)/"
	$(BIN)/karnameh db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

test: setup
	$(BIN)/pytest

# The long runs of issue 7 (docs/reliability.md): the deadline race, killed workers, the
# workflow's invariants and the load run. Locks and crashes mean nothing on SQLite, so they
# run on PostgreSQL only: DATABASE_URL=postgres://… make reliability
reliability: reliability-runs
	$(BIN)/python reliability/load.py

# The same without the load run: a few minutes, and nothing timed.
reliability-runs: export HYPOTHESIS_PROFILE := reliability
reliability-runs: setup
	@case "$$DATABASE_URL" in \
	postgres://*|postgresql://*|pgsql://*) ;; \
	*) echo "make reliability needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name" >&2; \
		exit 2;; \
	esac
	$(BIN)/pytest reliability -p no:cacheprovider
	$(BIN)/pytest tests/test_workflow_invariants.py -p no:cacheprovider

# The production layout on loopback (docs/deploy.md): nginx with TLS in front of gunicorn with
# the production settings, on a database of its own that it drops after. PostgreSQL only, and
# nginx and openssl installed: DATABASE_URL=postgres://… make deploy-check
deploy-check: setup
	bash deploy/check.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy karnameh config

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuild the Persian catalogue (needs GNU gettext; the compiled .mo is committed).
messages: setup
	$(BIN)/karnameh makemessages -l fa --no-obsolete --no-location \
		-i ".venv/*" -i "node_modules/*" -i "var/*" -i "tests/*"
	cd karnameh && ../$(BIN)/karnameh compilemessages -l fa

# Re-vendor front-end files from package-lock.json (needs Node; the result is committed).
static:
	npm ci --ignore-scripts --no-audit --no-fund
	node scripts/vendor-static.mjs

# Speed is measured here, never in timed unit tests; figures go to docs/performance.md.
# national.py uses DATABASE_URL (PostgreSQL for the recorded figures; it loads the national
# demo there once); crunch.py makes its own PostgreSQL database on 127.0.0.1 (reliability/load.py).
bench: setup
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/workspace.py
	$(BIN)/python bench/portal.py
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/national.py
	$(BIN)/python bench/crunch.py

clean:
	rm -rf $(VENV) var/static
