package io.smtpharness.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BaselineCheckTest {

    private static CaseResult result(String id, Status status, Finding... findings) {
        return new CaseResult("s", id, "t", List.of("R-1"), List.of(), status, "", List.of(findings), 1, List.of());
    }

    private static RunSummary run(CaseResult... cases) {
        return new RunSummary("tool", "1", "target", Instant.EPOCH, 1, List.of(cases));
    }

    @Test
    void newStillPresentAndFixedAreToldApart() {
        RunSummary before = run(result("a", Status.FAILED, new Finding("R-1", Severity.FAILED, "a broke R-1")),
                result("b", Status.WARNING, new Finding("R-2", Severity.WARNING, "b warned on R-2")),
                result("c", Status.PASSED));
        RunSummary after = run(result("a", Status.FAILED, new Finding("R-1", Severity.FAILED, "still")),
                result("b", Status.PASSED),
                result("c", Status.FAILED, new Finding("R-3", Severity.FAILED, "new in c"),
                        new Finding("R-4", Severity.NOTE, "a note is no deviation")));
        Baseline.Check check = Baseline.of(before, "before").check(after);
        assertThat(check.added()).extracting(CaseDeviation::key).containsExactly("failed R-3 s/c");
        assertThat(check.present()).extracting(CaseDeviation::key).containsExactly("failed R-1 s/a");
        assertThat(check.fixed()).extracting(Baseline.Accepted::describe).containsExactly("warning R-2 in s/b");
        assertThat(check.failsOn(java.util.Set.of(Status.FAILED))).isTrue();
        assertThat(check.headline()).isEqualTo("baseline before: 1 new (in 1 cases), 1 still present, 1 fixed");
    }

    @Test
    void aWarningThatBecomesAFailureIsNewAndCasesNotRunAreNotFixed() {
        RunSummary before = run(result("a", Status.WARNING, new Finding("R-1", Severity.WARNING, "w")),
                result("gone", Status.FAILED, new Finding("R-9", Severity.FAILED, "f")));
        RunSummary after = run(result("a", Status.FAILED, new Finding("R-1", Severity.FAILED, "f")));
        Baseline.Check check = Baseline.of(before, "b").check(after);
        assertThat(check.added()).extracting(CaseDeviation::key).containsExactly("failed R-1 s/a");
        assertThat(check.fixed()).extracting(Baseline.Accepted::describe).containsExactly("warning R-1 in s/a");
    }

    @Test
    void anAcceptedRuleCoversEveryCaseAndLevelUnlessNarrowed() {
        RunSummary now = run(result("a", Status.FAILED, new Finding("R-1", Severity.FAILED, "f")),
                result("b", Status.WARNING, new Finding("R-1", Severity.WARNING, "w")));
        Baseline anyCase = new Baseline("file", List.of(
                new Baseline.Accepted("R-1", Optional.empty(), Optional.empty(), "known")));
        assertThat(anyCase.check(now).added()).isEmpty();
        Baseline narrowed = new Baseline("file", List.of(
                new Baseline.Accepted("R-1", Optional.of("s/b"), Optional.of(Status.WARNING), "known")));
        assertThat(narrowed.check(now).added()).extracting(CaseDeviation::key).containsExactly("failed R-1 s/a");
    }

    @Test
    void distinctDeviationsAreOneLineEachWorstFirst() {
        RunSummary now = run(result("a", Status.WARNING, new Finding("R-2", Severity.WARNING, "w")),
                result("b", Status.FAILED, new Finding("R-1", Severity.FAILED, "f1")),
                result("c", Status.FAILED, new Finding("R-1", Severity.FAILED, "f2")));
        assertThat(CaseDeviation.distinct(CaseDeviation.of(now)))
                .extracting(d -> d.level().label() + " " + d.ruleId() + " " + d.cases())
                .containsExactly("failed R-1 [s/b, s/c]", "warning R-2 [s/a]");
    }
}
