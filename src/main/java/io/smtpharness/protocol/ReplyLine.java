package io.smtpharness.protocol;

import io.smtpharness.transcript.Escaping;
import java.util.Objects;

/**
 * One received reply line exactly as framed: its content and the delimiter that ended it
 * ({@code "\r\n"}, a bare {@code "\n"}, or {@code ""} when the connection ended mid-line).
 * Bytes are kept as ISO-8859-1 characters, one char per octet, so nothing is lost or decoded.
 *
 * @param content   the octets before the delimiter
 * @param delimiter the octets that ended the line
 * @param skipped   octets of the line discarded unread past the client's cap (0 for a whole line)
 */
public record ReplyLine(String content, String delimiter, long skipped) {

    public ReplyLine {
        Objects.requireNonNull(content, "content == null");
        Objects.requireNonNull(delimiter, "delimiter == null");
        if (skipped < 0) {
            throw new IllegalArgumentException("skipped < 0: " + skipped);
        }
    }

    /** A well-formed line ended by CRLF. */
    public static ReplyLine of(String content) {
        return new ReplyLine(content, "\r\n", 0);
    }

    /** True when the line was longer than the client's cap and the rest of it was discarded. */
    public boolean truncated() {
        return skipped > 0;
    }

    /** The first three characters when they are digits, else {@code null}. */
    public String code() {
        if (content.length() < 3) {
            return null;
        }
        for (int i = 0; i < 3; i++) {
            if (!isDigit(content.charAt(i))) {
                return null;
            }
        }
        return content.substring(0, 3);
    }

    /** The character after the code: {@code ' '}, {@code '-'}, something else, or 0 when the line ends there. */
    public char separator() {
        return content.length() > 3 ? content.charAt(3) : 0;
    }

    /** True when the line announces more lines ({@code "250-..."}). */
    public boolean isContinuation() {
        return code() != null && separator() == '-';
    }

    /** The text after code and separator (may be empty). */
    public String text() {
        return content.length() > 4 ? content.substring(4) : "";
    }

    /**
     * The content as the transcript shows it ({@link Escaping}): the one form in which a finding
     * may quote received octets, so a bare CR reads {@code \r}, not a line break or nothing.
     */
    public String shown() {
        return Escaping.escapeOctets(content);
    }

    /** Length on the wire, delimiter included (RFC 5321 §4.5.3.1.5 counts it). */
    public int wireLength() {
        return content.length() + delimiter.length();
    }

    /** Octets the line took on the wire, its skipped part included. */
    public long octets() {
        return wireLength() + skipped;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
