package io.smtpharness.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one case is about: the rules it cites, the rules its steps cite, and the level its author gave
 * a script mismatch. A {@link Judge} reads it to cost a finding and to tell the case's own findings
 * from those made on the way.
 *
 * @param rules the rules the case cites, the first being the default for its steps
 * @param cited the rules its steps cite
 * @param level the case's documented override of what a script mismatch costs; empty: the rule's level
 */
public record Scope(List<String> rules, Set<String> cited, Optional<Level> level) {

    public Scope {
        rules = List.copyOf(rules);
        cited = Set.copyOf(cited);
        Objects.requireNonNull(level, "level == null");
    }

    /** The scope of a generated dialogue: it cites no rule, so it tests every rule. */
    public static Scope everything() {
        return new Scope(List.of(), Set.of(), Optional.empty());
    }

    /** True when the case is written to test {@code ruleId}; a case citing no rule tests every rule. */
    public boolean tests(String ruleId) {
        return rules.isEmpty() || rules.contains(ruleId) || cited.contains(ruleId);
    }

    /** The rule a step's finding goes on: the one it cites, else the case's first, else ONE-REPLY. */
    public String ruleFor(Optional<String> cited) {
        return cited.orElse(rules.isEmpty() ? "5321-4.2-ONE-REPLY" : rules.get(0));
    }
}
