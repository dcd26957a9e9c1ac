package io.smtpharness.rules;

import io.smtpharness.protocol.Command;
import io.smtpharness.transcript.Escaping;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a reply answers: the kind, and the text for messages ({@code "MAIL FROM:<>"}, or
 * {@code "<connect>"} and {@code "<end of data>"}).
 *
 * @param kind     the command kind
 * @param text     the command line as sent, for findings
 * @param argument what followed the verb, as sent, with its leading space ("" when nothing did)
 * @param octets   the length of the command line on the wire, CRLF included (0 for the greeting,
 *                 the end of data and AUTH responses, which are no command lines)
 */
public record Sent(CommandKind kind, String text, String argument, int octets) {

    /** RFC 5321 §4.5.3.1.4: the longest command line, command word and CRLF included. */
    public static final int MAX_COMMAND_LINE = 512;

    private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9]{1,18}");

    /** The opening of the connection, which the greeting answers. */
    public static final Sent GREETING = new Sent(CommandKind.GREETING, "<connect>", "", 0);
    /** The end-of-data line after message content. */
    public static final Sent END_OF_DATA = new Sent(CommandKind.END_OF_DATA, "<CRLF.CRLF>", "", 0);
    /** A line answering a 334 in an AUTH exchange (RFC 4954 §4); its content is never kept. */
    public static final Sent AUTH_RESPONSE = new Sent(CommandKind.EXTENSION, "<AUTH response>", "", 0);
    /** The cancel line {@code *} answering a 334 (RFC 4954 §4). */
    public static final Sent AUTH_CANCEL = new Sent(CommandKind.EXTENSION, "<AUTH cancel *>", "", 0);

    public Sent {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(text, "text == null");
        Objects.requireNonNull(argument, "argument == null");
        if (octets < 0) {
            throw new IllegalArgumentException("octets < 0: " + octets);
        }
    }

    /**
     * True for a command line longer than the 512 octets of RFC 5321 §4.5.3.1.4, which a server may
     * refuse with "500 Line too long" (§4.5.3.1.9) whatever the command.
     */
    public boolean isOverlong() {
        return octets > MAX_COMMAND_LINE && !isAuthResponse(); // RFC 4954 §4: no line limit for those
    }

    /** True for a line that answers a 334 challenge rather than a command. */
    public boolean isAuthResponse() {
        return kind == CommandKind.EXTENSION && (text.equals(AUTH_RESPONSE.text) || text.equals(AUTH_CANCEL.text));
    }

    /** A line of {@code octets} (CRLF included) answering a 334; its content is never kept. */
    public static Sent authResponse(int octets) {
        return new Sent(CommandKind.EXTENSION, AUTH_RESPONSE.text, "", octets);
    }

    /** The verb as sent, upper-cased (empty for the greeting and the end of data). */
    public String verb() {
        if (kind == CommandKind.GREETING || kind == CommandKind.END_OF_DATA || isAuthResponse()) {
            return "";
        }
        return Command.verbOf(text).toUpperCase(Locale.ROOT);
    }

    /** True when an argument followed the verb (RSET x, NOOP x, DATA x, ...). */
    public boolean hasArgument() {
        return !argument.isBlank();
    }

    /**
     * The chunk size of a well-formed {@code BDAT chunk-size [LAST]} line (RFC 3030 §2), or -1 when
     * this is no BDAT or its argument does not parse (a strict server then reads no chunk).
     */
    public long chunkSize() {
        if (kind != CommandKind.BDAT) {
            return -1;
        }
        String[] words = argument.strip().split(" ");
        if (words.length < 1 || words.length > 2 || !CHUNK_SIZE.matcher(words[0]).matches()
                || words.length == 2 && !words[1].equalsIgnoreCase("LAST") || !argument.startsWith(" ")) {
            return -1;
        }
        return Long.parseLong(words[0]);
    }

    /** True for {@code BDAT n LAST}, the chunk that ends the message (RFC 3030 §2). */
    public boolean isLastChunk() {
        return chunkSize() >= 0 && argument.strip().split(" ").length == 2;
    }

    /**
     * True for a MAIL with the SMTPUTF8 parameter among the words after its path (RFC 6531 §3.4), or
     * a VRFY or EXPN whose last word, after the string, is SMTPUTF8 (§3.7.4.2); case-insensitive.
     */
    public boolean hasSmtputf8Parameter() {
        List<String> words = List.of(argument.strip().toUpperCase(Locale.ROOT).split(" +"));
        if (words.size() < 2) {
            return false;
        }
        if (kind == CommandKind.MAIL) {
            return words.subList(1, words.size()).contains("SMTPUTF8");
        }
        return (kind == CommandKind.VRFY || kind == CommandKind.EXPN) && words.get(words.size() - 1).equals("SMTPUTF8");
    }

    /** True when only white space followed the verb ("NOOP " CRLF: §4.1.1 asks servers to tolerate it). */
    public boolean hasOnlyTrailingSpace() {
        return !argument.isEmpty() && argument.isBlank();
    }

    /**
     * What a server that follows RFC 5321 makes of one raw line (octets as ISO-8859-1 chars, CRLF
     * removed): the verb is the text before the first space, whatever else the line holds.
     */
    public static Sent ofLine(String octets) {
        String verb = Command.verbOf(octets);
        // a bare CR or LF inside the line: servers legitimately differ on what it is (gray zone G-01)
        CommandKind kind = octets.indexOf('\r') >= 0 || octets.indexOf('\n') >= 0
                ? CommandKind.MALFORMED : CommandKind.ofVerb(verb.toUpperCase(Locale.ROOT));
        return new Sent(kind, Escaping.escapeOctets(octets), octets.substring(verb.length()), octets.length() + 2);
    }

    /** What a sent command line is, for the rules: its octets on the wire, read as {@link #ofLine}. */
    public static Sent of(Command command) {
        byte[] wire = command.toWire();
        return ofLine(new String(wire, 0, wire.length - 2, StandardCharsets.ISO_8859_1));
    }
}
