package io.smtpharness.report;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The "by rule" view of a run: every rule ID cited by a case (its declared rules and the rules of
 * its findings), the worst status among the cases citing it, and those cases.
 *
 * <p>"Worst" follows {@link Status}'s order (error worst). A case counts for a rule with the worst
 * severity of its findings that cite that rule, so a case that warned on one rule does not paint
 * the other rules it declares. A case that was skipped or ended in error counts with that status
 * for the rules it declares: they were not checked.
 */
public final class RuleMatrix {

    /**
     * One row.
     *
     * @param ruleId the rule ID
     * @param worst  the worst status over {@code cases}
     * @param cases  the cases citing the rule, in run order
     */
    public record Row(String ruleId, Status worst, List<CaseResult> cases) {
        public Row {
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(worst, "worst == null");
            cases = List.copyOf(cases);
        }
    }

    private RuleMatrix() {
    }

    /** The rows, in order of first citation, so the matrix reads like the suites. */
    public static List<Row> of(RunSummary summary) {
        Map<String, List<CaseResult>> citing = new LinkedHashMap<>();
        for (CaseResult c : summary.cases()) {
            for (String rule : citedRules(c)) {
                citing.computeIfAbsent(rule, k -> new ArrayList<>()).add(c);
            }
        }
        List<Row> rows = new ArrayList<>();
        citing.forEach((rule, cases) -> rows.add(new Row(rule, worst(rule, cases), cases)));
        return rows;
    }

    /** The case's declared rules, then the rules of its findings, without duplicates. */
    static Set<String> citedRules(CaseResult c) {
        Set<String> rules = new LinkedHashSet<>(c.rules());
        c.findings().stream().map(Finding::ruleId).forEach(rules::add);
        return rules;
    }

    /** The status {@code c} contributes to {@code rule}'s row. */
    static Status statusFor(String rule, CaseResult c) {
        if (c.rules().contains(rule) && (c.status() == Status.SKIPPED || c.status() == Status.ERROR)) {
            return c.status();
        }
        return CaseResult.statusOf(c.findings().stream().filter(f -> f.ruleId().equals(rule)).toList());
    }

    private static Status worst(String rule, List<CaseResult> cases) {
        Status worst = Status.PASSED;
        for (CaseResult c : cases) {
            Status s = statusFor(rule, c);
            if (s.compareTo(worst) > 0) {
                worst = s;
            }
        }
        return worst;
    }
}
