#!/usr/bin/env bash
# Stop the private Exim that start-exim.sh started in $SMTP_PEERS_RUN/exim
# (TERM to the daemon pid in exim.pid, KILL after 10 s). Idempotent: fine to
# call when nothing runs, when the directory does not exist, or twice. Waits
# until the port is free. The port is read from $SMTP_PEERS_RUN/exim/port
# (EXIM_PORT is only a fallback). Leaves the directory in place (spool, logs,
# maildir).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
DIR="$SMTP_PEERS_RUN/exim"
PORT=$(cat "$DIR/port" 2>/dev/null || echo "${EXIM_PORT:-}")
t0=$(now_ms)
stop_pidfile "$DIR/exim.pid" exim
if [ -n "$PORT" ]; then wait_port_free "$PORT" 15 || die "exim: something still listens on 127.0.0.1:$PORT after stop"; fi
rm -f "$DIR/port"
log "exim: done in $(( $(now_ms) - t0 )) ms (dir $DIR${PORT:+, port $PORT})"
