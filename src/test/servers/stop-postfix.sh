#!/usr/bin/env bash
# Stop the private Postfix instance that start-postfix.sh started in
# $SMTP_PEERS_RUN/postfix. Idempotent: fine to call when nothing runs, when the
# directory does not exist, or twice. Waits until the master process is gone
# and its port is free (so a restart in the same directory works at once).
# The port is read from $SMTP_PEERS_RUN/postfix/port (POSTFIX_PORT is only a
# fallback). Leaves the directory in place (queue, maildir, maillog).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
DIR="$SMTP_PEERS_RUN/postfix"
CONF="$DIR/conf"
PORT=$(cat "$DIR/port" 2>/dev/null || echo "${POSTFIX_PORT:-}")
t0=$(now_ms)
if [ ! -f "$CONF/main.cf" ] || ! command -v postfix >/dev/null; then log "postfix: not configured in $DIR, nothing to stop"; exit 0; fi
pid=$(head -1 "$DIR/queue/pid/master.pid" 2>/dev/null | tr -dc 0-9 || true)
if postfix -c "$CONF" status >/dev/null 2>&1 </dev/null; then
  postfix -c "$CONF" stop >/dev/null 2>&1 </dev/null || true
  if [ -n "$pid" ] && ! wait_pid_gone "$pid" 15; then
    log "postfix: master $pid still alive 15 s after stop, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 5 || die "postfix master $pid does not go away"
  fi
  if [ -n "$PORT" ]; then wait_port_free "$PORT" 15 || die "postfix still listening on $PORT after stop"; fi
  log "postfix: stopped in $(( $(now_ms) - t0 )) ms (dir $DIR${PORT:+, port $PORT})"
else
  log "postfix: not running (dir $DIR)"
fi
rm -f "$DIR/port"
