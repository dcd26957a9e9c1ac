#!/usr/bin/env bash
# Stop the private GreenMail that start-greenmail.sh started in
# $SMTP_PEERS_RUN/greenmail (TERM to the JVM, KILL after 10 s); the messages it
# held in memory are gone. Idempotent: fine to call when nothing runs, when the
# directory does not exist, or twice. Waits until the SMTP port is free. The
# port is read from $SMTP_PEERS_RUN/greenmail/port (GREENMAIL_PORT is only a
# fallback). Leaves the directory in place (log).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
stop_daemon greenmail greenmail.pid "${GREENMAIL_PORT:-}"
rm -f "$SMTP_PEERS_RUN/greenmail/api-port"
