# shellcheck shell=bash disable=SC2034,SC2153  # variables shared with start/stop; STATE set by them
# Shared by start and stop: the layout of STATE_DIR and how to find our processes.
# Source after setting STATE (an absolute path).

PY=/usr/bin/python3   # Debian's, not a pyenv shim: stdlib only, run with -I.

CA_DIR=$STATE/ca
DOVECOT_DIR=$STATE/dovecot
POSTFIX_DIR=$STATE/postfix
# Postfix's config dir apart from its queue: `postfix check` wants the whole
# config tree owned by root, the queue's subdirs are owned by postfix.
POSTFIX_CONF=$POSTFIX_DIR/conf
OAUTH_DIR=$STATE/oauth
MAIL_DIR=$STATE/mail

# run/ holds what is named by unix socket paths, which are limited to 107
# bytes: Dovecot's base_dir and Postfix's queue (its postlog socket is
# absolute). When STATE is long, run/ is a symlink to a short dir in /tmp.
RUN_LINK=$STATE/run
DOVECOT_PID_FILE=$RUN_LINK/dovecot/master.pid
POSTFIX_PID_FILE=$RUN_LINK/postfix/pid/master.pid
OAUTH_PID_FILE=$OAUTH_DIR/server.pid

DOVECOT_LOG=$DOVECOT_DIR/dovecot.log
POSTFIX_LOG=$POSTFIX_DIR/maillog
OAUTH_LOG=$OAUTH_DIR/server.log

# our_pid NAME: print the pid of that server if it is alive and really ours
# (a stale pid file may name a recycled pid), else print nothing.
our_pid() {
  local file pid marker
  case $1 in
    dovecot) file=$DOVECOT_PID_FILE; marker=$DOVECOT_DIR/dovecot.conf ;;
    postfix) file=$POSTFIX_PID_FILE; marker=MAIL_CONFIG=$POSTFIX_CONF ;;
    oauth) file=$OAUTH_PID_FILE; marker=$OAUTH_DIR/tokens.json ;;
  esac
  pid=$(head -n1 "$file" 2>/dev/null | tr -d ' \n') || true
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  # Dovecot and the python server name their config in argv; Postfix's
  # master gets it in its environment.
  if tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | grep -qxF -- "$marker" ||
     tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qxF -- "$marker"; then
    echo "$pid"
  fi
}

# session_members SID...: pids of all processes in those sessions. The two
# masters and the python server call setsid(), so their session id is their
# pid, and every child the masters fork (imap, smtpd, qmgr...) stays in it.
session_members() {
  local stat pid rest state sid want
  for stat in /proc/[0-9]*/stat; do
    read -r rest 2>/dev/null <"$stat" || continue
    pid=${rest%% *}
    rest=${rest##*) }              # skip "pid (comm) " (comm may hold spaces)
    read -r state _ _ sid _ <<<"$rest"  # state ppid pgrp session ...
    [[ $state == Z ]] && continue  # exited (see alive)
    for want in "$@"; do
      [[ $sid == "$want" ]] && echo "$pid"
    done
  done
}

# alive PID...: those of the pids that still run (an exited child of PID 1
# stays a zombie until PID 1 reaps it, which in containers may take seconds).
alive() {
  local pid state
  for pid in "$@"; do
    state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || continue
    [[ -n $state && $state != Z ]] && echo "$pid"
  done
  return 0
}
