package io.smtpharness.result;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Deviations accepted for now, each with a reason: those of an earlier run (its summary.json), or
 * a file of accepted deviations. Against it a run's deviations fall into new ones, ones still
 * present, and accepted ones that are gone (fixed), so CI can fail on what is new only.
 *
 * @param source   where the baseline came from, for reports
 * @param accepted the accepted deviations
 */
public record Baseline(String source, List<Accepted> accepted) {

    public Baseline {
        Objects.requireNonNull(source, "source == null");
        accepted = List.copyOf(accepted);
    }

    /**
     * One accepted deviation: a rule, in one case or in any, at one level or at any.
     *
     * @param ruleId the rule
     * @param caseId {@code suite/id}, or empty for every case
     * @param level  failed or warning, or empty for both
     * @param reason why it is accepted
     */
    public record Accepted(String ruleId, Optional<String> caseId, Optional<Status> level, String reason) {
        public Accepted {
            Objects.requireNonNull(ruleId, "ruleId == null");
            Objects.requireNonNull(caseId, "caseId == null");
            Objects.requireNonNull(level, "level == null");
            Objects.requireNonNull(reason, "reason == null");
        }

        /** True when {@code d} is this deviation. */
        public boolean matches(CaseDeviation d) {
            return d.ruleId().equals(ruleId) && caseId.map(d.caseId()::equals).orElse(true)
                    && level.map(d.level()::equals).orElse(true);
        }

        /** {@code failed 5321-3.8-X in suite/id}, with "any level" and "any case" spelled out. */
        public String describe() {
            return level.map(Status::label).orElse("failed or warning") + " " + ruleId + " in "
                    + caseId.orElse("any case");
        }
    }

    /** Every deviation of {@code run} accepted exactly (case, rule and level), as seen in {@code source}. */
    public static Baseline of(RunSummary run, String source) {
        List<Accepted> accepted = new ArrayList<>();
        for (CaseDeviation d : CaseDeviation.of(run)) {
            accepted.add(new Accepted(d.ruleId(), Optional.of(d.caseId()), Optional.of(d.level()), d.evidence()));
        }
        return new Baseline(source, accepted);
    }

    /**
     * {@code run} against this baseline. An accepted deviation counts as fixed only where it could
     * have shown: its case ran (or, for any case, some case citing its rule ran), so a run of fewer
     * suites does not look like a run of fixes.
     */
    public Check check(RunSummary run) {
        List<CaseDeviation> now = CaseDeviation.of(run);
        List<CaseDeviation> added = new ArrayList<>();
        List<CaseDeviation> present = new ArrayList<>();
        for (CaseDeviation d : now) {
            (accepted.stream().anyMatch(a -> a.matches(d)) ? present : added).add(d);
        }
        Set<String> ran = new HashSet<>();
        Set<String> rulesCited = new HashSet<>();
        for (CaseResult c : run.cases()) {
            ran.add(c.qualifiedId());
            rulesCited.addAll(c.rules());
            c.findings().forEach(f -> rulesCited.add(f.ruleId()));
        }
        List<Accepted> fixed = accepted.stream()
                .filter(a -> a.caseId().map(ran::contains).orElse(rulesCited.contains(a.ruleId())))
                .filter(a -> now.stream().noneMatch(a::matches))
                .toList();
        return new Check(source, added, present, fixed);
    }

    /**
     * A run against a baseline.
     *
     * @param source  where the baseline came from
     * @param added   deviations the baseline does not accept: what is new
     * @param present deviations the baseline accepts, still there
     * @param fixed   accepted deviations that could have shown and did not
     */
    public record Check(String source, List<CaseDeviation> added, List<CaseDeviation> present, List<Accepted> fixed) {
        public Check {
            Objects.requireNonNull(source, "source == null");
            added = List.copyOf(added);
            present = List.copyOf(present);
            fixed = List.copyOf(fixed);
        }

        /** True when a new deviation has one of the {@code failing} levels. */
        public boolean failsOn(Set<Status> failing) {
            return added.stream().anyMatch(d -> failing.contains(d.level()));
        }

        /**
         * {@code baseline F: 2 new (in 14 cases), 3 still present, 1 fixed}: distinct deviations (rule and
         * level, as {@link CaseDeviation#distinct}), since one server trait shows in many cases.
         */
        public String headline() {
            return "baseline " + source + ": " + CaseDeviation.distinct(added).size() + " new" + (added.isEmpty() ? ""
                    : " (in " + added.stream().map(CaseDeviation::caseId).distinct().count() + " cases)") + ", "
                    + CaseDeviation.distinct(present).size() + " still present, " + fixed.size() + " fixed";
        }
    }
}
