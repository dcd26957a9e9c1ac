#!/usr/bin/env bash
# Stop the private OpenSMTPD that start-opensmtpd.sh started in
# $SMTP_PEERS_RUN/opensmtpd (TERM to the parent smtpd, which shuts down its
# own child processes; KILL after 10 s). Idempotent: fine to call when nothing
# runs, when the directory does not exist, or twice. Waits until the port is
# free. The port is read from $SMTP_PEERS_RUN/opensmtpd/port (OPENSMTPD_PORT is
# only a fallback). Leaves the directory in place (log, maildir).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
stop_daemon opensmtpd smtpd.pid "${OPENSMTPD_PORT:-}"
