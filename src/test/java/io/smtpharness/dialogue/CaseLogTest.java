package io.smtpharness.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import org.junit.jupiter.api.Test;

/** How a case's log decides its status and headline, without a socket. */
class CaseLogTest {

    private static final Finding MUST_BROKEN = new Finding("5321-4.1.1.9-NOOP-250", Severity.FAILED, "NOOP got 500");
    private static final Finding SHOULD_BROKEN = new Finding("5321-4.1.1.8-HELP", Severity.WARNING, "HELP got 500");

    private static CaseLog log() {
        return new CaseLog(text -> text);
    }

    @Test
    void theHeadlineIsTheFirstFindingOfTheWorstSeverityTheCaseOwns() {
        CaseLog log = log();
        log.add(SHOULD_BROKEN);
        log.add(new Finding("G-05", Severity.FAILED, "seen on the way").asIncidental());
        log.add(MUST_BROKEN);
        assertThat(log.verdict()).isEqualTo(new CaseLog.Verdict(Status.FAILED, MUST_BROKEN.toString()));
    }

    @Test
    void anIncidentalFindingNeverDecidesTheCase() {
        CaseLog log = log();
        log.add(MUST_BROKEN.asIncidental());
        assertThat(log.verdict()).isEqualTo(new CaseLog.Verdict(Status.PASSED, ""));
    }

    @Test
    void aCaseThatDoesNotApplyIsSkippedUnlessItAlreadyFailed() {
        CaseLog skipped = log();
        skipped.add(SHOULD_BROKEN);
        skipped.skip("no STARTTLS");
        assertThat(skipped.verdict()).isEqualTo(new CaseLog.Verdict(Status.SKIPPED, "no STARTTLS"));
        CaseLog failed = log();
        failed.add(MUST_BROKEN);
        failed.skip("no STARTTLS");
        assertThat(failed.verdict().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void anErrorIsTheVerdictUnlessAMustRuleWasAlreadySeenBroken() {
        CaseLog error = log();
        error.add(SHOULD_BROKEN);
        error.error("no reply within 30 s", true);
        assertThat(error.verdict()).isEqualTo(new CaseLog.Verdict(Status.ERROR, "no reply within 30 s"));
        assertThat(error.timedOut()).isTrue();
        CaseLog failed = log();
        failed.add(MUST_BROKEN);
        failed.error("connection reset", false);
        assertThat(failed.verdict().status()).isEqualTo(Status.FAILED);
        assertThat(failed.timedOut()).isFalse();
    }

    @Test
    void findingsAreScrubbedAsTheyAreAddedAndMarkedIncidentalFromAMark() {
        CaseLog log = new CaseLog(text -> text.replace("s3cret", "<redacted>"));
        log.add(MUST_BROKEN);
        int mark = log.size();
        log.add(new Finding("G-05", Severity.WARNING, "VRFY s3cret got 500"));
        log.add(new Finding("5321-4.1.1.8-HELP", Severity.WARNING, "HELP got 500"));
        log.incidentalFrom(mark, rule -> rule.equals("5321-4.1.1.8-HELP"));
        assertThat(log.findings()).extracting(Finding::message)
                .containsExactly("NOOP got 500", "VRFY <redacted> got 500", "HELP got 500");
        assertThat(log.findings()).extracting(Finding::incidental).containsExactly(false, true, false);
    }
}
