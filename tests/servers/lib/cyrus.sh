# shellcheck shell=bash disable=SC2034,SC2153  # variables shared with cyrus-start/stop; STATE set by them
# Shared by cyrus-start and cyrus-stop: the layout of STATE_DIR/cyrus and how
# to find our master. Source after setting STATE (an absolute path); brings
# lib/common.sh (PY, CA_DIR, session_members, alive) along.
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CYRUS_BIN=/usr/lib/cyrus/bin
CYRUS_DIR=$STATE/cyrus
IMAPD_CONF=$CYRUS_DIR/imapd.conf
CYRUS_CONF=$CYRUS_DIR/cyrus.conf
CONFIG_DIR=$CYRUS_DIR/config
SPOOL_DIR=$CYRUS_DIR/spool
SIEVE_DIR=$CYRUS_DIR/sieve
SASLDB=$CYRUS_DIR/sasldb2
# Cyrus logs only to syslog; this gets master's own stderr. The IMAP exchanges
# of a user are in TELEMETRY_DIR/<user>/imap-<pid> (Cyrus writes them when
# that directory exists; cyrus-start makes it for alice and bob).
CYRUS_LOG=$CYRUS_DIR/master.log
TELEMETRY_DIR=$CONFIG_DIR/log
CYRUS_PID_FILE=$CYRUS_DIR/master.pid
# Holds the LMTP unix socket: a symlink to a short dir in /tmp when STATE is
# long (see RUN_LINK in common.sh).
CYRUS_RUN_LINK=$CYRUS_DIR/run

# cyrus_pid: print master's pid if it is alive and really ours (a stale pid
# file may name a recycled pid), else print nothing.
cyrus_pid() {
  local pid
  pid=$(head -n1 "$CYRUS_PID_FILE" 2>/dev/null | tr -d ' \n') || true
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qxF -- "$IMAPD_CONF"; then
    echo "$pid"
  fi
}
