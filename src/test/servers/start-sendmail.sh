#!/usr/bin/env bash
# Start a private Sendmail 8.17.1.9 (Debian 12 sendmail-bin) on
# 127.0.0.1:$SENDMAIL_PORT (default 2529).
#
# sendmail-bin conflicts with the postfix package (mail-transport-agent), so it
# is not apt-installed: sendmail-bin, sendmail-base and sendmail-cf are fetched
# with `apt-get download` and unpacked with `dpkg -x` into
# $SMTP_PEERS_OPT/sendmail (default /opt/smtp-peers/sendmail); only m4 and the
# shared libraries are apt-installed. sendmail.cf is built with m4 from a
# minimal .mc written here, and the daemon runs with -C <that cf> -bd.
# Several instances can run at once if each has its own SMTP_PEERS_RUN and port.
#
# Safety: listens on 127.0.0.1 only; the cf has no smtp/relay/esmtp mailer at
# all. Recipients in test.example (or the space-separated domains in
# SENDMAIL_DOMAINS) and the bare <postmaster> go to a tiny "testbox" mailer
# (deliver.sh, run as nobody) that writes the maildir
# $SMTP_PEERS_RUN/sendmail/mail/test.example/ ; a Local_check_rcpt ruleset
# refuses every other recipient at RCPT (550 5.7.1 Relaying denied (test
# instance), or 553 5.1.2 ... Unrecognized host name for a remote domain: there
# is no mailer for it) -- stock sendmail lets 127.0.0.1 relay anywhere. Double
# bounces are dropped. The daemon runs in a private mount namespace whose resolv.conf points
# at 127.0.0.1 only (unshare) and whose /etc/hosts gives this host a dotted
# name (else sendmail waits 60 s for its own FQDN), so none of its DNS lookups
# (sender domain, client PTR) leave loopback.
#
# Kept on purpose: sendmail's default check that the sender's domain resolves.
# A sender in a domain it cannot route is refused at MAIL, so the harness's
# default harness@client.test gets "553 5.1.2 <harness@client.test>...
# Unrecognized host name client.test."; senders in the test domains, address
# literals and <> are accepted. (Nothing resolves with DNS fenced: without
# accept_unresolvable_domains every sender would get 451 4.1.8.)
#
# stdout: the port, once a 220 greeting was read. stderr: progress, and on
# failure "ERROR: ..."; exit status non-zero on failure. If this instance
# already runs on the same port, it just prints the port.
# $SMTP_PEERS_RUN/sendmail/version holds "Sendmail 8.17.1.9" once started.
# Sendmail logs only to syslog, which these machines lack: no log by default;
# SENDMAIL_TRAFFIC_LOG=1 makes it write every session to sendmail/traffic.log (-X).
#
# Environment: SENDMAIL_PORT, SMTP_PEERS_RUN, SMTP_PEERS_OPT, SENDMAIL_DOMAINS,
# SENDMAIL_MC_EXTRA (lines added to the .mc before MAILER_DEFINITIONS),
# SENDMAIL_TRAFFIC_LOG, SENDMAIL_START_TIMEOUT (seconds to wait for 220,
# default 30), SMTP_PEERS_APT_UPDATE=1.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
NAME=sendmail
PORT=${SENDMAIL_PORT:-2529}
check_port "$PORT" SENDMAIL_PORT
DOMAINS=${SENDMAIL_DOMAINS:-test.example}
TIMEOUT=${SENDMAIL_START_TIMEOUT:-30}
DIR="$SMTP_PEERS_RUN/$NAME"
OPT="$SMTP_PEERS_OPT/sendmail"
SM="$OPT/usr/libexec/sendmail/sendmail"
CFM4="$OPT/usr/share/sendmail/cf/m4/cf.m4"
PIDF="$DIR/sendmail.pid"
t_begin=$(now_ms)

if [ ! -x "$SM" ] || [ ! -f "$CFM4" ] || [ -n "$(missing_libs "$SM")" ] || ! command -v m4 >/dev/null; then
  apt_install m4 libdb5.3 libldap-2.5-0 liblockfile1 libnsl2 libsasl2-2 libssl3 libwrap0
  install_lock sendmail
  if [ ! -x "$SM" ] || [ ! -f "$CFM4" ]; then
    for p in sendmail-bin sendmail-base sendmail-cf; do deb_unpack "$p" "$OPT"; done
  fi
  install_unlock
  [ -x "$SM" ] || die "sendmail binary $SM not found after unpacking sendmail-bin"
  [ -f "$CFM4" ] || die "$CFM4 not found after unpacking sendmail-cf"
  [ -f "$OPT/etc/mail/helpfile" ] || die "$OPT/etc/mail/helpfile not found after unpacking sendmail-base"
  m=$(missing_libs "$SM"); [ -z "$m" ] || die "sendmail needs libraries that are missing: $m"
fi
need_cmd m4 m4
need_cmd unshare util-linux
need_cmd runuser util-linux

already_running "$NAME" "$PIDF" "$PORT" || true
port_in_use "$PORT" && die "port $PORT already in use by something else"

mkdir -p "$DIR/mqueue" "$DIR/mail"
chmod 755 "$SMTP_PEERS_RUN" "$DIR"; chmod 700 "$DIR/mqueue"
make_nobody_maildir "$DIR"   # deliver.sh fills it as nobody

