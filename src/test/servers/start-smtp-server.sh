#!/usr/bin/env bash
# Start a private Nodemailer smtp-server 3.21.6 (npm) on 127.0.0.1:$SMTP_SERVER_PORT
# (default 2531), WITHOUT STARTTLS (disabled: smtp-server would otherwise offer
# it with a certificate of its own). AUTH PLAIN/LOGIN/CRAM-MD5 (optional, so in
# plaintext here) for harness / harness-test-password (SMTP_SERVER_AUTH_USER,
# SMTP_SERVER_AUTH_PASSWORD). start-smtp-server-tls.sh is the same server with
# STARTTLS.
#
# Installed once with npm into $SMTP_PEERS_OPT/smtp-server-3.21.6 (see
# smtp-server-common.sh) and run by node (>= 20) with smtp-server-fixture.js;
# binds as root, then runs as nobody.
#
# Safety: listens on 127.0.0.1 only; accepts mail only for test.example (or the
# space-separated domains in SMTP_SERVER_DOMAINS) and the bare <postmaster>,
# stored in the maildir $SMTP_PEERS_RUN/smtp-server/mail/test.example/ ; every other
# recipient is refused at RCPT (550 5.7.1 Relaying denied); nothing in it sends
# mail. Reverse lookups of clients are off, and node runs in a private mount
# namespace whose resolv.conf points at 127.0.0.1 only (unshare) all the same.
#
# stdout: the port, once a 220 greeting was read. stderr: progress, and on
# failure "ERROR: ..." plus the log tail; exit status non-zero on failure.
# If this instance already runs on the same port, it just prints the port.
# $SMTP_PEERS_RUN/smtp-server/version holds "smtp-server 3.21.6" once started; the
# log is smtp-server/smtp-server.log.
#
# Environment: SMTP_SERVER_PORT, SMTP_PEERS_RUN, SMTP_PEERS_OPT,
# SMTP_SERVER_DOMAINS, SMTP_SERVER_AUTH_USER, SMTP_SERVER_AUTH_PASSWORD, SMTP_SERVER_START_TIMEOUT
# (seconds to wait for 220, default 30).
NAME=smtp-server PORT_VAR=SMTP_SERVER_PORT DEFAULT_PORT=2531 MODE=plain
. "$(cd "$(dirname "$0")" && pwd)/smtp-server-common.sh"
