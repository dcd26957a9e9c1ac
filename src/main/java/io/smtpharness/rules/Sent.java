package io.smtpharness.rules;

import io.smtpharness.protocol.Command;
import io.smtpharness.transcript.Escaping;
import java.util.Locale;
import java.util.Objects;

/**
 * What a reply answers: the kind, and the text for messages ({@code "MAIL FROM:<>"}, or
 * {@code "<connect>"} and {@code "<end of data>"}).
 *
 * @param kind        the command kind
 * @param text        the command line as sent, for findings
 * @param hasArgument whether the command carried an argument (RSET x, NOOP x, DATA x, ...)
 */
public record Sent(CommandKind kind, String text, boolean hasArgument) {

    /** The opening of the connection, which the greeting answers. */
    public static final Sent GREETING = new Sent(CommandKind.GREETING, "<connect>", false);
    /** The end-of-data line after message content. */
    public static final Sent END_OF_DATA = new Sent(CommandKind.END_OF_DATA, "<CRLF.CRLF>", false);

    public Sent {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(text, "text == null");
    }

    /**
     * What a server that follows RFC 5321 makes of one raw line (octets as ISO-8859-1 chars, CRLF
     * removed): the verb is the text before the first space, whatever else the line holds.
     */
    public static Sent ofLine(String octets) {
        int space = octets.indexOf(' ');
        String verb = space < 0 ? octets : octets.substring(0, space);
        return new Sent(CommandKind.ofVerb(verb.toUpperCase(Locale.ROOT)), Escaping.escapeOctets(octets),
                space >= 0 && !octets.substring(space + 1).isBlank());
    }

    /** What a sent command line is, for the rules. */
    public static Sent of(Command command) {
        return new Sent(CommandKind.of(command), command.toString(), !command.argument().isBlank());
    }
}
