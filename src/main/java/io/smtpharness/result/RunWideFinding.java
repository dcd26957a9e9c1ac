package io.smtpharness.result;

import java.util.List;
import java.util.Objects;

/**
 * One deviation reported once for the run, with every case it showed in: a trait of the server (an
 * unregistered EHLO keyword, a reply that never ends) shows in many cases, and a reader should
 * see it once rather than piece it together from that many verdicts.
 *
 * @param ruleId   the rule
 * @param severity what it costs (the exit code counts it)
 * @param evidence the first finding's message
 * @param cases    {@code suite/id} of every case where it showed, in run order
 */
public record RunWideFinding(String ruleId, Severity severity, String evidence, List<String> cases) {

    public RunWideFinding {
        Objects.requireNonNull(ruleId, "ruleId == null");
        Objects.requireNonNull(severity, "severity == null");
        Objects.requireNonNull(evidence, "evidence == null");
        cases = List.copyOf(cases);
    }
}
