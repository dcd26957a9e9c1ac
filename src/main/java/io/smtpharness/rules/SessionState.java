package io.smtpharness.rules;

/** The session states of RFC 5321 §4.1.4 as RFC-RULES.md §1.16 names them. */
public enum SessionState {
    /** Greeting received; no accepted HELO/EHLO. */
    CONNECTED,
    /** HELO/EHLO accepted, no transaction. */
    GREETED,
    /** MAIL accepted, no accepted RCPT. */
    MAIL,
    /** At least one accepted RCPT. */
    RCPT,
    /** 354 received: the client is sending content. */
    DATA,
    /** The session ended (221, 421, or the connection closed). */
    CLOSED
}
