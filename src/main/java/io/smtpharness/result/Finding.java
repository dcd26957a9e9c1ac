package io.smtpharness.result;

import java.util.Objects;

/**
 * One rule judgement on one exchange.
 *
 * @param ruleId   the rule broken or noted (an ID of RFC-RULES.md, or a state cell
 *                 {@code 5321-4.1.4-STATE:<STATE>:<COMMAND>})
 * @param severity what it costs the case
 * @param message  one line naming what was sent and what came back
 */
public record Finding(String ruleId, Severity severity, String message) {

    public Finding {
        Objects.requireNonNull(ruleId, "ruleId == null");
        Objects.requireNonNull(severity, "severity == null");
        Objects.requireNonNull(message, "message == null");
    }

    @Override
    public String toString() {
        return ruleId + ": " + message;
    }
}
