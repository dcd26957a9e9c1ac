# The body of start-smtp-server.sh and start-smtp-server-tls.sh (Nodemailer's
# npm smtp-server). Source it after setting NAME (the directory / script name),
# PORT_VAR (the environment variable with the port), DEFAULT_PORT and MODE
# (plain or tls); do not run it.
#
# smtp-server 3.21.6 and its two dependencies (nodemailer 10.6.0, punycode.js
# 2.3.1, pinned exactly by smtp-server) are installed once with
# `npm install` into $SMTP_PEERS_OPT/smtp-server-3.21.6/ (default
# /opt/smtp-peers/...) and run by the node on PATH (smtp-server needs node >= 20)
# with smtp-server-fixture.js next to this file.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
SMTP_SERVER_VERSION=3.21.6
PORT=${!PORT_VAR:-$DEFAULT_PORT}
check_port "$PORT" "$PORT_VAR"
TIMEOUT=${SMTP_SERVER_START_TIMEOUT:-30}
DIR="$SMTP_PEERS_RUN/$NAME"
OPT="$SMTP_PEERS_OPT/smtp-server-$SMTP_SERVER_VERSION"
PIDF="$DIR/smtp-server.pid"
t_begin=$(now_ms)

need_cmd node "nodejs >= 20"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "smtp-server $SMTP_SERVER_VERSION needs node >= 20, this is $(node --version)"
need_cmd unshare util-linux
need_cmd setsid util-linux
need_cmd runuser util-linux
if [ ! -f "$OPT/node_modules/smtp-server/package.json" ]; then
  install_lock smtp-server
  if [ ! -f "$OPT/node_modules/smtp-server/package.json" ]; then
    need_cmd npm npm
    mkdir -p "$OPT"
    printf '{\n  "name": "smtp-harness-smtp-server-fixture",\n  "private": true,\n  "dependencies": { "smtp-server": "%s" }\n}\n' \
      "$SMTP_SERVER_VERSION" > "$OPT/package.json"
    log "npm install smtp-server@$SMTP_SERVER_VERSION in $OPT"
    (cd "$OPT" && npm install --no-audit --no-fund --omit=dev --loglevel=error) </dev/null >"$OPT/npm.log" 2>&1 \
      || { tail -30 "$OPT/npm.log" >&2; rm -rf "$OPT/node_modules"; die "npm install smtp-server@$SMTP_SERVER_VERSION failed"; }
  fi
  install_unlock
fi
installed=$(node -p "require('$OPT/node_modules/smtp-server/package.json').version" 2>/dev/null || true)
[ "$installed" = "$SMTP_SERVER_VERSION" ] || die "$OPT has smtp-server '$installed', not $SMTP_SERVER_VERSION (remove $OPT)"
chmod -R a+rX "$SMTP_PEERS_OPT" 2>/dev/null || true

already_running "$NAME" "$PIDF" "$PORT" || true
port_in_use "$PORT" && die "port $PORT already in use by something else"

make_nobody_maildir "$DIR"
tls_args=()
if [ "$MODE" = tls ]; then
  make_test_cert "$DIR/tls" "$NAME.test.example"
  tls_args=(tls "$DIR/tls/cert.pem" "$DIR/tls/key.pem")
fi

echo "smtp-server $installed" > "$DIR/version"
t0=$(now_ms)
echo "$PORT" > "$DIR/port"
# stays in the foreground; setsid + the pid of the background job is that of node itself
( cd "$DIR" && export NODE_PATH="$OPT/node_modules" SMTP_SERVER_DOMAINS="${SMTP_SERVER_DOMAINS:-test.example}" && \
  start_foreground_daemon "$NAME" "$PIDF" "$DIR/smtp-server.log" \
    node "$HERE/smtp-server-fixture.js" "$PORT" "$DIR/mail/test.example" "$NAME.test.example" "${tls_args[@]}" )
if ! wait_220 "$PORT" "$TIMEOUT" "$t0" "$(cat "$PIDF")"; then
  tail -30 "$DIR/smtp-server.log" >&2
  stop_pidfile "$PIDF" "$NAME" || true
  rm -f "$DIR/port"
  die "$NAME did not answer 220 on 127.0.0.1:$PORT within ${TIMEOUT}s (stopped it again)"
fi
log "started in $(( $(now_ms) - t_begin )) ms (dir $DIR)"
echo "$PORT"
