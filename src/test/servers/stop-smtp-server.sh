#!/usr/bin/env bash
# Stop the private smtp-server that start-smtp-server.sh started in
# $SMTP_PEERS_RUN/smtp-server (TERM to node, KILL after 10 s).
# Idempotent: fine to call when nothing runs, when the directory does not
# exist, or twice. Waits until the port is free. The port is read from
# $SMTP_PEERS_RUN/smtp-server/port (SMTP_SERVER_PORT is only a fallback).
# Leaves the directory in place (log, maildir).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
stop_daemon smtp-server smtp-server.pid "${SMTP_SERVER_PORT:-}"
