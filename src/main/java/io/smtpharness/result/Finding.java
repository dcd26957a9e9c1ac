package io.smtpharness.result;

import java.util.Objects;

/**
 * One rule judgement on one exchange.
 *
 * @param ruleId     the rule broken or noted (an ID of RFC-RULES.md, or a state cell
 *                   {@code 5321-4.1.4-STATE:<STATE>:<COMMAND>})
 * @param severity   what it costs
 * @param message    one line naming what was sent and what came back
 * @param incidental true when the case was not written to test this rule (an oracle saw it on the
 *                   way, say in the EHLO reply every case reads): it does not decide the case's
 *                   status, it is reported once per run ({@link RunSummary#incidentalFindings()}),
 *                   and it still counts for the exit code
 */
public record Finding(String ruleId, Severity severity, String message, boolean incidental) {

    /** Longest message kept: messages quote replies, and a hostile reply line is 16 KiB. */
    public static final int MAX_MESSAGE = 1_000;

    public Finding {
        Objects.requireNonNull(ruleId, "ruleId == null");
        Objects.requireNonNull(severity, "severity == null");
        Objects.requireNonNull(message, "message == null");
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "... (" + message.length() + " chars in all)";
        }
    }

    /** A finding on a rule the case tests. */
    public Finding(String ruleId, Severity severity, String message) {
        this(ruleId, severity, message, false);
    }

    /** This finding, marked as made outside what its case tests. */
    public Finding asIncidental() {
        return incidental ? this : new Finding(ruleId, severity, message, true);
    }

    @Override
    public String toString() {
        return ruleId + ": " + message;
    }
}
