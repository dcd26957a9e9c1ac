#!/usr/bin/env bash
# Start a private aiosmtpd 1.4.3 (Debian 12 python3-aiosmtpd) with STARTTLS and
# AUTH on 127.0.0.1:$AIOSMTPD_TLS_PORT (default 2528).
#
# Runs aiosmtpd_tls_server.py (next to this script) with the system
# /usr/bin/python3 -- the Debian package installs into it, not into a pyenv
# python3 that may come first on PATH. STARTTLS is offered (not required) with a
# self-signed certificate made by openssl in $SMTP_PEERS_RUN/aiosmtpd-tls/tls/;
# AUTH PLAIN/LOGIN for harness / harness-test-password (AIOSMTPD_AUTH_USER,
# AIOSMTPD_AUTH_PASSWORD) is offered only inside TLS (aiosmtpd's default
# auth_require_tls). Binds as root, then runs as nobody.
#
# Safety: listens on 127.0.0.1 only; accepts mail only for test.example (or the
# space-separated domains in AIOSMTPD_DOMAINS) and the bare <postmaster>, stored
# in the maildir $SMTP_PEERS_RUN/aiosmtpd-tls/mail/test.example/ ; every other
# recipient is refused at RCPT (550 5.7.1 Relaying denied); the handler has no
# code that sends mail. aiosmtpd makes no DNS lookups once its greeting name is
# set (it is), and the process runs in a private mount namespace whose
# resolv.conf points at 127.0.0.1 only (unshare) all the same.
#
# stdout: the port, once a 220 greeting was read. stderr: progress, and on
# failure "ERROR: ..." plus the log tail; exit status non-zero on failure.
# If this instance already runs on the same port, it just prints the port.
# $SMTP_PEERS_RUN/aiosmtpd-tls/version holds "aiosmtpd 1.4.3" once started;
# the log (sessions at INFO, AIOSMTPD_LOG_LEVEL) is aiosmtpd-tls/aiosmtpd.log.
#
# Environment: AIOSMTPD_TLS_PORT, SMTP_PEERS_RUN, AIOSMTPD_DOMAINS,
# AIOSMTPD_AUTH_USER, AIOSMTPD_AUTH_PASSWORD, AIOSMTPD_LOG_LEVEL,
# AIOSMTPD_START_TIMEOUT (seconds to wait for 220, default 30),
# SMTP_PEERS_APT_UPDATE=1.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
NAME=aiosmtpd-tls
PORT=${AIOSMTPD_TLS_PORT:-2528}
check_port "$PORT" AIOSMTPD_TLS_PORT
TIMEOUT=${AIOSMTPD_START_TIMEOUT:-30}
DIR="$SMTP_PEERS_RUN/$NAME"
PIDF="$DIR/aiosmtpd.pid"
PY=/usr/bin/python3
t_begin=$(now_ms)

[ -x "$PY" ] || apt_install python3
"$PY" -c 'import aiosmtpd' 2>/dev/null || apt_install python3-aiosmtpd
"$PY" -c 'import aiosmtpd' 2>/dev/null || die "$PY cannot import aiosmtpd after installing python3-aiosmtpd"
command -v openssl >/dev/null || apt_install openssl
need_cmd unshare util-linux
need_cmd setsid util-linux
need_cmd runuser util-linux

already_running "$NAME" "$PIDF" "$PORT" || true
port_in_use "$PORT" && die "port $PORT already in use by something else"

make_nobody_maildir "$DIR"
make_test_cert "$DIR/tls" aiosmtpd.test.example

echo "aiosmtpd $("$PY" -c 'import aiosmtpd; print(aiosmtpd.__version__)')" > "$DIR/version"
t0=$(now_ms)
echo "$PORT" > "$DIR/port"
# stays in the foreground; setsid + the pid of the background job is that of python itself
( cd "$DIR" && export PYTHONDONTWRITEBYTECODE=1 AIOSMTPD_DOMAINS="${AIOSMTPD_DOMAINS:-test.example}" && \
  start_foreground_daemon "$NAME" "$PIDF" "$DIR/aiosmtpd.log" \
    "$PY" "$HERE/aiosmtpd_tls_server.py" "$PORT" "$DIR/tls/cert.pem" "$DIR/tls/key.pem" "$DIR/mail/test.example" )
if ! wait_220 "$PORT" "$TIMEOUT" "$t0" "$(cat "$PIDF")"; then
  tail -30 "$DIR/aiosmtpd.log" >&2
  stop_pidfile "$PIDF" "$NAME" || true
  rm -f "$DIR/port"
  die "aiosmtpd did not answer 220 on 127.0.0.1:$PORT within ${TIMEOUT}s (stopped it again)"
fi
log "started in $(( $(now_ms) - t_begin )) ms (dir $DIR)"
echo "$PORT"
