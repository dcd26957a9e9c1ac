package io.smtpharness.client;

import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;

/**
 * Opens connections to a target with one set of limits and TLS settings: {@link SmtpClient} over
 * TCP, or an in-memory stand-in where a test needs no socket.
 */
public interface Connector {

    /** Connects; the greeting is then the first reply to read. */
    SmtpConnection connect(InetSocketAddress target, Transcript transcript) throws TargetUnreachableException;

    /** The limits every connection uses. */
    ClientOptions options();

    /** How connections do TLS. */
    TlsSettings tlsSettings();
}
