package io.smtpharness.rules;

import java.time.Duration;

/**
 * How long a client waits for each reply before it gives up: the minima of RFC 5321 §4.5.3.2
 * (rule 5321-4.5.3.2-CLIENT-MINIMA), so a slow but conformant server is never reported as silent.
 */
public final class ReplyWaits {

    /** The longest of the minima (§4.5.3.2.6, the reply to the final dot). */
    public static final Duration LONGEST = Duration.ofMinutes(10);

    private ReplyWaits() {
    }

    /**
     * The minimum wait for the reply owed to {@code sent}: greeting, MAIL and RCPT 5 minutes, DATA
     * 2 minutes, end of data 10 minutes (§4.5.3.2.1–6). The RFC names no minimum for the other
     * commands; they get the 5 minutes a server itself waits for a command (§4.5.3.2.7).
     */
    public static Duration minimumFor(Sent sent) {
        if (sent == null) {
            return Duration.ofMinutes(5);
        }
        switch (sent.kind()) {
            case DATA: return Duration.ofMinutes(2);
            case END_OF_DATA: return LONGEST;
            default: return Duration.ofMinutes(5);
        }
    }
}
