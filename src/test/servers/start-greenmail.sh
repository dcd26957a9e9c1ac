#!/usr/bin/env bash
# Start a private GreenMail 2.1.13 (Maven Central com.icegreen:greenmail-standalone)
# SMTP server on 127.0.0.1:$GREENMAIL_PORT (default 2530).
#
# The standalone jar is fetched once with Maven (maven-dependency-plugin copy:
# into ~/.m2 and $SMTP_PEERS_OPT/greenmail/, default /opt/smtp-peers/greenmail)
# and runs with the java on PATH as user nobody (setpriv). Only SMTP is started
# (no SMTPS/IMAP/POP3), and GreenMail's REST API listens on another free
# loopback port (GREENMAIL_API_PORT, else picked here; written to
# greenmail/api-port) instead of its default :8080. The account
# harness / harness-test-password (harness@test.example) is configured, so AUTH
# PLAIN/LOGIN work; GreenMail offers no STARTTLS on plain SMTP, so AUTH is
# offered in plaintext.
#
# Safety: listens on 127.0.0.1 only (SMTP and API). GreenMail accepts EVERY
# recipient (it makes a mailbox for each on the fly) but delivers nothing
# anywhere: messages stay in its memory, readable through the API
# (GET http://127.0.0.1:API_PORT/api/user/postmaster@test.example/messages/INBOX),
# and are gone when it stops; there is no maildir. It makes no DNS lookups for
# SMTP that we saw; the JVM runs in a private mount namespace whose resolv.conf
# points at 127.0.0.1 only (unshare) all the same.
#
# stdout: the port, once a 220 greeting was read. stderr: progress, and on
# failure "ERROR: ..." plus the log tail; exit status non-zero on failure.
# If this instance already runs on the same port, it just prints the port.
# $SMTP_PEERS_RUN/greenmail/version holds "GreenMail 2.1.13" once started; the
# log is greenmail/greenmail.log (every SMTP line with GREENMAIL_VERBOSE=1).
#
# Environment: GREENMAIL_PORT, GREENMAIL_API_PORT, SMTP_PEERS_RUN,
# SMTP_PEERS_OPT, GREENMAIL_VERBOSE, GREENMAIL_JAVA_OPTS (default -Xmx192m
# -XX:+UseSerialGC), GREENMAIL_START_TIMEOUT (seconds to wait for 220,
# default 60).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
NAME=greenmail
VERSION=2.1.13
PORT=${GREENMAIL_PORT:-2530}
check_port "$PORT" GREENMAIL_PORT
TIMEOUT=${GREENMAIL_START_TIMEOUT:-60}
DIR="$SMTP_PEERS_RUN/$NAME"
OPT="$SMTP_PEERS_OPT/greenmail"
JAR="$OPT/greenmail-standalone-$VERSION.jar"
PIDF="$DIR/greenmail.pid"
t_begin=$(now_ms)

need_cmd java
need_cmd setpriv util-linux
need_cmd unshare util-linux
need_cmd setsid util-linux
if [ ! -s "$JAR" ]; then
  install_lock greenmail
  if [ ! -s "$JAR" ]; then
    need_cmd mvn maven
    mkdir -p "$OPT"
    log "fetching com.icegreen:greenmail-standalone:$VERSION with Maven"
    mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy \
        "-Dartifact=com.icegreen:greenmail-standalone:$VERSION" "-DoutputDirectory=$OPT" \
        </dev/null >"$OPT/mvn.log" 2>&1 || { tail -30 "$OPT/mvn.log" >&2; die "mvn could not fetch greenmail-standalone $VERSION"; }
  fi
  install_unlock
  [ -s "$JAR" ] || die "$JAR missing after the Maven fetch"
fi
chmod 755 "$SMTP_PEERS_OPT" "$OPT"; chmod 644 "$JAR"

already_running "$NAME" "$PIDF" "$PORT" || true
port_in_use "$PORT" && die "port $PORT already in use by something else"
API_PORT=${GREENMAIL_API_PORT:-$(free_loopback_port)}
check_port "$API_PORT" GREENMAIL_API_PORT
[ "$API_PORT" != "$PORT" ] || die "GREENMAIL_API_PORT must differ from GREENMAIL_PORT"
port_in_use "$API_PORT" && die "API port $API_PORT already in use by something else"

mkdir -p "$DIR"
chmod 755 "$SMTP_PEERS_RUN" "$DIR"
echo "GreenMail $VERSION" > "$DIR/version"
echo "$API_PORT" > "$DIR/api-port"
read -r -a java_opts <<<"${GREENMAIL_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC}"
props=(-Dgreenmail.smtp.hostname=127.0.0.1 "-Dgreenmail.smtp.port=$PORT"
  -Dgreenmail.api.hostname=127.0.0.1 "-Dgreenmail.api.port=$API_PORT"
  -Dgreenmail.users=harness:harness-test-password@test.example)
[ -n "${GREENMAIL_VERBOSE:-}" ] && props+=(-Dgreenmail.verbose)
t0=$(now_ms)
echo "$PORT" > "$DIR/port"
# the JVM stays in the foreground, as nobody; setpriv execs, so the pid is java's
( cd "$DIR" && start_foreground_daemon "$NAME" "$PIDF" "$DIR/greenmail.log" \
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
    java "${java_opts[@]}" -Djava.io.tmpdir=/tmp "${props[@]}" -jar "$JAR" )
if ! wait_220 "$PORT" "$TIMEOUT" "$t0" "$(cat "$PIDF")"; then
  tail -30 "$DIR/greenmail.log" >&2
  stop_pidfile "$PIDF" "$NAME" || true
  rm -f "$DIR/port"
  die "greenmail did not answer 220 on 127.0.0.1:$PORT within ${TIMEOUT}s (stopped it again)"
fi
# the API comes up a moment after SMTP: callers may read messages through it at once
deadline=$(( $(now_ms) + TIMEOUT * 1000 ))
until port_in_use "$API_PORT"; do
  if [ "$(now_ms)" -ge "$deadline" ] || ! pid_alive "$PIDF"; then
    tail -30 "$DIR/greenmail.log" >&2
    stop_pidfile "$PIDF" "$NAME" || true
    rm -f "$DIR/port"
    die "greenmail's API did not listen on 127.0.0.1:$API_PORT within ${TIMEOUT}s (stopped it again)"
  fi
  sleep 0.05
done
log "started in $(( $(now_ms) - t_begin )) ms (dir $DIR, API on 127.0.0.1:$API_PORT)"
echo "$PORT"
