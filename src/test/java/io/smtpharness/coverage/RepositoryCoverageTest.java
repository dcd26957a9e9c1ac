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
 * the list must be valid, and every MUST rule of the checked RFCs has a case, an oracle or a documented
 * reason: exactly what {@code rules --check} demands.
 */
class RepositoryCoverageTest {

    private final Coverage coverage = Coverage.standard(new SuiteLoader().loadAll(List.of(Path.of("test-suites"))));

    @Test
    void noCaseOrOracleCitesAnUnknownRuleAndTheUnobservableListIsValid() {
        assertThat(UnobservableList.standard().problems()).isEmpty();
        assertThat(coverage.errors()).isEmpty();
    }

    @Test
    void theUnobservableListHoldsRulesOfTheCheckedRfcsOnly() {
        assertThat(UnobservableList.standard().entries()).isNotEmpty().allSatisfy(e -> assertThat(
                RuleCatalog.standard().require(e.ruleId()).rfc()).as(e.ruleId()).isIn(Coverage.CHECKED_RFCS));
    }

    @Test
    void everyMustRuleOfTheCheckedRfcsIsCoveredOrDocumentedAsNotObservable() {
        Set<String> gaps = coverage.gaps().stream().map(r -> r.rule().id()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(gaps).as("MUST rules of the checked RFCs with no case, oracle or documented reason").isEmpty();
        assertThat(coverage.check()).isEmpty();
    }
}
