package io.smtpharness.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * One SMTP command line without its CRLF: an open verb (any token, known or not) and an optional
 * argument. The verb keeps the case it was written in, so lower-case commands can be sent on
 * purpose (RFC 5321 §2.4); {@link #is(String)} compares case-insensitively.
 *
 * <p>A command can never carry CR or LF: that is what {@code sendRaw} is for.
 */
public record Command(String verb, String argument) {

    public Command {
        Objects.requireNonNull(verb, "verb == null");
        Objects.requireNonNull(argument, "argument == null");
        if (verb.isEmpty() || verb.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("verb must be one non-empty token: '" + verb + "'");
        }
        if (containsLineBreak(verb) || containsLineBreak(argument)) {
            throw new IllegalArgumentException("a command must not contain CR or LF; use sendRaw for that");
        }
    }

    /** Parses a line such as {@code "MAIL FROM:<a@b.example>"}; text after the first space is the argument. */
    public static Command parse(String line) {
        Objects.requireNonNull(line, "line == null");
        String verb = verbOf(line);
        return new Command(verb, verb.length() == line.length() ? "" : line.substring(verb.length() + 1));
    }

    /**
     * The verb of a command line as a server reads it: the text before the first space, whatever
     * else the line holds (RFC 5321 §4.1.1: "verb" SP parameters). The one place a verb is cut out.
     */
    public static String verbOf(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    /** True when the verb equals {@code name}, ignoring case. */
    public boolean is(String name) {
        return verb.equalsIgnoreCase(name);
    }

    /** The verb in upper case, for table look-ups. */
    public String normalizedVerb() {
        return verb.toUpperCase(Locale.ROOT);
    }

    /** The bytes that go on the wire: the line and CRLF. */
    public byte[] toWire() {
        return (this + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The command line as sent, without CRLF. */
    @Override
    public String toString() {
        return argument.isEmpty() ? verb : verb + " " + argument;
    }

    private static boolean containsLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
