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

# Dovecot's base_dir holds unix sockets, whose paths are limited to 107
# bytes: when STATE is long, run/ is a symlink to a short directory in /tmp.
RUN_LINK=$DOVECOT_DIR/run
DOVECOT_PID_FILE=$RUN_LINK/master.pid
POSTFIX_PID_FILE=$POSTFIX_DIR/queue/pid/master.pid
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

# session_members SID...: pids of all processes in those sessions. Both
# masters call setsid(), so their session id is their pid and every child
# they fork (imap, smtpd, qmgr...) stays in it.
session_members() {
  local stat pid rest state ppid pgrp sid want
  for stat in /proc/[0-9]*/stat; do
    read -r rest 2>/dev/null <"$stat" || continue
    pid=${rest%% *}
    rest=${rest##*) }              # skip "pid (comm) " (comm may hold spaces)
    read -r state ppid pgrp sid _ <<<"$rest"
    [[ $state == Z ]] && continue  # exited; PID 1 reaps it when it likes
    for want in "$@"; do
      [[ $sid == "$want" ]] && echo "$pid"
    done
  done
}
