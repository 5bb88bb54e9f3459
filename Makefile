# ComplaintDesk — everything a fresh machine needs, from the project's own files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test lint venv browser migrate demo clean screenshots bench

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
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null); \
	  else echo "chromium missing: sudo apt-get install chromium fonts-noto-cjk"; fi; }

test: venv browser
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: venv
	$(PY) bench/language.py

screenshots: venv browser
	SCREENSHOTS=1 $(PY) -m pytest -q complaintdesk/web/tests/test_browser.py complaintdesk/portal/tests/test_browser.py complaintdesk/web/tests/test_improvement_browser.py

clean:
	rm -rf $(VENV) var
