#!/usr/bin/env bash
# Start a private OpenSMTPD 6.8 (Debian 12 opensmtpd) on 127.0.0.1:$OPENSMTPD_PORT
# (default 2527).
#
# opensmtpd conflicts with the postfix package (mail-transport-agent), so it is
# not apt-installed: its .deb is fetched with `apt-get download` and unpacked
# with `dpkg -x` into $SMTP_PEERS_OPT/opensmtpd (default /opt/smtp-peers/opensmtpd);
# only its shared libraries are apt-installed. smtpd runs in the foreground
# (-d, detached from us with setsid) with -f <our config>.
#
# ONE INSTANCE PER MACHINE: smtpd has compiled-in paths that no option moves --
# the queue /var/spool/smtpd and the control socket /var/run/smtpd.sock -- so a
# second instance (any SMTP_PEERS_RUN) is refused while one runs. The script
# also creates (not owned by any package): the symlink /usr/libexec/opensmtpd ->
# the unpacked helpers (mail.maildir ...), /var/lib/opensmtpd/empty (chroot),
# and the users opensmtpd + opensmtpq.
#
# Safety: listens on 127.0.0.1 only; accepts mail only for test.example (or the
# space-separated domains in OPENSMTPD_DOMAINS), delivered as user nobody into
# the maildir $SMTP_PEERS_RUN/opensmtpd/mail/test.example/ ; there is no relay
# action, so every other recipient is refused at RCPT (550 Invalid recipient).
# smtpd does a PTR lookup of every client address (libasr, DNS before
# /etc/hosts): it runs in a private mount namespace whose resolv.conf points at
# 127.0.0.1 only (unshare), so that lookup never leaves loopback.
#
# stdout: the port, once a 220 greeting was read. stderr: progress, and on
# failure "ERROR: ..." plus the log tail; exit status non-zero on failure.
# If this instance already runs on the same port, it just prints the port.
# $SMTP_PEERS_RUN/opensmtpd/version holds "OpenSMTPD 6.8.0p2" once started.
#
# Environment: OPENSMTPD_PORT, SMTP_PEERS_RUN, SMTP_PEERS_OPT,
# OPENSMTPD_DOMAINS, OPENSMTPD_CONF_EXTRA (lines appended to smtpd.conf),
# OPENSMTPD_START_TIMEOUT (seconds to wait for 220, default 30),
# SMTP_PEERS_APT_UPDATE=1.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
check_run_dir
PORT=${OPENSMTPD_PORT:-2527}
check_port "$PORT" OPENSMTPD_PORT
DOMAINS=${OPENSMTPD_DOMAINS:-test.example}
TIMEOUT=${OPENSMTPD_START_TIMEOUT:-30}
DIR="$SMTP_PEERS_RUN/opensmtpd"
OPT="$SMTP_PEERS_OPT/opensmtpd"
SMTPD="$OPT/usr/sbin/smtpd"
PIDF="$DIR/smtpd.pid"
t_begin=$(now_ms)

if [ ! -x "$SMTPD" ] || [ -n "$(missing_libs "$SMTPD")" ]; then
  apt_install libevent-2.1-7 libssl3 libpam0g zlib1g libdb5.3 libcrypt1 passwd
  [ -x "$SMTPD" ] || deb_unpack opensmtpd "$OPT"
  [ -x "$SMTPD" ] || die "smtpd binary $SMTPD not found after unpacking opensmtpd"
  m=$(missing_libs "$SMTPD"); [ -z "$m" ] || die "smtpd needs libraries that are missing: $m"
fi
need_cmd unshare util-linux
need_cmd setsid util-linux
need_cmd runuser util-linux
need_cmd ss iproute2
if [ ! -e /usr/libexec/opensmtpd ]; then
  mkdir -p /usr/libexec; ln -s "$OPT/usr/libexec/opensmtpd" /usr/libexec/opensmtpd
elif [ "$(readlink -f /usr/libexec/opensmtpd)" != "$(readlink -f "$OPT/usr/libexec/opensmtpd")" ]; then
  die "/usr/libexec/opensmtpd exists and is not our unpacked tree ($(readlink -f /usr/libexec/opensmtpd)); is a system opensmtpd installed?"
fi
mkdir -p /var/lib/opensmtpd/empty
ensure_user opensmtpd /var/lib/opensmtpd/empty
ensure_user opensmtpq /var/lib/opensmtpd/empty

if pid_alive "$PIDF"; then
  running_port=$(cat "$DIR/port" 2>/dev/null || echo "?")
  [ "$running_port" = "$PORT" ] || die "opensmtpd in $DIR already runs on port $running_port, not $PORT; stop it first (SMTP_PEERS_RUN=$SMTP_PEERS_RUN $HERE/stop-opensmtpd.sh)"
  g=$(smtp_greeting "$PORT" || true)
  [ "${g:0:3}" = 220 ] || die "smtpd pid $(cat "$PIDF") runs but 127.0.0.1:$PORT does not greet (got '$g')"
  log "already running: 127.0.0.1:$PORT -- $g"
  echo "$PORT"; exit 0
fi
# (smtpctl cannot tell: it refuses to run unless installed setgid opensmtpq)
if ss -xlH 2>/dev/null | grep -q ' /var/run/smtpd.sock ' || ss -xlH 2>/dev/null | grep -q ' /run/smtpd.sock '; then
  die "another OpenSMTPD instance already runs on this machine (owns /var/run/smtpd.sock; only one per machine); stop it first"
fi
port_in_use "$PORT" && die "port $PORT already in use by something else"

make_nobody_maildir "$DIR"
printf '@\tnobody\n' > "$DIR/vusers"
dl=""; for d in $DOMAINS; do dl="$dl \"$d\","; done
cat > "$DIR/smtpd.conf" <<EOF
# minimal loopback-only test config (written by start-opensmtpd.sh)
table domains {${dl%,} }
table vusers file:$DIR/vusers
smtp max-message-size 10M
listen on 127.0.0.1 port $PORT hostname "opensmtpd.test.example"
action "deliver" maildir "$DIR/mail/test.example" virtual <vusers>
match from any for domain <domains> action "deliver"
# no relay action: anything else is refused at RCPT
${OPENSMTPD_CONF_EXTRA:-}
EOF
chmod 644 "$DIR/smtpd.conf" "$DIR/vusers"

"$SMTPD" -n -f "$DIR/smtpd.conf" >"$DIR/check.log" 2>&1 </dev/null || { cat "$DIR/check.log" >&2; die "smtpd rejected the config $DIR/smtpd.conf"; }
v=$(deb_version opensmtpd); v=${v#*:}; echo "OpenSMTPD ${v%%-*}" > "$DIR/version"
t0=$(now_ms)
echo "$PORT" > "$DIR/port"
# -d: foreground, log to stderr (-> smtpd.log); setsid: its own session, so it
# does not get our terminal's signals. The pid of the background job is that of
# smtpd itself (with_loopback_dns and setsid exec).
( with_loopback_dns setsid "$SMTPD" -d -f "$DIR/smtpd.conf" ) </dev/null >"$DIR/smtpd.log" 2>&1 &
echo $! > "$PIDF"
if ! wait_220 "$PORT" "$TIMEOUT" "$t0" "$(cat "$PIDF")"; then
  tail -30 "$DIR/smtpd.log" >&2
  stop_pidfile "$PIDF" opensmtpd || true
  rm -f "$DIR/port"
  die "opensmtpd did not answer 220 on 127.0.0.1:$PORT within ${TIMEOUT}s (stopped it again)"
fi
log "started in $(( $(now_ms) - t_begin )) ms (dir $DIR)"
echo "$PORT"
