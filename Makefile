# ComplaintDesk — everything a fresh machine needs, from the project's own files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test lint venv browser migrate demo clean screenshots bench bench-tools prod-up prod-down

run: setup
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

setup: venv browser
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo
	$(PY) manage.py collectstatic --noinput -v 0

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium drives the browser tests (Playwright's own download cannot work offline).
# PDFs: WeasyPrint lays out with Pango and embeds the Noto CJK fonts; poppler-utils (pdffonts,
# pdftoppm) lets the tests check that the Chinese glyphs are embedded.
DEBIAN_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
browser:
	@{ command -v chromium && command -v pdffonts && fc-list | grep -q "Noto Serif CJK SC" \
	   && ldconfig -p | grep -q libpangoft2; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null); \
	  else echo "missing Debian packages: sudo apt-get install $(DEBIAN_PACKAGES)"; fi; }

test: venv browser
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: venv
	$(PY) bench/language.py

# The side-by-side comparison (bench/peers/compare.py) drives both systems with Debian's wrk.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null); \
	  else echo "missing Debian package: sudo apt-get install wrk"; fi; }

screenshots: venv browser
	SCREENSHOTS=1 $(PY) -m pytest -q complaintdesk/web/tests/test_browser.py complaintdesk/portal/tests/test_browser.py complaintdesk/web/tests/test_improvement_browser.py

# The production profile on this machine (loopback): gunicorn, Celery worker and beat on Redis,
# PostgreSQL with a streaming replica for reports. See docs/deploy.md.
prod-up: venv
	bash deploy/prod.sh up

prod-down:
	bash deploy/prod.sh down

clean:
	rm -rf $(VENV) var
