package io.smtpharness.coverage;

import io.smtpharness.rules.Rule;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What judges one catalogue rule.
 *
 * @param rule          the rule
 * @param cases         the cases citing it, as {@code suite/id}, in load order
 * @param oracles       the oracles that declare it (simple class names)
 * @param notObservable the documented reason a client cannot observe it, if listed
 */
public record RuleCoverage(Rule rule, List<String> cases, List<String> oracles, Optional<String> notObservable) {

    /** The three outcomes; a rule both covered and listed counts as covered. */
    public enum Status { COVERED, NOT_OBSERVABLE, UNCOVERED }

    public RuleCoverage {
        Objects.requireNonNull(rule, "rule == null");
        cases = List.copyOf(cases);
        oracles = List.copyOf(oracles);
        Objects.requireNonNull(notObservable, "notObservable == null");
    }

    public Status status() {
        if (!cases.isEmpty() || !oracles.isEmpty()) {
            return Status.COVERED;
        }
        return notObservable.isPresent() ? Status.NOT_OBSERVABLE : Status.UNCOVERED;
    }

    /** One line for people: cases and oracles, {@code not observable: reason}, or {@code UNCOVERED}. */
    public String describe() {
        switch (status()) {
            case COVERED:
                StringBuilder text = new StringBuilder();
                if (!cases.isEmpty()) {
                    text.append("cases: ").append(String.join(", ", cases));
                }
                if (!oracles.isEmpty()) {
                    text.append(text.length() > 0 ? "; " : "").append("oracles: ").append(String.join(", ", oracles));
                }
                notObservable.ifPresent(r -> text.append(" (also listed as not observable)"));
                return text.toString();
            case NOT_OBSERVABLE:
                return "not observable: " + notObservable.get();
            default:
                return "UNCOVERED";
        }
    }
}
