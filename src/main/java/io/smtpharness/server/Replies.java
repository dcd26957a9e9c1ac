package io.smtpharness.server;

import java.util.List;

/**
 * Every canned reply of the reference server, in one place, as wire text with CRLF.
 *
 * <p>ENHANCEDSTATUSCODES is advertised, so every 2yz/4yz/5yz reply except the greeting and the
 * EHLO/HELO replies carries a class.subject.detail code whose class matches the first digit
 * (RFC 2034 §4); 354 is exempt as a 3yz reply.
 */
final class Replies {

    static final String S250_OK = "250 2.0.0 OK\r\n";
    static final String S250_SENDER_OK = "250 2.1.0 Sender OK\r\n";
    static final String S250_RECIPIENT_OK = "250 2.1.5 OK\r\n";
    static final String S250_RESET = "250 2.0.0 Reset state\r\n";
    static final String S250_MESSAGE_ACCEPTED = "250 2.0.0 OK: message accepted\r\n";
    static final String S250_CHUNK_OK = "250 2.0.0 Chunk received\r\n";
    static final String S252_CANNOT_VRFY = "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery\r\n";
    static final String S214_HELP = "214-2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP\r\n"
            + "214 2.0.0 End of HELP info\r\n";
    static final String S354_START_INPUT = "354 Start mail input; end with <CRLF>.<CRLF>\r\n";
    static final String S452_TOO_MANY_RECIPIENTS = "452 4.5.3 Too many recipients\r\n";
    static final String S500_UNRECOGNIZED = "500 5.5.2 Command unrecognized\r\n";
    static final String S500_LINE_TOO_LONG = "500 5.5.2 Line too long\r\n";
    static final String S501_SYNTAX = "501 5.5.4 Syntax error in parameters or arguments\r\n";
    static final String S501_NO_ARGUMENTS = "501 5.5.4 This command takes no arguments\r\n";
    static final String S501_DOMAIN_REQUIRED = "501 5.5.4 Domain or address literal required\r\n";
    static final String S501_BAD_PATH = "501 5.1.3 Bad address syntax\r\n";
    static final String S502_EXPN = "502 5.5.1 EXPN not implemented\r\n";
    static final String S503_BAD_SEQUENCE = "503 5.5.1 Bad sequence of commands\r\n";
    static final String S503_NESTED_MAIL = "503 5.5.1 Sender already specified\r\n";
    static final String S503_NO_VALID_RECIPIENTS = "503 5.5.1 No valid recipients\r\n";
    static final String S503_DATA_AFTER_BDAT = "503 5.5.1 DATA not allowed after BDAT\r\n";
    static final String S550_SENDER_NEEDS_ASCII = "550 5.6.7 Non-ASCII sender address needs SMTPUTF8\r\n";
    static final String S553_RECIPIENT_NEEDS_ASCII = "553 5.6.7 Non-ASCII recipient address needs SMTPUTF8\r\n";
    static final String S550_RELAYING_DENIED = "550 5.7.1 Relaying denied\r\n";
    static final String S552_TOO_BIG = "552 5.3.4 Message size exceeds fixed maximum message size\r\n";
    static final String S555_MAIL_PARAMETERS = "555 5.5.4 MAIL FROM parameters not recognized or not implemented\r\n";
    static final String S555_RCPT_PARAMETERS = "555 5.5.4 RCPT TO parameters not recognized or not implemented\r\n";

    // STARTTLS (RFC 3207 §4) and AUTH (RFC 4954 §4, §6)
    static final String S220_READY_FOR_TLS = "220 2.0.0 Ready to start TLS\r\n";
    static final String S502_NOT_OFFERED = "502 5.5.1 Command not implemented\r\n";
    static final String S503_ALREADY_TLS = "503 5.5.1 TLS already active\r\n";
    static final String S235_AUTHENTICATED = "235 2.7.0 Authentication successful\r\n";
    static final String S501_AUTH_CANCELLED = "501 5.7.0 Authentication cancelled\r\n";
    static final String S501_BAD_BASE64 = "501 5.5.2 Cannot decode base64 response\r\n";
    static final String S501_NO_INITIAL_RESPONSE = "501 5.7.0 No initial response allowed for this mechanism\r\n";
    static final String S503_ALREADY_AUTHENTICATED = "503 5.5.1 Already authenticated\r\n";
    static final String S503_AUTH_IN_TRANSACTION = "503 5.5.1 AUTH not permitted during a mail transaction\r\n";
    static final String S504_UNKNOWN_MECHANISM = "504 5.5.4 Unrecognized authentication type\r\n";
    static final String S530_STARTTLS_FIRST = "530 5.7.0 Must issue a STARTTLS command first\r\n";
    static final String S535_BAD_CREDENTIALS = "535 5.7.8 Authentication credentials invalid\r\n";
    static final String S500_AUTH_LINE_TOO_LONG = "500 5.5.6 Authentication Exchange line is too long\r\n";

    private Replies() {
    }

    /** The 220 greeting; greeting-type replies start with the host name (RFC 5321 §4.3.1). */
    static String greeting(String host) {
        return "220 " + host + " ESMTP smtp-harness reference server\r\n";
    }

    /** The EHLO reply: keywords only, all well-formed (RFC 5321 §4.1.1.1); {@code mixed} breaks §4.2.1 on purpose. */
    static String ehlo(String host, String clientName, long maxSize, boolean mixed) {
        return ehlo(host, clientName, maxSize, mixed, List.of());
    }

    /** The EHLO reply with further keyword lines ({@code STARTTLS}, {@code AUTH PLAIN ...}) before HELP. */
    static String ehlo(String host, String clientName, long maxSize, boolean mixed, List<String> more) {
        StringBuilder extra = new StringBuilder();
        more.forEach(k -> extra.append("250-").append(k).append("\r\n"));
        return "250-" + host + " greets " + clientName + "\r\n"
                + "250-8BITMIME\r\n"
                + "250-PIPELINING\r\n"
                + "250-SIZE " + maxSize + "\r\n"
                + "250-ENHANCEDSTATUSCODES\r\n"
                + "250-CHUNKING\r\n"
                + "250-SMTPUTF8\r\n"
                + extra
                + (mixed ? "251" : "250") + " HELP\r\n";
    }

    /** The HELO reply: one line, never an extension list (RFC 5321 §3.2). */
    static String helo(String host) {
        return "250 " + host + "\r\n";
    }

    /** The 221 answer to QUIT (RFC 5321 §4.1.1.10). */
    static String closing(String host) {
        return "221 2.0.0 " + host + " Service closing transmission channel\r\n";
    }

    /** The 421 sent to open sessions when the server stops (RFC 5321 §3.8). */
    static String shuttingDown(String host) {
        return "421 4.3.2 " + host + " Service shutting down\r\n";
    }

    /** The 421 sent when a client stays silent too long (RFC 5321 §4.5.3.2). */
    static String idleTimeout(String host) {
        return "421 4.4.2 " + host + " Idle timeout, closing transmission channel\r\n";
    }
}
