# `make bench`, two benchmarks against a private Dovecot + Postfix on 127.0.0.1, each
# printing its times, the ratios and whether the goals were met. Not tests: each fails only
# when something did not happen (a message not sent, a message missing after a sync).
#
# 1. bench_send: 100 messages to bob from Courriel's outbox (one authenticated SMTP
#    session) against msmtp (one process per message). Goal: at least 5x faster.
# 2. bench_sync: bob's INBOX seeded with 100,000 realistic messages straight into the
#    maildir (tests/src/seed.rs) and indexed by Dovecot, then (a) a full sync, headers and
#    bodies, Courriel against mbsync (isync) pulling into a local Maildir over IMAPS;
#    (b) a resync with nothing changed, both; (c) 100 searches, Courriel against notmuch
#    over mbsync's Maildir (one `notmuch search` per query; notmuch's indexing time too).
#    Goals: full sync at most 0.8x mbsync's time in each of COURRIEL_BENCH_FULL_RUNS runs
#    (5), no-change resync at most 0.05x, search p95 at most 20 ms.
#    COURRIEL_BENCH_MESSAGES=2000 make bench for a quick try; the full run takes minutes,
#    most of them notmuch's indexing.
# 3. bench_app: the desktop app (release build) against Geary (issue 19), both on the same
#    INBOX: bob's, seeded with BENCH_COUNT realistic messages (default 10,000: Geary's
#    first sync of 100,000 takes most of an hour here) on the test servers, each client's
#    first sync done beforehand (not measured), both connected to the server as a user's
#    would be. Under Xvfb (Courriel through tauri-driver, Geary configured from files and
#    driven with xdotool): cold start to a painted list, RUNS times (a new process each time,
#    the OS file cache dropped before each start when allowed; from the process's start in
#    /proc to Courriel's "courriel:inbox-painted" mark, and to the first screen frame of
#    Geary's settled list), and the memory of the whole process tree (the client and WebKit's
#    processes: PSS and RSS summed from /proc) idle and after opening 50 messages. Prints
#    both, the ratios and the goals: memory at most 0.9x Geary's and 250 MB, start at most
#    0.8x Geary's and 1 s. `make bench-app` runs it alone; BENCH_COUNT and RUNS apply to
#    both clients, BENCH_GEARY=0 skips Geary. Then the app alone on caches of BENCH_SIZES
#    messages (100,000 and 1,000,000; BENCH_SIZES= skips them) filled by seed_cache: the
#    same measurement, list_timing's engine timings, and the goals at a million.
#
# Code: tests/src/bin/bench_send.rs, tests/src/bin/bench_sync.rs, tests/e2e/bench-app(.mjs),
# tests/e2e/bench-geary*, tests/src/bin/bench_seed.rs.
# Included by the Makefile (`include bench.mk`); runs alone too: make -f bench.mk bench
# Like the real-server tests, it must run as root (Postfix's master refuses anything else).

# This file's directory, so the paths hold wherever make was started.
BENCH_ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
CARGO ?= cargo
.PHONY: bench bench-deps bench-app

bench: bench-deps
	$(CARGO) run --release --manifest-path $(BENCH_ROOT)/Cargo.toml -p courriel-tests --bin bench_send
	$(CARGO) run --release --manifest-path $(BENCH_ROOT)/Cargo.toml -p courriel-tests --bin bench_sync
	$(MAKE) -f $(BENCH_ROOT)/bench.mk bench-app

# The release app embeds ui/dist, built first.
bench-app: bench-deps
	cd $(BENCH_ROOT)/ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build
	$(CARGO) build --release --manifest-path $(BENCH_ROOT)/Cargo.toml -p courriel-app --features custom-protocol
	$(CARGO) build --release --manifest-path $(BENCH_ROOT)/Cargo.toml -p courriel-cli -p courriel-tests --bin courriel --bin bench_seed
	$(CARGO) build --release --manifest-path $(BENCH_ROOT)/Cargo.toml -p courriel-engine --example seed_cache --example list_timing
	COURRIEL_APP_BINARY=$(BENCH_ROOT)/target/release/courriel-app \
	COURRIEL_CLI=$(BENCH_ROOT)/target/release/courriel \
	BENCH_SEED=$(BENCH_ROOT)/target/release/bench_seed \
	SEED_CACHE=$(BENCH_ROOT)/target/release/examples/seed_cache \
	LIST_TIMING=$(BENCH_ROOT)/target/release/examples/list_timing \
	  $(BENCH_ROOT)/tests/e2e/bench-app

# Install what is missing, and only that: the test servers' packages, msmtp, isync
# (mbsync), notmuch, and for bench-app tauri-driver, Geary and xdotool.
bench-deps:
	$(BENCH_ROOT)/scripts/ensure-deps bench
