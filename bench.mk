# `make bench`: 100 messages to bob from Courriel's outbox (one authenticated SMTP
# session) against msmtp (one process per message), both against a private Dovecot +
# Postfix on 127.0.0.1. Prints the times, the ratio and whether the 5x goal was met; not a
# test: it fails only when a message was not sent. Code: tests/src/bin/bench_send.rs.
# Included by the Makefile (`include bench.mk`); runs alone too: make -f bench.mk bench
# Like the real-server tests, it must run as root (Postfix's master refuses anything else).

# This file's directory, so the paths hold wherever make was started.
BENCH_ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
CARGO ?= cargo
.PHONY: bench bench-deps

bench: bench-deps
	$(CARGO) run --release --manifest-path $(BENCH_ROOT)/Cargo.toml -p courriel-tests --bin bench_send

# Install what is missing, and only that: the test servers' packages and msmtp.
bench-deps:
	$(BENCH_ROOT)/scripts/ensure-deps bench
