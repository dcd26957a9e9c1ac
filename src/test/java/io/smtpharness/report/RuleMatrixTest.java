package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatrixTest {

    @Test
    void listsDeclaredAndFindingRulesInFirstCitationOrder() {
        List<RuleMatrix.Row> rows = RuleMatrix.of(ReportFixtures.allStatuses());

        assertThat(rows).extracting(RuleMatrix.Row::ruleId).containsExactly("5321-3.1-GREETING",
                "5321-4.1.4-ORDER", "5321-3.1-VERSION-IN-BANNER", "1870-SIZE", "2920-PIPELINING",
                "5321-4.1.1.10-QUIT");
    }

    @Test
    void declaredRuleTakesItsOwnFindingsNotTheStatusTheCaseGotFromAnotherRule() {
        CaseResult passed = withRulesAndStatus(List.of("R-1"), Status.PASSED, List.of());
        CaseResult skipped = withRulesAndStatus(List.of("R-1"), Status.SKIPPED, List.of());
        CaseResult failed = withRulesAndStatus(List.of("R-1", "R-2"), Status.FAILED,
                List.of(new Finding("R-2", Severity.FAILED, "broken")));

        List<RuleMatrix.Row> rows = RuleMatrix.of(ReportFixtures.summary(List.of(passed, skipped, failed)));

        assertThat(rows.get(0).worst()).isEqualTo(Status.SKIPPED);
        assertThat(rows.get(0).cases()).hasSize(3);
        assertThat(rows.get(1).ruleId()).isEqualTo("R-2");
        assertThat(rows.get(1).worst()).isEqualTo(Status.FAILED);
    }

    @Test
    void ruleOnlyNotedInAFailingCaseIsNotShownFailed() {
        CaseResult failed = withRulesAndStatus(List.of("R-1"), Status.FAILED,
                List.of(new Finding("R-1", Severity.FAILED, "broken"), new Finding("R-9", Severity.NOTE, "fyi"),
                        new Finding("R-8", Severity.WARNING, "meh")));

        List<RuleMatrix.Row> rows = RuleMatrix.of(ReportFixtures.summary(List.of(failed)));

        assertThat(rows).extracting(RuleMatrix.Row::ruleId, RuleMatrix.Row::worst).containsExactly(
                tuple("R-1", Status.FAILED),
                tuple("R-9", Status.PASSED),
                tuple("R-8", Status.WARNING));
    }

    @Test
    void groupsRowsByRfcInNumberOrderThenBySectionWithGrayZonesLast() {
        CaseResult c = withRulesAndStatus(List.of("G-04", "5321-4.1.10-B", "5321-4.1.9-A", "2034-4-X", "5321-3.3-C"),
                Status.PASSED, List.of());
        List<RuleMatrix.Group> groups = RuleMatrix.byRfc(ReportFixtures.summary(List.of(c)));
        assertThat(groups).extracting(RuleMatrix.Group::rfc).containsExactly("RFC 2034", "RFC 5321", "Gray zones");
        assertThat(groups.get(1).rows()).extracting(RuleMatrix.Row::ruleId)
                .containsExactly("5321-3.3-C", "5321-4.1.9-A", "5321-4.1.10-B");
    }

    @Test
    void errorIsWorseThanFailed() {
        CaseResult failed = withRulesAndStatus(List.of("R-1"), Status.FAILED, List.of());
        CaseResult error = withRulesAndStatus(List.of("R-1"), Status.ERROR, List.of());

        assertThat(RuleMatrix.of(ReportFixtures.summary(List.of(failed, error))).get(0).worst())
                .isEqualTo(Status.ERROR);
    }

    private static CaseResult withRulesAndStatus(List<String> rules, Status status, List<Finding> findings) {
        return new CaseResult("s", "c-" + status.label(), "t", rules, List.of(), status, "", findings, 1, List.of());
    }
}
