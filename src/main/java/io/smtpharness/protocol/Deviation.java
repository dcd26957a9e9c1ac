package io.smtpharness.protocol;

import java.util.Objects;

/**
 * A way in which a received reply departs from the reply grammar of RFC 5321 §4.2. The parser
 * records these instead of throwing; the rules package decides what each one costs.
 *
 * @param kind      what is wrong
 * @param lineIndex the zero-based line of the reply it was seen on
 * @param detail    a short human explanation, with escaped bytes where relevant
 */
public record Deviation(Kind kind, int lineIndex, String detail) {

    public Deviation {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(detail, "detail == null");
    }

    /** The deviations the parser can see. */
    public enum Kind {
        /** The line does not start with three digits, or the second digit is not 0-5. */
        BAD_CODE,
        /** Three digits, but the first is not 2-5 (§4.2: never outside 2-5 without an extension). */
        BAD_FIRST_DIGIT,
        /** The character after the code is neither SP nor '-'. */
        BAD_SEPARATOR,
        /** The code is followed directly by CRLF: legal, but servers should send SP (§4.2.1). */
        CODE_WITHOUT_SP,
        /** A line of a multi-line reply carries another code than the first line (§4.2.1). */
        MIXED_CODES,
        /** The line ended with a bare LF instead of CRLF (§2.3.8). */
        BARE_LF,
        /** A CR not followed by LF inside the line (§2.3.8). */
        BARE_CR,
        /** The connection ended before the line's CRLF. */
        UNTERMINATED,
        /** Longer than 512 octets including CRLF (§4.5.3.1.5). */
        LINE_TOO_LONG,
        /** Longer than the client's hard cap; the rest of the line was discarded unread. */
        LINE_OVER_CAP,
        /** Text holds octets outside %d9 / %d32-126 (§4.2 textstring). */
        NON_ASCII_TEXT,
        /** More lines, or more octets, than the client's hard caps; the reply was cut off. */
        TOO_MANY_LINES
    }
}
