package io.smtpharness.client;

import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.Reply;
import io.smtpharness.transcript.Transcript;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One open SMTP connection, used by one thread at a time: octets out, complete replies in, each
 * read with a deadline. Server behaviour never throws here; it comes back as {@link Received}.
 * Every octet either way is written to the connection's {@link Transcript}.
 */
public interface SmtpConnection extends AutoCloseable {

    /** The transcript this connection writes to. */
    Transcript transcript();

    /** True once TLS is up (implicit, or after {@link #startTls()}). */
    boolean isSecure();

    /**
     * Starts TLS after the server's 220 to STARTTLS (RFC 3207 §4): replies already received in
     * plaintext are taken out of the reply queue (and returned), an incomplete plaintext line is
     * dropped, and the handshake gets the reply timeout; the transcript notes the session's
     * protocol, cipher suite and certificate. From then on every reply read came inside TLS.
     */
    TlsUpgrade startTls();

    /** Octets received so far, complete lines or not (before TLS, if it started). */
    long octetsReceived();

    /** Waits up to the configured reply timeout for one complete reply. */
    Received readReply();

    /** Waits up to {@code timeout} for one complete reply (a deadline for all its lines). */
    default Received readReply(Duration timeout) {
        return readReply(timeout, "no complete reply within " + timeout.toMillis() + " ms");
    }

    /**
     * As {@link #readReply(Duration)}, noting {@code onSilence} (if not null) in the transcript if
     * nothing came in time; a zero wait only asks whether a reply is already there.
     */
    Received readReply(Duration timeout, String onSilence);

    /**
     * The non-blocking {@link #readReply(Duration, String)}: hands what it produces to {@code then}
     * instead of returning it. Over TCP {@code then} runs on the connection's event loop, as soon as
     * the reply, the close or the deadline comes, so no thread waits; steps that {@code then} takes
     * (sending, reading again) stay on that loop. This default reads on the calling thread.
     */
    default void whenReply(Duration timeout, String onSilence, Consumer<Received> then) {
        then.accept(readReply(timeout, onSilence));
    }

    /** A reply already received and not yet read, without waiting (and without a transcript note). */
    Optional<Reply> pollReply();

    /** Sends a validated command line and CRLF; false when the connection is already closed. */
    default boolean send(Command command) {
        return sendRaw(command.toWire());
    }

    /**
     * Sends one line of an AUTH exchange (the command with its initial response, or a response):
     * the transcript records it redacted ({@link Transcript#clientAuth}), so credentials never reach
     * a transcript or report.
     */
    boolean sendAuth(byte[] octets);

    /** Sends octets exactly as given (bare CR/LF, NUL, partial commands); false when closed. */
    boolean sendRaw(byte[] octets);

    /** True while the connection is open and its close has not been read. */
    boolean isOpen();

    /** Drops the connection (no QUIT). */
    @Override
    void close();
}
