package io.smtpharness.server;

import java.util.Objects;

/** The server's answer to one command: the reply text to write and what the connection does next. */
record Outcome(String reply, Next next) {

    /** What follows the reply. */
    enum Next {
        /** Read the next command. */
        COMMAND,
        /** Read message content up to CRLF.CRLF (after 354). */
        DATA,
        /** Close the connection once the reply is written (after 221). */
        CLOSE,
        /** Start the TLS handshake once the reply is written (after 220 to STARTTLS, RFC 3207 §4). */
        TLS
    }

    Outcome {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(next, "next");
    }

    /** A reply after which the session keeps reading commands. */
    static Outcome reply(String reply) {
        return new Outcome(reply, Next.COMMAND);
    }
}
