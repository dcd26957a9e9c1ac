package io.smtpharness.dialogue;

import io.smtpharness.client.Received;
import io.smtpharness.client.SmtpConnection;
import io.smtpharness.client.TlsUpgrade;
import io.smtpharness.protocol.Reply;
import io.smtpharness.rules.SessionEvent;
import java.time.Duration;

/**
 * STARTTLS, the handshake, and the fresh session inside TLS (RFC 3207 §4, §4.2). What was pipelined
 * behind STARTTLS is owed no reply any more: a reply to it in plaintext before the handshake is
 * noted, one inside TLS is command injection (CVE-2011-0411).
 */
final class StartTlsStep {

    /** How long a reply to a command injected behind STARTTLS may take to show up inside TLS. */
    private static final Duration INJECTION_WINDOW = Duration.ofSeconds(1);

    private StartTlsStep() {
    }

    /**
     * Performs {@code step}, with {@code injected} (expanded) pipelined behind STARTTLS; true when
     * the server refused TLS and the session should end.
     */
    static boolean perform(Step.StartTls step, String injected, Conversation conv) {
        conv.send(Step.Octets.fromText("STARTTLS\r\n" + injected));
        conv.expectingTls(true);
        Reply reply = conv.next(step.origin());
        conv.expectingTls(false);
        if (reply == null) {
            return false;
        }
        if (reply.code() == 454) {
            conv.notApplicable("the server answered STARTTLS with 454 (TLS not available now, 3207-4-454-TEMP)");
            return true;
        }
        if (reply.code() != 220) {
            if (conv.model().advertised("STARTTLS")) {
                conv.report(new SessionEvent.StartTlsRefused(reply, step.origin()));
            } else {
                conv.notApplicable("the server does not offer STARTTLS (it answered \"" + reply.summary() + "\")");
            }
            return true;
        }
        SmtpConnection connection = conv.connection();
        TlsUpgrade upgrade = connection.startTls();
        conv.tracker().tlsEstablished();
        if (!upgrade.plaintextReplies().isEmpty()) {
            conv.note("the server answered " + upgrade.plaintextReplies().size() + " command(s) pipelined"
                    + " behind STARTTLS in plaintext, before the handshake; they were not run inside TLS");
        }
        if (!upgrade.established()) {
            handshakeFailed(step, upgrade, conv);
            return false;
        }
        if (step.inject().isEmpty()) {
            // nothing was pipelined, yet a reply already there came inside TLS unasked
            connection.pollReply().ifPresent(r -> conv.report(new SessionEvent.ReplyInsideTls(r, step.origin(), false)));
        } else {
            Received early = connection.readReply(conv.quietWindow(INJECTION_WINDOW));
            if (early instanceof Received.Got) {
                Reply injectedReply = ((Received.Got) early).reply();
                conv.report(new SessionEvent.ReplyInsideTls(injectedReply, step.origin(), true));
                for (Received more; (more = connection.readReply(Duration.ofMillis(200))) instanceof Received.Got; ) {
                    conv.note("another injected reply: " + ((Received.Got) more).reply().summary());
                }
            } else if (early instanceof Received.Closed) {
                conv.serverClosed();
            }
        }
        return false;
    }

    private static void handshakeFailed(Step.StartTls step, TlsUpgrade upgrade, Conversation conv) {
        String why = upgrade.failure().orElseThrow();
        if (!upgrade.plaintextReplies().isEmpty()) {
            why = "the server sent plaintext after the 220 where the TLS handshake belonged (\""
                    + upgrade.plaintextReplies().get(0).summary() + "\"" + (upgrade.plaintextReplies().size() > 1
                    ? " and " + (upgrade.plaintextReplies().size() - 1) + " more" : "") + "); " + why;
        }
        if (upgrade.certificateRejected()) {
            conv.fail(why + " (the certificate was checked because of --tls-verify) at " + step.origin());
        } else {
            conv.report(new SessionEvent.HandshakeFailed(why, step.origin()));
            conv.tracker().closed();
            conv.end();
        }
    }
}
