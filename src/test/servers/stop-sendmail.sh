#!/usr/bin/env bash
# Stop the private Sendmail that start-sendmail.sh started in
# $SMTP_PEERS_RUN/sendmail (TERM to the daemon pid in sendmail.pid, KILL after
# 10 s; its session and delivery children end with it or on their own).
# Idempotent: fine to call when nothing runs, when the directory does not
# exist, or twice. Waits until the port is free. The port is read from
# $SMTP_PEERS_RUN/sendmail/port (SENDMAIL_PORT is only a fallback). Leaves the
# directory in place (queue, maildir).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
stop_daemon sendmail sendmail.pid "${SENDMAIL_PORT:-}"
