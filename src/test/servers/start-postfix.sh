#!/usr/bin/env bash
# Start a private Postfix instance on 127.0.0.1:$POSTFIX_PORT (default 2525).
#
# Config, queue, log and mail live under $SMTP_PEERS_RUN/postfix (default
# /tmp/smtp-harness-peers/postfix); the system instance in /etc/postfix is
# neither used nor started. Several instances can run at once if each has its
# own SMTP_PEERS_RUN and port.
#
# Safety: listens on 127.0.0.1 only; accepts mail only for test.example (or the
# space-separated domains in POSTFIX_DOMAINS) and stores it in the maildir
# $SMTP_PEERS_RUN/postfix/mail/test.example/ ; every other recipient domain is
# refused at RCPT (554 5.7.1 Relay access denied); master.cf has no smtp/lmtp
# client and every transport is error:, so nothing can leave the machine. The
# daemon runs in a private mount namespace whose resolv.conf points at
# 127.0.0.1 only (unshare), so not even DNS leaves loopback.
#
# STARTTLS: offered with a self-signed certificate made by openssl in
# $SMTP_PEERS_RUN/postfix/tls/ (security level may, so plaintext works too).
#
# stdout: the port, once a 220 greeting was read. stderr: progress, and on
# failure "ERROR: ..." plus the log tail; exit status non-zero on failure.
# If this instance already runs on the same port, it just prints the port.
# $SMTP_PEERS_RUN/postfix/version holds "Postfix 3.7.11" once started.
#
# Environment: POSTFIX_PORT, SMTP_PEERS_RUN, POSTFIX_DOMAINS,
# POSTFIX_MAINCF_EXTRA (lines appended to main.cf), POSTFIX_START_TIMEOUT
# (seconds to wait for 220, default 30), SMTP_PEERS_APT_UPDATE=1 (force
# apt-get update before installing).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
PORT=${POSTFIX_PORT:-2525}
check_port "$PORT"
DOMAINS=${POSTFIX_DOMAINS:-test.example}
TIMEOUT=${POSTFIX_START_TIMEOUT:-30}
DIR="$SMTP_PEERS_RUN/postfix"
CONF="$DIR/conf"
t_begin=$(now_ms)

if [ ! -x /usr/sbin/postfix ] || [ ! -x /usr/lib/postfix/sbin/master ]; then
  # "No configuration": the package leaves /etc/postfix/main.cf alone and the
  # system instance is never configured; policy-rc.d (apt_install) keeps it stopped.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt_install postfix
fi
need_cmd unshare util-linux
need_cmd runuser util-linux
need_cmd openssl openssl
getent passwd postfix >/dev/null || die "user 'postfix' missing (is the postfix package installed correctly?)"

if [ -f "$CONF/main.cf" ] && postfix -c "$CONF" status >/dev/null 2>&1; then
  running_port=$(cat "$DIR/port" 2>/dev/null || echo "?")
  [ "$running_port" = "$PORT" ] || die "postfix in $CONF already runs on port $running_port, not $PORT; stop it first (SMTP_PEERS_RUN=$SMTP_PEERS_RUN $HERE/stop-postfix.sh)"
  g=$(smtp_greeting "$PORT" || true)
  [ "${g:0:3}" = 220 ] || die "postfix instance in $CONF runs but 127.0.0.1:$PORT does not greet (got '${g}')"
  log "already running: 127.0.0.1:$PORT -- $g"
  echo "$PORT"; exit 0
fi
port_in_use "$PORT" && die "port $PORT already in use by something else"

mkdir -p "$CONF" "$DIR/queue" "$DIR/data" "$DIR/mail"
chmod 755 "$SMTP_PEERS_RUN" "$DIR" "$CONF"
chown nobody:nogroup "$DIR/mail"
# the maildir exists from the start (tests may watch it); Postfix fills it as nobody
for d in tmp new cur; do install -d -m 700 -o nobody -g nogroup "$DIR/mail/test.example/$d"; done
chmod 700 "$DIR/mail/test.example"; chown nobody:nogroup "$DIR/mail/test.example"
chown postfix "$DIR/data"   # master keeps master.lock etc. here
# the daemons run as postfix (queue) and nobody (maildir delivery): every parent
# directory must be traversable for them (a 0700 parent would make smtpd fail late)
runuser -u postfix -- test -x "$DIR/queue" || die "user postfix cannot reach $DIR (a parent directory is not world-traversable)"
runuser -u nobody -- test -w "$DIR/mail" || die "user nobody cannot write $DIR/mail"

