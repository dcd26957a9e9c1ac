package io.smtpharness.rules;

import io.smtpharness.protocol.Command;
import java.util.Map;

/**
 * What the server is answering, as far as the rules care: the opening of the connection, an RFC
 * 5321 command, the end of message data, an extension verb, or a verb nobody defined.
 */
public enum CommandKind {
    GREETING, EHLO, HELO, MAIL, RCPT, DATA, END_OF_DATA, RSET, VRFY, EXPN, HELP, NOOP, QUIT,
    /** RFC 3030 BDAT: a chunk of exactly the stated size follows the line; LAST ends the transaction. */
    BDAT,
    /** A verb some other extension defines (STARTTLS, AUTH, ETRN, ...): judged by its extension. */
    EXTENSION,
    /** A verb no RFC defines: the server must answer 500 and carry on (RFC 5321 §3.8). */
    UNKNOWN,
    /** A line holding a bare CR or LF: what a server makes of it is gray zone G-01. */
    MALFORMED;

    private static final Map<String, CommandKind> EXTENSION_VERBS = Map.of(
            "STARTTLS", EXTENSION, "AUTH", EXTENSION, "ETRN", EXTENSION,
            "TURN", EXTENSION, "ATRN", EXTENSION, "VERB", EXTENSION, "XCLIENT", EXTENSION,
            "XFORWARD", EXTENSION, "SEND", EXTENSION);

    /** The kind of a command line, by its verb (case-insensitive, RFC 5321 §2.4). */
    public static CommandKind of(Command command) {
        return ofVerb(command.normalizedVerb());
    }

    /** The kind of an upper-case verb token. */
    public static CommandKind ofVerb(String verb) {
        for (CommandKind kind : values()) {
            if (kind.isVerb() && kind.name().equals(verb)) {
                return kind;
            }
        }
        return EXTENSION_VERBS.getOrDefault(verb, UNKNOWN);
    }

    /** True for the kinds that are RFC 5321 verbs (not the greeting, end of data or catch-alls). */
    private boolean isVerb() {
        return this != GREETING && this != END_OF_DATA && this != EXTENSION && this != UNKNOWN && this != MALFORMED;
    }

    /** True for the commands every server must implement (RFC 5321 §4.5.1). */
    public boolean isRequired() {
        switch (this) {
            case EHLO: case HELO: case MAIL: case RCPT: case DATA: case RSET: case NOOP: case QUIT: case VRFY:
                return true;
            default:
                return false;
        }
    }
}
