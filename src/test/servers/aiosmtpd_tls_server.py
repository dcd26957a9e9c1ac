"""aiosmtpd (Debian python3-aiosmtpd 1.4.3) with STARTTLS and AUTH, for start-aiosmtpd-tls.sh.

usage: /usr/bin/python3 aiosmtpd_tls_server.py PORT CERT.pem KEY.pem MAILDIR

Listens on 127.0.0.1:PORT only. Recipients in the test domains (env AIOSMTPD_DOMAINS, default
"test.example") and the bare <postmaster> (RFC 5321 section 4.5.1) are accepted and stored in the
maildir MAILDIR; every other recipient is refused at RCPT (550 5.7.1 Relaying denied), and there is
no code that sends mail anywhere. STARTTLS is offered (not required) with CERT/KEY; AUTH PLAIN and
LOGIN are offered only inside TLS (aiosmtpd's auth_require_tls default) for the account in env
AIOSMTPD_AUTH_USER / AIOSMTPD_AUTH_PASSWORD (default harness / harness-test-password). Everything
else is aiosmtpd's default behaviour (SIZE 33554432, no SMTPUTF8, per-command call limits).

The key is read and the port bound as root, then the process runs as nobody. SIGTERM/SIGINT stop it.
No DNS: the greeting host name is given (aiosmtpd would otherwise call socket.getfqdn()); the start
script also runs this in a mount namespace whose resolv.conf points at 127.0.0.1 only.
"""
import asyncio
import logging
import mailbox
import os
import pwd
import signal
import ssl
import sys

import aiosmtpd
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

HOST = "127.0.0.1"


class TestDomainMaildir:
    """Accept the test domains (and bare postmaster) into a maildir, refuse everything else."""

    def __init__(self, maildir, domains):
        self.maildir = maildir
        self.domains = {d.lower() for d in domains}

    def accepts(self, address):
        local, at, domain = address.rpartition("@")
        if not at:
            return address.lower() == "postmaster"
        return domain.lower() in self.domains

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not self.accepts(address):
            return "550 5.7.1 Relaying denied"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        trace = "Return-Path: <%s>\r\nX-RcptTo: %s\r\nX-Peer: %s\r\n" % (
            envelope.mail_from or "", ", ".join(envelope.rcpt_tos), session.peer[0] if session.peer else "?")
        # one file per message, written to tmp/ and renamed into new/ by mailbox.Maildir
        mailbox.Maildir(self.maildir, create=False).add(trace.encode("utf-8", "replace") + content)
        return "250 OK"


def authenticator_for(user, password):
    user_b, password_b = user.encode(), password.encode()

    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login == user_b and auth_data.password == password_b:
            return AuthResult(success=True, auth_data=auth_data.login)
        return AuthResult(success=False, handled=False)

    return authenticate


def drop_privileges(user="nobody"):
    if os.getuid() != 0:
        return
    pw = pwd.getpwnam(user)
    os.setgroups([])
    os.setgid(pw.pw_gid)
    os.setuid(pw.pw_uid)


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    port, cert, key, maildir = int(argv[1]), argv[2], argv[3], argv[4]
    logging.basicConfig(level=os.environ.get("AIOSMTPD_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    domains = os.environ.get("AIOSMTPD_DOMAINS", "test.example").split()
    handler = TestDomainMaildir(maildir, domains)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)  # as root: the key stays 0600
    authenticator = authenticator_for(os.environ.get("AIOSMTPD_AUTH_USER", "harness"),
                                      os.environ.get("AIOSMTPD_AUTH_PASSWORD", "harness-test-password"))

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname="aiosmtpd.test.example", tls_context=context, require_starttls=False,
                    authenticator=authenticator, auth_require_tls=True, auth_required=False, loop=loop)

    server = loop.run_until_complete(loop.create_server(factory, host=HOST, port=port))
    drop_privileges()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    logging.getLogger("aiosmtpd-tls").info("aiosmtpd %s on %s:%d (STARTTLS, AUTH inside TLS), maildir %s",
                                           aiosmtpd.__version__, HOST, port, maildir)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()


if __name__ == "__main__":
    main(sys.argv)