# STARTTLS (RFC 3207): a self-signed EC P-256 certificate, made once per run dir (~20 ms);
# postfix reads the key as root before dropping privileges, so it stays 0600 root
if [ ! -s "$DIR/tls/cert.pem" ] || [ ! -s "$DIR/tls/key.pem" ]; then
  install -d -m 755 "$DIR/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/O=smtp-harness test/CN=postfix.test.example" -addext "subjectAltName=DNS:postfix.test.example" \
    -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" >"$DIR/tls/openssl.log" 2>&1 </dev/null \
    || { cat "$DIR/tls/openssl.log" >&2; die "openssl could not make the test certificate"; }
  chmod 600 "$DIR/tls/key.pem"; chmod 644 "$DIR/tls/cert.pem"
fi

cat > "$CONF/main.cf.new" <<MAINCF
compatibility_level = 3.6
queue_directory = $DIR/queue
data_directory = $DIR/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $DIR/maillog
maillog_file_prefixes = $SMTP_PEERS_RUN
syslog_name = postfix-test
myhostname = postfix.test.example
mydomain = test.example
myorigin = \$mydomain
smtpd_banner = \$myhostname ESMTP Postfix
inet_interfaces = loopback-only
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.1/32
relayhost =
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no
# never relay: refuse any recipient outside virtual_mailbox_domains, even from loopback
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = reject_unauth_destination
# outbound transports all fail hard (and master.cf has no smtp/lmtp client)
default_transport = error:5.7.1 outbound mail disabled in this test instance
relay_transport = error:5.7.1 outbound mail disabled in this test instance
local_transport = error:5.7.1 local delivery disabled in this test instance
# all recipients of the test domains go into one maildir, owned by nobody
virtual_mailbox_domains = $DOMAINS
virtual_mailbox_base = $DIR/mail
virtual_mailbox_maps = static:test.example/
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
# STARTTLS offered, not required (security level may); no SASL backend, so no AUTH
smtpd_tls_security_level = may
smtpd_tls_cert_file = $DIR/tls/cert.pem
smtpd_tls_key_file = $DIR/tls/key.pem
smtpd_tls_loglevel = 1
# keep undeliverable test mail from piling up
bounce_queue_lifetime = 0
maximal_queue_lifetime = 0
MAINCF
# extra main.cf lines for experiments, e.g. POSTFIX_MAINCF_EXTRA=$'smtpd_forbid_bare_newline = yes\nmynetworks ='
if [ -n "${POSTFIX_MAINCF_EXTRA:-}" ]; then printf '%s\n' "$POSTFIX_MAINCF_EXTRA" >> "$CONF/main.cf.new"; fi

cat > "$CONF/master.cf.new" <<MASTERCF
127.0.0.1:$PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
MASTERCF

# replace the config files only when they changed: master starts ~2 s slower
# after main.cf/master.cf were modified
for f in main.cf master.cf; do
  if cmp -s "$CONF/$f.new" "$CONF/$f"; then rm -f "$CONF/$f.new"; else mv "$CONF/$f.new" "$CONF/$f"; fi
done

echo "Postfix $(postconf -c "$CONF" -h mail_version 2>/dev/null || echo '?')" > "$DIR/version"
t0=$(now_ms)
if [ ! -d "$DIR/queue/public" ] || [ ! -d "$DIR/queue/pid" ]; then
  # first start in this dir: let postfix create the queue tree with the right owners (~2-3 s)
  postfix -c "$CONF" check >"$DIR/check.log" 2>&1 </dev/null || { cat "$DIR/check.log" >&2; tail -20 "$DIR/maillog" >&2 2>/dev/null || true; die "postfix check failed"; }
fi
# Start master directly (-w: detach once it is up); 'postfix start' would re-run
# the ~2.5 s 'postfix check' on every start. 'postfix -c CONF stop|status' still
# work. The daemon must not inherit our stdout/stderr: a caller reading them to
# EOF (a test harness) would otherwise wait for the daemon to exit.
echo "$PORT" > "$DIR/port"
( with_loopback_dns /usr/lib/postfix/sbin/master -c "$CONF" -w ) >"$DIR/start.log" 2>&1 </dev/null || {
  cat "$DIR/start.log" >&2; tail -20 "$DIR/maillog" >&2 2>/dev/null || true
  rm -f "$DIR/port"; die "postfix master failed to start (see above; log $DIR/maillog)"; }
if ! wait_220 "$PORT" "$TIMEOUT" "$t0"; then
  tail -20 "$DIR/maillog" >&2 2>/dev/null || true
  postfix -c "$CONF" stop >/dev/null 2>&1 </dev/null || true
  die "postfix did not answer 220 on 127.0.0.1:$PORT within ${TIMEOUT}s (stopped it again)"
fi
log "started in $(( $(now_ms) - t_begin )) ms (dir $DIR)"
echo "$PORT"
