package io.smtpharness.coverage;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.Step;
import io.smtpharness.rules.Level;
import io.smtpharness.rules.Oracles;
import io.smtpharness.rules.Rule;
import io.smtpharness.rules.RuleCatalog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which rules of a catalogue are judged, and by what: for every rule the cases that cite it (case
 * {@code rules} and the rule IDs of its expect steps), the oracles that declare it, or the reason
 * it cannot be observed ({@link UnobservableList}), or nothing.
 *
 * <p>Errors (they fail {@link #check()}): a case or an oracle citing an ID the catalogue does not
 * know, a malformed line in the unobservable list, a listed ID that is not a catalogue row.
 * Warnings (they do not): a rule listed as not observable that a case or an oracle covers anyway;
 * it counts as covered, and the list row should go once the case really judges the rule.
 */
public final class Coverage {

    /**
     * The RFCs whose MUST rules {@link #check()} requires to be covered or documented; an RFC joins
     * once its suites exist.
     */
    public static final List<String> CHECKED_RFCS =
            List.of("5321", "2920", "1870", "6152", "6531", "2034", "3463", "3030", "3207", "4954");

    /** Per-RFC totals. */
    public record Totals(int covered, int notObservable, int uncovered) {
        public int total() {
            return covered + notObservable + uncovered;
        }

        @Override
        public String toString() {
            return covered + " covered / " + notObservable + " not observable / " + uncovered + " uncovered / "
                    + total() + " total";
        }
    }

    private final List<RuleCoverage> rules;
    private final List<String> errors;
    private final List<String> warnings;

    private Coverage(List<RuleCoverage> rules, List<String> errors, List<String> warnings) {
        this.rules = List.copyOf(rules);
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    /** Coverage of the standard catalogue by {@code dialogues}, the standard oracles and the shipped list. */
    public static Coverage standard(List<Dialogue> dialogues) {
        return of(RuleCatalog.standard(), dialogues, Oracles.coverage(), UnobservableList.standard());
    }

    /**
     * Coverage of {@code catalog}.
     *
     * @param oracles      rule IDs per oracle name, as {@link Oracles#coverage()}
     * @param unobservable the documented reasons
     */
    public static Coverage of(RuleCatalog catalog, List<Dialogue> dialogues, Map<String, Set<String>> oracles,
                              UnobservableList unobservable) {
        Objects.requireNonNull(catalog, "catalog == null");
        List<String> errors = new ArrayList<>(unobservable.problems());
        List<String> warnings = new ArrayList<>();

        Map<String, Set<String>> casesByRule = new LinkedHashMap<>();
        for (Dialogue d : dialogues) {
            for (String id : cited(d)) {
                if (!catalog.isKnown(id)) {
                    errors.add("case " + d.suite() + "/" + d.id() + " (" + d.origin() + ") cites unknown rule " + id);
                }
                casesByRule.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(d.suite() + "/" + d.id());
            }
        }
        Map<String, List<String>> oraclesByRule = new LinkedHashMap<>();
        oracles.forEach((name, ids) -> ids.forEach(id -> {
            if (!catalog.isKnown(id)) {
                errors.add("oracle " + name + " declares unknown rule " + id);
            }
            oraclesByRule.computeIfAbsent(id, k -> new ArrayList<>()).add(name);
        }));

        Set<String> rows = new LinkedHashSet<>();
        List<RuleCoverage> result = new ArrayList<>();
        for (Rule rule : catalog.all()) {
            rows.add(rule.id());
            Optional<UnobservableList.Entry> listed = unobservable.find(rule.id());
            RuleCoverage coverage = new RuleCoverage(rule,
                    List.copyOf(casesByRule.getOrDefault(rule.id(), Set.of())),
                    oraclesByRule.getOrDefault(rule.id(), List.of()), listed.map(UnobservableList.Entry::reason));
            if (listed.isPresent() && coverage.status() == RuleCoverage.Status.COVERED) {
                warnings.add(rule.id() + " is listed as not observable (" + listed.get().origin()
                        + ") but covered by " + coverage.describe().replace(" (also listed as not observable)", "")
                        + "; delete the row if that judges the rule");
            }
            result.add(coverage);
        }
        for (UnobservableList.Entry entry : unobservable.entries()) {
            if (!rows.contains(entry.ruleId())) {
                errors.add(entry.origin() + ": " + entry.ruleId() + " is not a rule of the catalogue");
            }
        }
        return new Coverage(result, errors, warnings);
    }

    /** Every rule ID a dialogue cites: its rules, then those of its expect steps. */
    static Set<String> cited(Dialogue dialogue) {
        Set<String> ids = new LinkedHashSet<>(dialogue.rules());
        for (Step step : dialogue.steps()) {
            if (step instanceof Step.Expect e) {
                e.ruleId().ifPresent(ids::add);
            } else if (step instanceof Step.ExpectNoReply e) {
                e.ruleId().ifPresent(ids::add);
            } else if (step instanceof Step.ExpectClose e) {
                e.ruleId().ifPresent(ids::add);
            }
        }
        return ids;
    }

    /** Every catalogue rule, in document order. */
    public List<RuleCoverage> rules() {
        return rules;
    }

    /** Totals per RFC ({@code gray} for the gray zones), in document order. */
    public Map<String, Totals> totals() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (RuleCoverage r : rules) {
            counts.computeIfAbsent(r.rule().rfc(), k -> new int[3])[r.status().ordinal()]++;
        }
        Map<String, Totals> totals = new LinkedHashMap<>();
        counts.forEach((rfc, c) -> totals.put(rfc, new Totals(c[0], c[1], c[2])));
        return Collections.unmodifiableMap(totals);
    }

    /** The MUST rules of the {@link #CHECKED_RFCS} with neither a case, an oracle nor a documented reason. */
    public List<RuleCoverage> gaps() {
        return rules.stream().filter(r -> CHECKED_RFCS.contains(r.rule().rfc()) && r.rule().level() == Level.MUST
                && r.status() == RuleCoverage.Status.UNCOVERED).toList();
    }

    /** What makes {@link #check()} fail besides gaps: unknown IDs, a malformed or mismatched list. */
    public List<String> errors() {
        return errors;
    }

    /** Things worth a look that do not fail the check. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The check of {@code rules --check}: one line per problem (each gap, then each error); passed
     * when there are none.
     */
    public List<String> check() {
        List<String> problems = new ArrayList<>();
        for (RuleCoverage gap : gaps()) {
            problems.add("UNCOVERED MUST " + gap.rule().id() + " (" + gap.rule().section() + "): " + gap.rule().text());
        }
        errors.forEach(e -> problems.add("error: " + e));
        return problems;
    }
}
