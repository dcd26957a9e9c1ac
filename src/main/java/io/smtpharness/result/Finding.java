package io.smtpharness.result;

import java.util.Objects;

/**
 * One rule judgement on one exchange.
 *
 * @param ruleId   the rule broken or noted (an ID of RFC-RULES.md, or a state cell
 *                 {@code 5321-4.1.4-STATE:<STATE>:<COMMAND>})
 * @param severity what it costs
 * @param message  one line naming what was sent and what came back
 * @param reach    whether it decides its case, and whether the run lists it once
 */
public record Finding(String ruleId, Severity severity, String message, Reach reach) {

    /** Longest message kept: messages quote replies, and a hostile reply line is 16 KiB. */
    public static final int MAX_MESSAGE = 1_000;

    /** How far a finding reaches beyond the exchange it was made on. */
    public enum Reach {
        /** It decides its case, and only its case. */
        CASE,
        /**
         * A trait of how the server writes replies (a malformed or endless reply): it decides its
         * case, since the dialogue is unreliable after it, and the run also lists it once with every
         * case it showed in ({@link RunSummary#serverWideFindings()}).
         */
        SERVER_WIDE,
        /**
         * Made outside what its case tests (an oracle saw it on the way, say in the EHLO reply every
         * case reads): it does not decide the case's status, it is listed once per run
         * ({@link RunSummary#incidentalFindings()}), and it still counts for the exit code.
         */
        INCIDENTAL
    }

    public Finding {
        Objects.requireNonNull(ruleId, "ruleId == null");
        Objects.requireNonNull(severity, "severity == null");
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(reach, "reach == null");
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "... (" + message.length() + " chars in all)";
        }
    }

    /** A finding on a rule the case tests. */
    public Finding(String ruleId, Severity severity, String message) {
        this(ruleId, severity, message, Reach.CASE);
    }

    /** True when it does not decide its case ({@link Reach#INCIDENTAL}). */
    public boolean incidental() {
        return reach == Reach.INCIDENTAL;
    }

    /** This finding, marked as made outside what its case tests. */
    public Finding asIncidental() {
        return withReach(Reach.INCIDENTAL);
    }

    /** This finding with another message (a scrubbed one, say). */
    public Finding withMessage(String message) {
        return new Finding(ruleId, severity, message, reach);
    }

    /** This finding with another reach. */
    public Finding withReach(Reach reach) {
        return this.reach == reach ? this : new Finding(ruleId, severity, message, reach);
    }

    @Override
    public String toString() {
        return ruleId + ": " + message;
    }
}
