package io.smtpharness.client;

import io.smtpharness.protocol.Reply;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SmtpConnection#startTls()} achieved.
 *
 * @param failure             why the handshake did not complete; empty when TLS is up
 * @param certificateRejected the handshake failed because {@code --tls-verify} rejected the certificate
 * @param plaintextReplies    replies that arrived in plaintext after the 220, before the handshake began
 *                            (answers to commands pipelined behind STARTTLS); they are not queued
 * @param plaintextOctets     octets of an incomplete plaintext line after the 220, dropped
 */
public record TlsUpgrade(Optional<String> failure, boolean certificateRejected, List<Reply> plaintextReplies,
                         int plaintextOctets) {

    public TlsUpgrade {
        Objects.requireNonNull(failure, "failure == null");
        plaintextReplies = List.copyOf(plaintextReplies);
    }

    /** True when the handshake completed. */
    public boolean established() {
        return failure.isEmpty();
    }
}
