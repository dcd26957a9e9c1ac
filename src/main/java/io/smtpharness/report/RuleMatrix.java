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

    /**
     * The rows of one RFC (or of the gray zones), ordered by section, then ID.
     *
     * @param rfc  {@code "RFC 5321"}, or {@code "Gray zones"} for G-xx IDs, or {@code "Other"}
     * @param rows the rows, in section order
     */
    public record Group(String rfc, List<Row> rows) {
        public Group {
            Objects.requireNonNull(rfc, "rfc == null");
            rows = List.copyOf(rows);
        }
    }

    private RuleMatrix() {
    }

    /** The rows grouped by RFC (in RFC number order, gray zones last) and ordered by section inside. */
    public static List<Group> byRfc(RunSummary summary) {
        Map<String, List<Row>> groups = new java.util.TreeMap<>(java.util.Comparator.comparing(RuleMatrix::groupOrder));
        for (Row row : of(summary)) {
            groups.computeIfAbsent(groupOf(row.ruleId()), k -> new ArrayList<>()).add(row);
        }
        List<Group> out = new ArrayList<>();
        groups.forEach((rfc, rows) -> {
            rows.sort(java.util.Comparator.comparing((Row r) -> sectionKey(r.ruleId())).thenComparing(Row::ruleId));
            out.add(new Group(rfc, rows));
        });
        return out;
    }

    /** {@code 5321-4.1.1.4-X} → "RFC 5321"; {@code G-04} → "Gray zones". */
    static String groupOf(String ruleId) {
        if (ruleId.matches("G-\\d+b?")) {
            return "Gray zones";
        }
        return ruleId.matches("\\d{4}-.*") ? "RFC " + ruleId.substring(0, 4) : "Other";
    }

    private static String groupOrder(String group) {
        return group.startsWith("RFC ") ? "0" + group : group.equals("Gray zones") ? "1" : "2";
    }

    /** The section of an ID as a sortable key: {@code 5321-4.1.10-X} sorts after {@code 5321-4.1.9-Y}. */
    static String sectionKey(String ruleId) {
        String[] parts = ruleId.split("-");
        if (parts.length < 2 || !parts[1].matches("[0-9.]+")) {
            return "";
        }
        StringBuilder key = new StringBuilder();
        for (String number : parts[1].split("\\.")) {
            key.append(String.format("%04d.", Integer.parseInt(number)));
        }
        return key.toString();
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
