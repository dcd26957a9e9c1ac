#!/usr/bin/env bash
# Start a private Exim 4.96 (Debian 12 exim4-daemon-light) on 127.0.0.1:$EXIM_PORT
# (default 2526).
#
# exim4-daemon-light conflicts with the postfix package (both provide
# mail-transport-agent), so it is not apt-installed: its .deb (and exim4-base's)
# is fetched with `apt-get download` and unpacked with `dpkg -x` into
# $SMTP_PEERS_OPT/exim4 (default /opt/smtp-peers/exim4); only its shared
# libraries are apt-installed, and the system user Debian-exim is created.
# Config, spool, logs and mail live under $SMTP_PEERS_RUN/exim (default
# /tmp/smtp-harness-peers/exim). Several instances can run at once if each has
# its own SMTP_PEERS_RUN and port.
#
# Safety: listens on 127.0.0.1 only; accepts mail only for test.example (or the
# space-separated domains in EXIM_DOMAINS) and stores it in the maildir
# $SMTP_PEERS_RUN/exim/mail/test.example/ ; every other recipient domain is
# refused at RCPT (550 relay not permitted); there is no smtp transport and no
# dnslookup router, so nothing can leave the machine; host_lookup and ident are
# off, and the daemon runs in a private mount namespace whose resolv.conf points
# at 127.0.0.1 only (unshare), so not even DNS leaves loopback.
#
# stdout: the port, once a 220 greeting was read. stderr: progress, and on
# failure "ERROR: ..." plus the log tail; exit status non-zero on failure.
# If this instance already runs on the same port, it just prints the port.
# $SMTP_PEERS_RUN/exim/version holds "Exim 4.96" once started.
#
# Environment: EXIM_PORT, SMTP_PEERS_RUN, SMTP_PEERS_OPT, EXIM_DOMAINS,
# EXIM_CONF_EXTRA (lines added to the main section), EXIM_START_TIMEOUT
# (seconds to wait for 220, default 30), SMTP_PEERS_APT_UPDATE=1.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
PORT=${EXIM_PORT:-2526}
check_port "$PORT" EXIM_PORT
DOMAINS=${EXIM_DOMAINS:-test.example}
TIMEOUT=${EXIM_START_TIMEOUT:-30}
DIR="$SMTP_PEERS_RUN/exim"
OPT="$SMTP_PEERS_OPT/exim4"
EXIM="$OPT/usr/sbin/exim4"
PIDF="$DIR/exim.pid"
t_begin=$(now_ms)

if [ ! -x "$EXIM" ] || [ -n "$(missing_libs "$EXIM")" ]; then
  apt_install libdb5.3 libgnutls-dane0 libgnutls30 libidn12 libidn2-0 libnsl2 libpcre2-8-0 libcrypt1 passwd
  if [ ! -x "$EXIM" ]; then
    deb_unpack exim4-daemon-light "$OPT"
    deb_unpack exim4-base "$OPT"
  fi
  [ -x "$EXIM" ] || die "exim binary $EXIM not found after unpacking exim4-daemon-light"
  m=$(missing_libs "$EXIM"); [ -z "$m" ] || die "exim needs libraries that are missing: $m"
fi
need_cmd unshare util-linux
need_cmd runuser util-linux
ensure_user Debian-exim /var/spool/exim4

if pid_alive "$PIDF"; then
  running_port=$(cat "$DIR/port" 2>/dev/null || echo "?")
  [ "$running_port" = "$PORT" ] || die "exim in $DIR already runs on port $running_port, not $PORT; stop it first (SMTP_PEERS_RUN=$SMTP_PEERS_RUN $HERE/stop-exim.sh)"
  g=$(smtp_greeting "$PORT" || true)
  [ "${g:0:3}" = 220 ] || die "exim pid $(cat "$PIDF") runs but 127.0.0.1:$PORT does not greet (got '$g')"
  log "already running: 127.0.0.1:$PORT -- $g"
  echo "$PORT"; exit 0
fi
port_in_use "$PORT" && die "port $PORT already in use by something else"

mkdir -p "$DIR/spool" "$DIR/log" "$DIR/mail"
chmod 755 "$SMTP_PEERS_RUN" "$DIR"
chown Debian-exim:Debian-exim "$DIR/spool" "$DIR/log" "$DIR/mail"
chmod 750 "$DIR/spool"
# the maildir exists from the start (tests may watch it); exim fills it as Debian-exim
for d in "" /tmp /new /cur; do install -d -m 700 -o Debian-exim -g Debian-exim "$DIR/mail/test.example$d"; done
runuser -u Debian-exim -- test -w "$DIR/mail/test.example" || die "user Debian-exim cannot write $DIR/mail (a parent directory is not world-traversable)"

