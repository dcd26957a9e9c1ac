package io.smtpharness.server;

import java.util.Objects;

/** What the {@link SmtpFrameDecoder} hands the session: a command line, an over-long line, or a finished DATA. */
sealed interface Inbound {

    /** A command line without its CRLF, decoded octet-for-octet (ISO-8859-1) so odd bytes stay visible. */
    record CommandLine(String text) implements Inbound {
        public CommandLine {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A command line longer than the configured maximum; its octets were discarded up to the CRLF. */
    record LineTooLong() implements Inbound {
    }

    /** The content of a DATA phase after CRLF.CRLF; {@code oversize} means it was discarded past the limit. */
    record DataEnd(byte[] content, boolean oversize) implements Inbound {
    }

    /** A bare LF inside DATA, reported at once by a server that refuses them ({@link Misbehaviour.RefuseBareLf}). */
    record BareLineFeed() implements Inbound {
    }

    /** A BDAT chunk of exactly the announced size (RFC 3030 §2); {@code oversize}: octets past the limit were dropped. */
    record Chunk(byte[] content, boolean oversize) implements Inbound {
    }
}
