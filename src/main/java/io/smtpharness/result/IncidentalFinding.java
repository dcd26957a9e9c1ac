package io.smtpharness.result;

import java.util.List;
import java.util.Objects;

/**
 * One deviation seen outside the cases that test it, reported once for the run: a trait of the
 * server (an unregistered EHLO keyword, say) shows in every case that reads the EHLO reply, and
 * must not become that many verdicts.
 *
 * @param ruleId   the rule
 * @param severity what it costs (the exit code counts it)
 * @param evidence the first finding's message
 * @param cases    {@code suite/id} of every case where it showed, in run order
 */
public record IncidentalFinding(String ruleId, Severity severity, String evidence, List<String> cases) {

    public IncidentalFinding {
        Objects.requireNonNull(ruleId, "ruleId == null");
        Objects.requireNonNull(severity, "severity == null");
        Objects.requireNonNull(evidence, "evidence == null");
        cases = List.copyOf(cases);
    }
}
