package io.smtpharness.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one SMTP connection (RFC 5321 §4.1.4): a connection part (the HELO/EHLO name) and a
 * transaction part (the envelope), which RSET, EHLO/HELO and the end of DATA replace as a whole.
 */
final class SmtpSession {

    /** The transaction part: reverse-path and accepted recipients (RFC 5321 §3.3). */
    record Envelope(String reversePath, List<String> recipients) {
        Envelope {
            recipients = List.copyOf(recipients);
        }

        Envelope withRecipient(String recipient) {
            List<String> more = new ArrayList<>(recipients);
            more.add(recipient);
            return new Envelope(reversePath, more);
        }
    }

    private String clientName;
    private Envelope envelope;

    /** True once HELO or EHLO was accepted. */
    boolean greeted() {
        return clientName != null;
    }

    /** Records an accepted HELO/EHLO, which also resets any transaction (RFC 5321 §4.1.4). */
    void greet(String name) {
        clientName = name;
        envelope = null;
    }

    /** Forgets the HELO/EHLO name and the transaction: the initial state (after TLS, RFC 3207 §4.2). */
    void forget() {
        clientName = null;
        envelope = null;
    }

    /** The open transaction, or null. */
    Envelope envelope() {
        return envelope;
    }

    /** Opens or updates the transaction. */
    void envelope(Envelope envelope) {
        this.envelope = envelope;
    }

    /** Drops the transaction part only (RSET, end of DATA). */
    void resetTransaction() {
        envelope = null;
    }

    @Override
    public String toString() {
        return "SmtpSession[client=" + clientName + ", envelope=" + envelope + "]";
    }
}
