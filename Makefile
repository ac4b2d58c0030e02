# The verbs a newcomer types. `make run` and `make test` install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
APP_BIN := target/debug/courriel-app
CLI_BIN := target/debug/courriel

.PHONY: help run test deps-run deps-test ui-deps ui ui-check ui-test app cli \
        fmt fmt-check lint test-rust test-e2e bindings clean

help:
	@echo "make run    build the UI and the app, and open Courriel"
	@echo "make test   every test: lints, Rust unit and real-server tests, UI checks, end-to-end"
	@echo "make bench  Courriel's outbox against msmtp; IMAP sync and search of 100,000 messages against mbsync and notmuch"

run: deps-run ui app
	$(APP_BIN)

test: deps-test ui-check ui-test ui fmt-check lint test-rust test-e2e
	@echo "make test: all passed"

deps-run:
	scripts/ensure-deps run

deps-test:
	scripts/ensure-deps test

ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund

ui-deps: ui/node_modules/.package-lock.json

ui: ui-deps
	cd ui && npm run build

ui-check: ui-deps
	cd ui && npm run check

ui-test: ui-deps
	cd ui && npm test

# The binary the tests drive embeds ui/dist (custom-protocol) instead of loading devUrl.
app: ui
	$(CARGO) build -p courriel-app --features custom-protocol

cli:
	$(CARGO) build -p courriel-cli

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Inside a private D-Bus session with an unlocked gnome-keyring: the keychain tests use
# the real Secret Service.
test-rust:
	tests/keyring/session $(CARGO) test --workspace --exclude courriel-app

test-e2e: app cli
	$(CARGO) build -p courriel-engine --example seed_cache
	COURRIEL_APP_BINARY=$(CURDIR)/$(APP_BIN) COURRIEL_CLI=$(CURDIR)/$(CLI_BIN) REPO=$(CURDIR) tests/e2e/run

include bench.mk

# Regenerate the UI's TypeScript types from the Rust types.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p courriel-engine bindings

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules tests/e2e/node_modules
