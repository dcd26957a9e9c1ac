package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How progress is shown: which mode where, a redrawn line, plain lines, verbose events, and the run's status. */
class ProgressTest {

    private final StringWriter status = new StringWriter();
    private final StringWriter events = new StringWriter();

    private Progress progress(Progress.Mode mode, boolean verbose, String line, int width) {
        return new Progress(mode, verbose, new PrintWriter(status, true), new PrintWriter(events, true), () -> line, width);
    }

    @Test
    void theModeFollowsQuietTheTerminalAndCi() {
        assertThat(Progress.mode(false, true, Map.of())).isEqualTo(Progress.Mode.LINE);
        assertThat(Progress.mode(false, true, Map.of("CI", "true"))).as("a terminal wins over CI").isEqualTo(Progress.Mode.LINE);
        assertThat(Progress.mode(false, true, Map.of("TERM", "dumb"))).as("cannot redraw").isEqualTo(Progress.Mode.NONE);
        assertThat(Progress.mode(false, false, Map.of("CI", "true"))).isEqualTo(Progress.Mode.PLAIN);
        assertThat(Progress.mode(false, false, Map.of("CI", "1"))).isEqualTo(Progress.Mode.PLAIN);
        assertThat(Progress.mode(false, false, Map.of("CI", "false"))).isEqualTo(Progress.Mode.NONE);
        assertThat(Progress.mode(false, false, Map.of())).as("piped, not CI").isEqualTo(Progress.Mode.NONE);
        assertThat(Progress.mode(true, true, Map.of("CI", "true"))).isEqualTo(Progress.Mode.NONE);
        assertThat(Progress.width(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(Progress.width(Map.of("COLUMNS", "wide"))).isEqualTo(80);
    }

    @Test
    void aTerminalLineIsRedrawnInPlaceCutToTheWidthAndClearedAtTheEnd() {
        Progress p = progress(Progress.Mode.LINE, false, "run: 3/10 cases, 0 failed " + "x".repeat(100), 40);
        p.draw();
        p.draw();
        String first = status.toString().split("\r\u001b\\[K", -1)[1];
        assertThat(first).hasSize(39).endsWith("…").startsWith("run: 3/10 cases");
        assertThat(status.toString()).doesNotContain("\n");
        p.close();
        assertThat(status.toString()).endsWith("\r\u001b[K");
    }

    @Test
    void ciGetsPlainLinesWithTheElapsedTime() {
        Progress p = progress(Progress.Mode.PLAIN, false, "run: 3/10 cases, 0 failed", 80);
        p.draw();
        p.draw();
        p.close();
        assertThat(status.toString().lines().toList()).hasSize(2)
                .allMatch(l -> l.matches("run: 3/10 cases, 0 failed · 0:0\\d"));
        assertThat(status.toString()).doesNotContain("\u001b");
    }

    @Test
    void nothingIsShownWhenQuiet() {
        Progress p = progress(Progress.Mode.NONE, false, "run: 3/10", 80);
        p.draw();
        p.event("PASSED x");
        p.close();
        assertThat(status.toString()).isEmpty();
        assertThat(events.toString()).isEmpty();
    }

    @Test
    void verboseEventsGoAboveTheStatusLineWhichIsRedrawn() {
        Progress p = progress(Progress.Mode.LINE, true, "run: 1/2 cases", 80);
        p.draw();
        p.event("FAILED  s/a [R-1] (3 ms): a \u001b[31mred\u001b[0m reply");
        assertThat(events.toString()).isEqualTo("FAILED  s/a [R-1] (3 ms): a \\x1b[31mred\\x1b[0m reply"
                + System.lineSeparator());
        // cleared before the event, drawn again after it
        assertThat(status.toString().split("\r\u001b\\[K", -1)).hasSize(4);
        p.close();
    }

    @Test
    void aRunsStatusCountsVerdictsAndNamesTheOldestCaseRunning() {
        RunProgress run = new RunProgress(5);
        run.runStarted("t");
        assertThat(run.status()).isEqualTo("run: 0/5 cases, 0 failed");
        run.caseStarted("s", "slow");
        run.caseStarted("s", "a");
        run.caseStarted("s", "b");
        run.caseFinished(result("a", Status.FAILED));
        run.caseFinished(result("b", Status.WARNING));
        assertThat(run.status()).matches("run: 2/5 cases, 1 failed, 1 warning · running s/slow \\(\\d+\\.\\d s\\)");
        run.caseStarted("s", "c");
        assertThat(run.status()).contains("running s/slow").endsWith(" and 1 more");
        run.caseFinished(result("c", Status.ERROR));
        run.caseFinished(result("slow", Status.PASSED));
        assertThat(run.status()).isEqualTo("run: 4/5 cases, 1 failed, 1 warning, 1 error");
        run.runStarted("the next MX host");
        assertThat(run.status()).isEqualTo("run: 0/5 cases, 0 failed");
    }

    @Test
    void aVerdictLineSaysWhyACaseDidNotPass() {
        assertThat(RunProgress.verdictLine(result("a", Status.PASSED))).isEqualTo("PASSED  s/a [R-1] (7 ms)");
        assertThat(RunProgress.verdictLine(result("a", Status.FAILED))).isEqualTo("FAILED  s/a [R-1] (7 ms): why");
    }

    private static CaseResult result(String id, Status status) {
        return new CaseResult("s", id, "title", List.of("R-1"), List.of(), status, "why", List.of(), 7, List.of());
    }
}
