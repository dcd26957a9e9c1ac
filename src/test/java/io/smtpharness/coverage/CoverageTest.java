package io.smtpharness.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.Step;
import io.smtpharness.rules.RuleCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Coverage on a small catalogue, where every outcome is known. */
class CoverageTest {

    private static final RuleCatalog CATALOG = RuleCatalog.parse(String.join("\n",
            "| ID | Level | Rule | How to observe / test | § |",
            "|---|---|---|---|---|",
            "| 5321-1.1-BY-CASE | MUST | cited by a case | x | §1.1 |",
            "| 5321-1.1-BY-STEP | MUST | cited by an expect step | x | §1.1 |",
            "| 5321-1.1-BY-ORACLE | MUST | declared by an oracle | x | §1.1 |",
            "| 5321-1.1-HIDDEN | MUST | a sink rule | x | §1.1 |",
            "| 5321-1.1-GAP | MUST | nothing judges it | x | §1.1 |",
            "| 5321-1.1-SOFT | SHOULD | uncovered but only a SHOULD | x | §1.1 |",
            "| 3461-1-OTHER | MUST | uncovered, but of an RFC not checked | x | §1 |",
            ""));
    private static final Map<String, Set<String>> ORACLES = Map.of("SomeOracle", Set.of("5321-1.1-BY-ORACLE"));
    private static final UnobservableList LIST = UnobservableList.parse("test.tsv",
            "# comment\n\n5321-1.1-HIDDEN\tneeds the delivered message (sink)\n");

    private static Dialogue dialogue(String id, List<String> rules, Step... steps) {
        return new Dialogue("s", id, "t", rules, List.of(), Optional.empty(), List.of(), List.of(steps), "test:1");
    }

    private static Step expect(String ruleId) {
        return new Step.Expect(ReplyMatcher.of("250"), Optional.of(ruleId), "test:2");
    }

    private static final List<Dialogue> CASES = List.of(dialogue("a", List.of("5321-1.1-BY-CASE")),
            dialogue("b", List.of(), expect("5321-1.1-BY-STEP")));

    @Test
    void eachRuleIsCoveredByCasesOrOraclesOrDocumentedOrUncovered() {
        Coverage coverage = Coverage.of(CATALOG, CASES, ORACLES, LIST);
        assertThat(coverage.rules()).extracting(r -> r.rule().id() + " " + r.describe()).containsExactly(
                "5321-1.1-BY-CASE cases: s/a",
                "5321-1.1-BY-STEP cases: s/b",
                "5321-1.1-BY-ORACLE oracles: SomeOracle",
                "5321-1.1-HIDDEN not observable: needs the delivered message (sink)",
                "5321-1.1-GAP UNCOVERED",
                "5321-1.1-SOFT UNCOVERED",
                "3461-1-OTHER UNCOVERED");
        assertThat(coverage.totals()).containsExactly(
                Map.entry("5321", new Coverage.Totals(3, 1, 2)), Map.entry("3461", new Coverage.Totals(0, 0, 1)));
        assertThat(coverage.totals().get("5321")).hasToString("3 covered / 1 not observable / 2 uncovered / 6 total");
    }

    @Test
    void checkFailsOnlyOnUncoveredMustRulesOfRfc5321() {
        Coverage coverage = Coverage.of(CATALOG, CASES, ORACLES, LIST);
        assertThat(coverage.errors()).isEmpty();
        assertThat(coverage.gaps()).extracting(r -> r.rule().id()).containsExactly("5321-1.1-GAP");
        assertThat(coverage.check()).containsExactly("UNCOVERED MUST 5321-1.1-GAP (§1.1): nothing judges it");
    }

    @Test
    void checkPassesOnceTheGapHasACase() {
        List<Dialogue> cases = List.of(CASES.get(0), CASES.get(1), dialogue("c", List.of("5321-1.1-GAP")));
        assertThat(Coverage.of(CATALOG, cases, ORACLES, LIST).check()).isEmpty();
    }

    @Test
    void unknownIdsCitedByCasesOrOraclesAreErrors() {
        List<Dialogue> cases = List.of(dialogue("a", List.of("5321-1.1-BY-CASE"), expect("5321-9.9-NOPE")));
        Coverage coverage = Coverage.of(CATALOG, cases, Map.of("Bad", Set.of("5321-9.9-ALSO-NOPE")), LIST);
        assertThat(coverage.errors()).containsExactly("case s/a (test:1) cites unknown rule 5321-9.9-NOPE",
                "oracle Bad declares unknown rule 5321-9.9-ALSO-NOPE");
        assertThat(coverage.check()).contains("error: case s/a (test:1) cites unknown rule 5321-9.9-NOPE");
    }

    @Test
    void malformedListLinesAreProblemsAndUnknownListedIdsAreErrors() {
        UnobservableList list = UnobservableList.parse("u.tsv", String.join("\n",
                "5321-1.1-GAP no tab here",
                "not-an-id\treason",
                "5321-1.1-SOFT\t   ",
                "5321-1.1-HIDDEN\tsink",
                "5321-1.1-HIDDEN\tsink again",
                "5321-7.7-NOT-IN-CATALOGUE\trelay",
                ""));
        assertThat(list.problems()).containsExactly(
                "u.tsv:1: expected <rule ID><TAB><reason>, got '5321-1.1-GAP no tab here'",
                "u.tsv:2: 'not-an-id' is not a rule ID",
                "u.tsv:3: 5321-1.1-SOFT has no reason",
                "u.tsv:5: 5321-1.1-HIDDEN is listed twice (first at u.tsv:4)");
        Coverage coverage = Coverage.of(CATALOG, CASES, ORACLES, list);
        assertThat(coverage.errors()).hasSize(5)
                .contains("u.tsv:6: 5321-7.7-NOT-IN-CATALOGUE is not a rule of the catalogue");
        assertThat(coverage.check()).contains("error: u.tsv:1: expected <rule ID><TAB><reason>, got '5321-1.1-GAP no tab here'");
    }

    @Test
    void aCoveredRuleThatIsAlsoListedWarnsAndCountsAsCovered() {
        UnobservableList list = UnobservableList.parse("u.tsv", "5321-1.1-BY-CASE\tsink\n5321-1.1-HIDDEN\tsink\n");
        Coverage coverage = Coverage.of(CATALOG, CASES, ORACLES, list);
        assertThat(coverage.errors()).isEmpty();
        assertThat(coverage.warnings()).containsExactly("5321-1.1-BY-CASE is listed as not observable (u.tsv:1) "
                + "but covered by cases: s/a; delete the row if that judges the rule");
        assertThat(coverage.rules().get(0).status()).isEqualTo(RuleCoverage.Status.COVERED);
        assertThat(coverage.rules().get(0).describe()).isEqualTo("cases: s/a (also listed as not observable)");
    }

    @Test
    void aCaseCitingARuleTwiceIsListedOnce() {
        List<Dialogue> cases = List.of(dialogue("a", List.of("5321-1.1-GAP"), expect("5321-1.1-GAP")));
        assertThat(Coverage.of(CATALOG, cases, ORACLES, LIST).rules().get(4).cases()).containsExactly("s/a");
    }
}
