package io.smtpharness.result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One deviation a run showed: a case that broke a rule ({@code failed}) or warned on it
 * ({@code warning}), whether the finding decided the case or was incidental. Its identity is case,
 * rule and level, so a warning that became a failure is a new deviation.
 *
 * @param caseId   {@code suite/id}
 * @param ruleId   the rule
 * @param level    {@link Status#FAILED} or {@link Status#WARNING}
 * @param evidence the first finding's message
 */
public record CaseDeviation(String caseId, String ruleId, Status level, String evidence) {

    public CaseDeviation {
        Objects.requireNonNull(caseId, "caseId == null");
        Objects.requireNonNull(ruleId, "ruleId == null");
        if (level != Status.FAILED && level != Status.WARNING) {
            throw new IllegalArgumentException("a deviation is failed or warning, not " + level);
        }
        Objects.requireNonNull(evidence, "evidence == null");
    }

    /** Every deviation of {@code run}, in case order, one per case, rule and level. */
    public static List<CaseDeviation> of(RunSummary run) {
        Map<String, CaseDeviation> out = new LinkedHashMap<>();
        for (CaseResult c : run.cases()) {
            for (Finding f : c.findings()) {
                if (f.severity() != Severity.NOTE) {
                    CaseDeviation d = new CaseDeviation(c.qualifiedId(), f.ruleId(), f.severity().toStatus(), f.message());
                    out.putIfAbsent(d.key(), d);
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** The same deviation across runs: level, rule and case. */
    public String key() {
        return level.label() + " " + ruleId + " " + caseId;
    }

    /**
     * One line per rule and level, worst first, then in order of first appearance, with every case
     * it showed in: what a reader wants first ("these five things are wrong"), not 40 verdicts.
     */
    public static List<Distinct> distinct(List<CaseDeviation> deviations) {
        Map<String, List<CaseDeviation>> byRule = new LinkedHashMap<>();
        for (CaseDeviation d : deviations) {
            byRule.computeIfAbsent(d.level().label() + " " + d.ruleId(), k -> new ArrayList<>()).add(d);
        }
        List<Distinct> out = new ArrayList<>();
        byRule.values().forEach(group -> out.add(new Distinct(group.get(0).ruleId(), group.get(0).level(),
                group.get(0).evidence(), group.stream().map(CaseDeviation::caseId).toList())));
        out.sort(java.util.Comparator.comparing(Distinct::level).reversed());
        return out;
    }

    /**
     * One distinct deviation of a run.
     *
     * @param ruleId   the rule
     * @param level    failed or warning
     * @param evidence the first case's finding
     * @param cases    every case it showed in, in run order
     */
    public record Distinct(String ruleId, Status level, String evidence, List<String> cases) {
        public Distinct {
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(level, "level == null");
            Objects.requireNonNull(evidence, "evidence == null");
            cases = List.copyOf(cases);
        }
    }
}
