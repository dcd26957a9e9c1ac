package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalSummaryTest {

    @Test
    void startsWithTheCountsLine() {
        String text = TerminalSummary.render(ReportFixtures.allStatuses(), false);

        assertThat(text.lines().limit(2)).containsExactly(
                "smtp-harness 0.1.0 against 127.0.0.1:2525: 5 cases in 31.6 s",
                "1 passed, 1 failed, 1 warning, 1 skipped, 1 error");
    }

    @Test
    void listsFailedCasesWithRuleIdMessageAndLastReply() {
        String text = TerminalSummary.render(ReportFixtures.allStatuses(), false);

        assertThat(text).contains(
                "FAILED  core/rcpt-before-mail  5321-4.1.4-ORDER  RCPT before MAIL got 250, expected 503\n"
                        + "        last reply: 250 OK\\r\\n\n");
    }

    @Test
    void listsErrorCasesWithTheirMessage() {
        String text = TerminalSummary.render(ReportFixtures.allStatuses(), false);

        assertThat(text).contains("ERROR   core/quit  5321-4.1.1.10-QUIT  timeout after 30 s without a reply\n");
    }

    @Test
    void aServerWideDeviationIsSaidOnceAfterItsCases() {
        String text = TerminalSummary.render(ReportFixtures.summary(List.of(ReportFixtures.endlessReply("a"),
                ReportFixtures.endlessReply("b"))), false);

        assertThat(text).contains("FAILED  core/a  5321-4.2-ONE-REPLY").contains("FAILED  core/b  5321-4.2-ONE-REPLY")
                .contains("how the server writes replies (each once; these also decided the cases above):\n"
                        + "FAILED  5321-4.2-ONE-REPLY  EHLO got a reply cut off after 1000 lines: it never ended\n"
                        + "        in 2 cases: core/a, core/b\n");
    }

    @Test
    void leavesOutCasesThatDidNotFail() {
        String text = TerminalSummary.render(ReportFixtures.allStatuses(), false);

        assertThat(text).doesNotContain("core/greeting").doesNotContain("ext/size-declared")
                .doesNotContain("ext/pipelining");
    }

    @Test
    void hasNoAnsiCodesWithoutColour() {
        String text = TerminalSummary.render(ReportFixtures.allStatuses(), false);

        assertThat(text).doesNotContain("\u001b");
    }

    @Test
    void coloursStatusesWhenAsked() {
        String text = TerminalSummary.render(ReportFixtures.allStatuses(), true);

        assertThat(text).contains("\u001b[31m1 failed\u001b[0m").contains("\u001b[35m1 error\u001b[0m")
                .contains("\u001b[31mFAILED\u001b[0m  core/rcpt-before-mail");
    }

    @Test
    void hostileTextCannotSendEscapeSequencesToTheTerminal() {
        CaseResult hostile = new CaseResult("evil", "ansi", "t", List.of("R-1"), List.of(), Status.ERROR,
                "server said \u001b]0;pwned\u0007 \u001b[2J and\nmore\u0000", List.of(), 1,
                List.of(ReportFixtures.s(1, "\u001b[31mred")));
        String plain = TerminalSummary.render(ReportFixtures.summary(List.of(hostile)), false);
        String coloured = TerminalSummary.render(ReportFixtures.summary(List.of(hostile)), true);

        assertThat(plain).contains("ERROR   evil/ansi  R-1  server said \\x1b]0;pwned\\x07 \\x1b[2J and\\nmore\\x00\n")
                .contains("last reply: \\x1b[31mred");
        assertThat(plain.chars().filter(ch -> ch < 0x20 && ch != '\n')).isEmpty();
        // with colour on, the only ESC bytes left are our own SGR codes
        assertThat(coloured.replaceAll("\u001b\\[(0|1|3[0-9]|90)m", "")).doesNotContain("\u001b");
    }
}