cat > "$DIR/exim.conf" <<EOF
# minimal loopback-only test config (written by start-exim.sh)
primary_hostname = exim.test.example
qualify_domain = test.example
domainlist local_domains = ${DOMAINS// / : }
exim_path = $EXIM
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
keep_environment =
local_interfaces = 127.0.0.1
daemon_smtp_ports = $PORT
spool_directory = $DIR/spool
log_file_path = $DIR/log/%slog
pid_file_path = $PIDF
# no DNS / ident traffic of any kind
host_lookup =
rfc1413_hosts =
rfc1413_query_timeout = 0s
message_size_limit = 10M
# our clients are tests: do not slow them down
smtp_accept_max = 200
smtp_accept_queue_per_connection = 0
smtp_accept_max_per_host = 200
smtp_connect_backlog = 200
acl_smtp_rcpt = acl_check_rcpt
acl_smtp_data = acl_check_data
ignore_bounce_errors_after = 0s
timeout_frozen_after = 1m
${EXIM_CONF_EXTRA:-}

begin acl
acl_check_rcpt:
  accept  hosts = :
  deny    message = Restricted characters in address
          domains = +local_domains
          local_parts = ^[.] : ^.*[@%!/|]
  accept  domains = +local_domains
  deny    message = relay not permitted

acl_check_data:
  accept

begin routers
test_domains:
  driver = accept
  domains = +local_domains
  transport = test_maildir

begin transports
test_maildir:
  driver = appendfile
  # fixed path: \$domain is tainted in exim >= 4.94 and may not be used in a file name
  directory = $DIR/mail/test.example
  maildir_format
  create_directory
  delivery_date_add
  envelope_to_add
  return_path_add
  user = Debian-exim
  group = Debian-exim
  mode = 0600

begin retry
*  *  F,1m,1m

begin rewrite
EOF
# AUTH (RFC 4954) for the harness's test account, offered only inside TLS (Exim makes its own
# self-signed certificate for STARTTLS); quoted here-document: Exim expands these, not the shell
cat >> "$DIR/exim.conf" <<'AUTHEOF'

begin authenticators
plain_server:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${if and {{eq{$auth2}{harness}}{eq{$auth3}{harness-test-password}}}}
  server_set_id = $auth2
  server_advertise_condition = ${if def:tls_in_cipher}
login_server:
  driver = plaintext
  public_name = LOGIN
  server_prompts = <| Username: | Password:
  server_condition = ${if and {{eq{$auth1}{harness}}{eq{$auth2}{harness-test-password}}}}
  server_set_id = $auth1
  server_advertise_condition = ${if def:tls_in_cipher}
cram_server:
  driver = cram_md5
  public_name = CRAM-MD5
  server_secret = ${if eq{$auth1}{harness}{harness-test-password}fail}
  server_set_id = $auth1
  server_advertise_condition = ${if def:tls_in_cipher}
AUTHEOF
chmod 644 "$DIR/exim.conf"

"$EXIM" -C "$DIR/exim.conf" -bV >"$DIR/bV.out" 2>&1 </dev/null || { cat "$DIR/bV.out" >&2; die "exim rejected the config $DIR/exim.conf"; }
# "Exim version 4.96 #2 built ..." -> "Exim 4.96"
sed -n '1s/^Exim version \([^ ]*\).*/Exim \1/p' "$DIR/bV.out" > "$DIR/version"
t0=$(now_ms)
echo "$PORT" > "$DIR/port"
rm -f "$PIDF"   # stale from an earlier, killed run: wait_220 must not watch an old pid
# -bd daemonizes itself (the parent returns once the daemon is forked); the
# daemon must not inherit our stdout/stderr (a caller reading them to EOF would hang)
( with_loopback_dns "$EXIM" -C "$DIR/exim.conf" -bd -q1m -oP "$PIDF" ) >"$DIR/start.log" 2>&1 </dev/null || {
  cat "$DIR/start.log" >&2; tail -20 "$DIR/log/paniclog" "$DIR/log/mainlog" >&2 2>/dev/null || true
  rm -f "$DIR/port"; die "exim -bd failed to start (log $DIR/log/mainlog)"; }
if ! wait_220 "$PORT" "$TIMEOUT" "$t0" "$(head -1 "$PIDF" 2>/dev/null | tr -dc 0-9)"; then
  cat "$DIR/start.log" >&2; tail -20 "$DIR/log/paniclog" "$DIR/log/mainlog" >&2 2>/dev/null || true
  stop_pidfile "$PIDF" exim || true
  rm -f "$DIR/port"
  die "exim did not answer 220 on 127.0.0.1:$PORT within ${TIMEOUT}s (stopped it again)"
fi
log "started in $(( $(now_ms) - t_begin )) ms (dir $DIR)"
echo "$PORT"
