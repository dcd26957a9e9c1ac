#!/usr/bin/env bash
# Stop the private aiosmtpd that start-aiosmtpd-tls.sh started in
# $SMTP_PEERS_RUN/aiosmtpd-tls (TERM to the python process, KILL after 10 s).
# Idempotent: fine to call when nothing runs, when the directory does not
# exist, or twice. Waits until the port is free. The port is read from
# $SMTP_PEERS_RUN/aiosmtpd-tls/port (AIOSMTPD_TLS_PORT is only a fallback).
# Leaves the directory in place (log, maildir, certificate).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
stop_daemon aiosmtpd-tls aiosmtpd.pid "${AIOSMTPD_TLS_PORT:-}"
