package io.smtpharness.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.rules.RuleCatalog;
import io.smtpharness.suite.SuiteLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code rules --check} on this repository: the suites under {@code test-suites/}, the standard
 * oracles and the shipped {@code unobservable.tsv}. No case or oracle may cite an unknown rule and
 * the list must be valid. The MUST rules of RFC 5321 still without a case, an oracle or a reason
 * must be exactly {@link #KNOWN_GAPS}: when a new case covers one, this test fails and prints the
 * new set to paste here. The goal is an empty set, at which point {@code rules --check} passes.
 */
class RepositoryCoverageTest {

    /** Uncovered MUST rules of RFC 5321; shrink it as cases land, never grow it without a reason. */
    static final Set<String> KNOWN_GAPS = Set.of(
            "5321-2.2.2-NO-UNREGISTERED-KW",
            "5321-2.3.8-CRLF-ONLY",
            "5321-3.1-554-WAIT-QUIT",
            "5321-3.3-MAIL-FAIL-CLASS",
            "5321-3.3-ORDER",
            "5321-3.3-RESENT-TOLERANCE",
            "5321-3.3-ROUTES-TOLERATED",
            "5321-3.5.1-LOCAL-USERNAMES",
            "5321-3.5.1-VRFY-250-FORM",
            "5321-3.5.2-EXPN-IN-EHLO",
            "5321-3.5.2-FQDN-NO-ROUTES",
            "5321-3.5.3-NO-FAKE-250",
            "5321-4.1.1.1-LIST-COMPLETE",
            "5321-4.1.1.10-NO-CLOSE-BEFORE-QUIT",
            "5321-4.1.1.4-BUFFERS-CLEARED",
            "5321-4.1.1.4-SINGLE-OUTCOME",
            "5321-4.1.1.5-RSET-NO-CLOSE",
            "5321-4.1.2-ADL-ACCEPT",
            "5321-4.1.2-BAD-CHAR-501",
            "5321-4.1.2-QUOTED-EQUIV",
            "5321-4.1.4-MAIL-ARG-501",
            "5321-4.1.4-NO-IP-MATCH-REJECT",
            "5321-4.2-FIRST-DIGIT",
            "5321-4.2.4-NO-ADVERTISE-UNIMPL",
            "5321-4.3.2-NOOP-CODES",
            "5321-4.3.2-QUIT-CODES",
            "5321-4.3.2-RSET-CODES",
            "5321-4.5.3.1-DOMAIN-255",
            "5321-4.5.3.1-LOCAL-64",
            "5321-4.5.3.1-MESSAGE-64K",
            "5321-4.5.3.1-PATH-256",
            "5321-4.5.3.1-RCPT-100",
            "5321-4.5.3.1-TEXTLINE-1000",
            "5321-4.5.3.1-TOO-MANY-452",
            "5321-7.3-ALWAYS-550",
            "5321-7.3-DISABLED-252");

    private final Coverage coverage = Coverage.standard(new SuiteLoader().loadAll(List.of(Path.of("test-suites"))));

    @Test
    void noCaseOrOracleCitesAnUnknownRuleAndTheUnobservableListIsValid() {
        assertThat(UnobservableList.standard().problems()).isEmpty();
        assertThat(coverage.errors()).isEmpty();
    }

    @Test
    void theUnobservableListHoldsRfc5321RulesOnly() {
        assertThat(UnobservableList.standard().entries()).isNotEmpty().allSatisfy(e -> assertThat(
                RuleCatalog.standard().require(e.ruleId()).rfc()).as(e.ruleId()).isEqualTo(Coverage.CHECKED_RFC));
    }

    @Test
    void uncoveredMustRulesOfRfc5321AreExactlyTheKnownGaps() {
        Set<String> gaps = coverage.gaps().stream().map(r -> r.rule().id()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(gaps).as(() -> "the uncovered MUST rules of RFC 5321 changed; if that is right, paste this as "
                + "KNOWN_GAPS:\n    static final Set<String> KNOWN_GAPS = Set.of(\n" + gaps.stream()
                .map(id -> "            \"" + id + "\"").collect(Collectors.joining(",\n")) + ");\n")
                .containsExactlyInAnyOrderElementsOf(KNOWN_GAPS);
        // what rules --check reports is exactly these gaps: no errors on top
        assertThat(coverage.check()).hasSize(KNOWN_GAPS.size()).allMatch(line -> line.startsWith("UNCOVERED MUST "));
    }
}
