package io.smtpharness.client;

import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * Opens connections to a target with one set of limits and TLS settings: {@link SmtpClient} over
 * TCP, or an in-memory stand-in where a test needs no socket.
 */
public interface Connector {

    /** Connects; the greeting is then the first reply to read. */
    SmtpConnection connect(InetSocketAddress target, Transcript transcript) throws TargetUnreachableException;

    /**
     * The non-blocking {@link #connect}: hands the connection, or why there is none, to {@code then}
     * (exactly one of the two is null). Over TCP {@code then} runs on the connection's event loop.
     * This default connects on the calling thread.
     */
    default void connectThen(InetSocketAddress target, Transcript transcript,
                             BiConsumer<SmtpConnection, TargetUnreachableException> then) {
        SmtpConnection connection;
        try {
            connection = connect(target, transcript);
        } catch (TargetUnreachableException e) {
            then.accept(null, e);
            return;
        }
        then.accept(connection, null);
    }

    /** The limits every connection uses. */
    ClientOptions options();

    /** How connections do TLS. */
    TlsSettings tlsSettings();
}
