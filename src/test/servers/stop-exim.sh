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
stop_daemon exim exim.pid "${EXIM_PORT:-}"