T=$'\t'
# one rule per test domain: ruleset 0 routes it to testbox, Local_check_rcpt lets it through
route=""; check=""
for d in $DOMAINS; do
  route+="R\$* < @ $d . > \$*${T}\$#testbox \$@ $d \$: \$1"$'\n'"R\$* < @ $d > \$*${T}\$#testbox \$@ $d \$: \$1"$'\n'
  check+="R\$* < @ $d . > \$*${T}\$@ OK"$'\n'"R\$* < @ $d > \$*${T}\$@ OK"$'\n'
done
cat > "$DIR/sendmail.mc" <<MC
divert(-1)dnl
# minimal loopback-only test config (written by start-sendmail.sh)
divert(0)dnl
include(\`$CFM4')dnl
VERSIONID(\`smtp-harness loopback test instance')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`sendmail.test.example')dnl
define(\`QUEUE_DIR', \`$DIR/mqueue')dnl
define(\`STATUS_FILE', \`$DIR/statistics')dnl
define(\`ALIAS_FILE', \`')dnl
dnl the help text of the unpacked sendmail-base (it advertises HELP; the default path is /etc/mail)
define(\`HELP_FILE', \`$OPT/etc/mail/helpfile')dnl
define(\`confPID_FILE', \`$PIDF')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confTO_IDENT', \`0s')dnl
define(\`confLOG_LEVEL', \`9')dnl
dnl bounces that cannot be returned are dropped, never sent to a local postmaster mailbox
define(\`confDOUBLE_BOUNCE_ADDRESS', \`')dnl
dnl a busy CI machine must not make it refuse or queue connections (defaults: 12 / 8 x CPUs)
define(\`confREFUSE_LA', \`1000')dnl
define(\`confQUEUE_LA', \`1000')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`no_default_msa')dnl
dnl without it every sender would get 451 4.1.8 (its domain cannot resolve: DNS is fenced)
FEATURE(\`accept_unresolvable_domains')dnl
DAEMON_OPTIONS(\`Family=inet, Name=MTA-v4, Port=$PORT, Addr=127.0.0.1')dnl
${SENDMAIL_MC_EXTRA:-}
MAILER_DEFINITIONS
Mtestbox,${T}P=$DIR/deliver.sh, F=lsnDFMPq, S=EnvFromL, R=EnvToL, U=nobody:nogroup, T=DNS/RFC822/X-Unix, A=deliver.sh \$u
LOCAL_RULE_0
${route}Rpostmaster${T}\$#testbox \$@ test.example \$: postmaster
LOCAL_RULESETS
SLocal_check_rcpt
R\$*${T}\$: \$>Parse0 \$>3 \$1
${check}Rpostmaster${T}\$@ OK
R\$*${T}\$#error \$@ 5.7.1 \$: "550 Relaying denied (test instance)"
MC
cat > "$DIR/deliver.sh" <<SH
#!/bin/sh
# sendmail "testbox" mailer (written by start-sendmail.sh): stdin -> one maildir message
f="\$(date +%s).\$\$.\$(od -An -N4 -tx4 /dev/urandom | tr -d ' ').sendmail"
cat > "$DIR/mail/test.example/tmp/\$f" && mv "$DIR/mail/test.example/tmp/\$f" "$DIR/mail/test.example/new/\$f"
SH
chmod 755 "$DIR/deliver.sh"
m4 "$DIR/sendmail.mc" > "$DIR/sendmail.cf" 2>"$DIR/m4.log" || { cat "$DIR/m4.log" >&2; die "m4 could not build $DIR/sendmail.cf"; }
chmod 644 "$DIR/sendmail.cf" "$DIR/sendmail.mc"
# sendmail waits 60 s at start when its own host name has no dot: give it one
h=$(hostname)
printf '127.0.0.1\t%s.test.example %s localhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$h" "$h" > "$DIR/hosts"
chmod 644 "$DIR/hosts"

v=$(deb_version sendmail-bin); v=${v#*:}; echo "Sendmail ${v%%-*}" > "$DIR/version"
traffic=(); [ -n "${SENDMAIL_TRAFFIC_LOG:-}" ] && traffic=(-X "$DIR/traffic.log")
t0=$(now_ms)
echo "$PORT" > "$DIR/port"
rm -f "$PIDF"   # stale from an earlier, killed run: wait_220 must not watch an old pid
# -bd forks the daemon and returns; it must not inherit our stdout/stderr
( with_loopback_dns --hosts "$DIR/hosts" "$SM" -C "$DIR/sendmail.cf" -bd -q1m "${traffic[@]}" ) >"$DIR/start.log" 2>&1 </dev/null || {
  cat "$DIR/start.log" >&2; rm -f "$DIR/port"; die "sendmail -bd failed to start"; }
for _ in $(seq 1 100); do [ -s "$PIDF" ] && break; sleep 0.05; done
if ! wait_220 "$PORT" "$TIMEOUT" "$t0" "$(head -1 "$PIDF" 2>/dev/null | tr -dc 0-9)"; then
  cat "$DIR/start.log" >&2
  stop_pidfile "$PIDF" "$NAME" || true
  rm -f "$DIR/port"
  die "sendmail did not answer 220 on 127.0.0.1:$PORT within ${TIMEOUT}s (stopped it again)"
fi
log "started in $(( $(now_ms) - t_begin )) ms (dir $DIR)"
echo "$PORT"
