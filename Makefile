# motcua: `make demo` runs the demo site, `make test` runs the whole suite.
# Both create .venv themselves from pyproject.toml pinned by requirements.lock.

PYTHON ?= $(shell command -v python3.12 >/dev/null 2>&1 && echo python3.12 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo's time-stamp authority and remote-signing stand-in (motcua.signing).
TSA_PORT ?= 8790
SIGNER_PORT ?= 8791
# The SMS gateway's stand-in (motcua.notifications): its page is the demo's "phone".
SMS_PORT ?= 8792
# The national document exchange backbone's stand-in (motcua.exchange): edXML packages between agencies.
EXCHANGE_PORT ?= 8793
# The national identity's OpenID Connect stand-in (VNeID-style login); the browser goes there.
IDENTITY_PORT ?= 8795
# The national public-service portal's stand-in (motcua.integrations): dossiers sync to it.
NATIONAL_PORTAL_PORT ?= 8794
# Development and tests run with DEBUG on; production leaves it off (motcua/settings.py refuses to start
# with DEBUG off and no DJANGO_SECRET_KEY).
export DJANGO_DEBUG ?= 1

.PHONY: demo test lint fmt messages lock clean serve

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else "motcua needs Python 3.12 (see .python-version)")'
	@# HarfBuzz's subsetter makes WeasyPrint's PDFs (receipts, notices) about 6x faster than fontTools.
	@/sbin/ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing libharfbuzz-subset0 (Debian) for fast PDF rendering"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null; } \
	      || echo "could not install libharfbuzz-subset0; PDFs render more slowly (fontTools)"; \
	  else echo "note: install libharfbuzz-subset0 for fast PDF rendering (WeasyPrint falls back to fontTools)"; fi; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# Links and QR codes of the demo point at the served address unless MOTCUA_PUBLIC_URL says otherwise.
demo: export MOTCUA_PUBLIC_URL ?= http://$(HOST):$(PORT)
# The payment gateways' stand-ins listen beside the site (8101 and 8102 for PORT=8000).
NATIONAL_PAY_PORT ?= $(shell echo $$(($(PORT) + 101)))
VNPAY_PORT ?= $(shell echo $$(($(PORT) + 102)))
demo: export MOTCUA_NATIONAL_PAYMENT_URL ?= http://$(HOST):$(NATIONAL_PAY_PORT)
demo: export MOTCUA_VNPAY_URL ?= http://$(HOST):$(VNPAY_PORT)
demo: export MOTCUA_SIGNING_TSA_URL ?= http://127.0.0.1:$(TSA_PORT)/
demo: export MOTCUA_SIGNING_REMOTE_URL ?= http://127.0.0.1:$(SIGNER_PORT)
demo: export MOTCUA_SMS_URL ?= http://127.0.0.1:$(SMS_PORT)
demo: export MOTCUA_EXCHANGE_BACKBONE_URL ?= http://127.0.0.1:$(EXCHANGE_PORT)
demo: export MOTCUA_VNEID_ISSUER ?= http://$(HOST):$(IDENTITY_PORT)
demo: export MOTCUA_NATIONAL_PORTAL_URL ?= http://127.0.0.1:$(NATIONAL_PORTAL_PORT)
demo: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_units
	$(BIN)/python manage.py load_demo
	@# A test CA, certificates and seals for the demo leaders and agencies, the TSA's certificate.
	$(BIN)/python manage.py signing_demo_ca
	@# The time-stamp authority and the remote-signing stand-in start first (the worker signs the
	@# documents it renders); then the payment gateways' and the SMS gateway's stand-ins, the event
	@# relay and the task worker (emails, SMS, the PDFs load_demo queued). All run beside the site and
	@# stop with it; the site serves while the worker renders.
	@echo "Serving $(MOTCUA_PUBLIC_URL)/ (staff: $(MOTCUA_PUBLIC_URL)/can-bo/, API: $(MOTCUA_PUBLIC_URL)/api/docs);" \
	  "logins above, password motcua-demo. Payment stand-ins: $(MOTCUA_NATIONAL_PAYMENT_URL)," \
	  "$(MOTCUA_VNPAY_URL); remote signer: http://127.0.0.1:$(SIGNER_PORT)/; SMS phone:" \
	  "$(MOTCUA_SMS_URL)/; document exchange backbone: $(MOTCUA_EXCHANGE_BACKBONE_URL)/;" \
	  "national identity (VNeID) stand-in: $(MOTCUA_VNEID_ISSUER)/;" \
	  "national portal: $(MOTCUA_NATIONAL_PORTAL_URL)/. Ctrl+C stops."
	$(BIN)/python manage.py signing_tsa --port $(TSA_PORT) & tsa=$$!; \
	$(BIN)/python manage.py signing_standin --port $(SIGNER_PORT) & signer=$$!; \
	trap "kill $$tsa $$signer" EXIT; \
	$(BIN)/python manage.py wait_for_port 127.0.0.1:$(TSA_PORT) 127.0.0.1:$(SIGNER_PORT); \
	$(BIN)/python manage.py payment_standin --gateway national --host $(HOST) --port $(NATIONAL_PAY_PORT) \
	  --url $(MOTCUA_NATIONAL_PAYMENT_URL) --quiet & national=$$!; \
	$(BIN)/python manage.py payment_standin --gateway vnpay --host $(HOST) --port $(VNPAY_PORT) --quiet & vnpay=$$!; \
	$(BIN)/python manage.py sms_standin --port $(SMS_PORT) --quiet & sms=$$!; \
	$(BIN)/python manage.py exchange_standin --port $(EXCHANGE_PORT) --quiet & backbone=$$!; \
	$(BIN)/python manage.py exchange_poll --forever & poller=$$!; \
	$(BIN)/python manage.py identity_standin --host $(HOST) --port $(IDENTITY_PORT) \
	  --url $(MOTCUA_VNEID_ISSUER) & identity=$$!; \
	$(BIN)/python manage.py national_standin --port $(NATIONAL_PORTAL_PORT) --data var/national-portal.sqlite3 \
	  --quiet & portal=$$!; \
	$(BIN)/python manage.py receive_national --forever & inbound=$$!; \
	{ $(BIN)/python manage.py wait_for_port 127.0.0.1:$(NATIONAL_PORTAL_PORT) && \
	  $(BIN)/python manage.py sync_national --all; } & history=$$!; \
	$(BIN)/python manage.py relay_events & relay=$$!; \
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap "kill $$tsa $$signer $$national $$vnpay $$sms $$backbone $$poller $$identity $$portal $$inbound $$relay $$worker" EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs in PYTEST_WORKERS processes (pytest-xdist), each test file in one of them (its module
# fixtures set up once); PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= 2
test: $(STAMP) lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check_messages

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Recompile the translation catalogues after editing a .po file (needs no gettext).
messages: $(STAMP)
	$(BIN)/python manage.py check_messages --write

# Re-pin every dependency to the newest version allowed by pyproject.toml.
lock:
	rm -rf /tmp/motcua-lock && $(PYTHON) -m venv /tmp/motcua-lock
	/tmp/motcua-lock/bin/pip install --quiet --disable-pip-version-check '.[dev]'
	/tmp/motcua-lock/bin/pip freeze --exclude-editable --exclude motcua > requirements.lock

clean:
	rm -rf $(VENV) var/test-artifacts
