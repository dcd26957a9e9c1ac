package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a case's judge costs and how far its findings reach, without a socket. */
class JudgeTest {

    private static final String MUST_RULE = "5321-4.1.1.9-NOOP-250";
    private static final String SHOULD_RULE = "5321-2.4-8BITMIME-OFFERED";
    private static final String MAY_RULE = "5321-2.3.8-LINE-LIMITS";
    private static final String DEF_RULE = "5321-4.1.1.10-QUIT-ABORTS";
    private static final String GRAY_RULE = "G-01";

    private static Judge judge(Optional<Level> caseLevel, String... rules) {
        return new Judge(new Scope(List.of(rules), Set.of(), caseLevel));
    }

    @Test
    void aScriptMismatchCostsWhatTheCitedRulesLevelSays() {
        Judge judge = judge(Optional.empty(), MUST_RULE);
        assertThat(judge.costOf(MUST_RULE)).isEqualTo(Severity.FAILED);
        assertThat(judge.costOf(DEF_RULE)).isEqualTo(Severity.FAILED);
        assertThat(judge.costOf(SHOULD_RULE)).isEqualTo(Severity.WARNING);
        assertThat(judge.costOf(GRAY_RULE)).isEqualTo(Severity.WARNING);
        assertThat(judge.costOf(MAY_RULE)).isEqualTo(Severity.NOTE);
        assertThat(judge.costOf("5321-9.9-NOT-IN-THE-CATALOGUE")).isEqualTo(Severity.FAILED);
    }

    @Test
    void theCasesLevelOverridesTheRulesButAGrayZoneNeverCostsMoreThanAWarning() {
        assertThat(judge(Optional.of(Level.SHOULD)).costOf(MUST_RULE)).isEqualTo(Severity.WARNING);
        assertThat(judge(Optional.of(Level.MAY)).costOf(MUST_RULE)).isEqualTo(Severity.NOTE);
        assertThat(judge(Optional.of(Level.MUST)).costOf(SHOULD_RULE)).isEqualTo(Severity.FAILED);
        assertThat(judge(Optional.of(Level.MUST)).costOf(GRAY_RULE)).isEqualTo(Severity.WARNING);
        // outside a script, a rule costs its own level whatever the case says
        assertThat(Judge.ruleSeverity(MUST_RULE)).isEqualTo(Severity.FAILED);
    }

    @Test
    void aMismatchIsOnItsRuleAtItsCost() {
        List<Finding> found = judge(Optional.of(Level.SHOULD), MUST_RULE)
                .event(new SessionEvent.Mismatch(MUST_RULE, "expected 250 at x, got \"500 no\""));
        assertThat(found).containsExactly(new Finding(MUST_RULE, Severity.WARNING, "expected 250 at x, got \"500 no\""));
    }

    @Test
    void aFindingOnTheEhloReplyIsIncidentalUnlessTheCaseTestsItsRule() {
        SessionModel greeted = new SessionModel(SessionState.CONNECTED, true);
        // 8BITMIME missing from the EHLO reply: a trait of the server, the same in every session
        Exchange ehlo = new Exchange(greeted, Optional.of(Sent.ofLine("EHLO client.test")),
                Reply.parse("250-mx.example\r\n250 SIZE 1000\r\n"));
        assertThat(judge(Optional.empty(), MUST_RULE).reply(ehlo)).filteredOn(f -> f.ruleId().equals(SHOULD_RULE))
                .isNotEmpty().allMatch(Finding::incidental);
        assertThat(judge(Optional.empty(), SHOULD_RULE).reply(ehlo)).filteredOn(f -> f.ruleId().equals(SHOULD_RULE))
                .isNotEmpty().noneMatch(Finding::incidental);
    }

    @Test
    void aFindingOnAnyCommandIsIncidentalUnlessTheCaseTestsItsRule() {
        SessionModel greeted = new SessionModel(SessionState.GREETED, true);
        // NOOP is a required command: 500 breaks 5321-4.3.2-REQUIRED-NOT-500, in every case that sends NOOP
        Exchange noop = new Exchange(greeted, Optional.of(Sent.ofLine("NOOP")), Reply.parse("500 what\r\n"));
        assertThat(judge(Optional.empty(), SHOULD_RULE).reply(noop)).isNotEmpty().allMatch(Finding::incidental);
        assertThat(judge(Optional.empty(), "5321-4.3.2-REQUIRED-NOT-500").reply(noop))
                .filteredOn(f -> f.ruleId().equals("5321-4.3.2-REQUIRED-NOT-500")).singleElement()
                .matches(f -> !f.incidental() && f.severity() == Severity.FAILED);
        // a generated dialogue cites nothing, so it tests everything
        assertThat(judge(Optional.empty()).reply(noop)).isNotEmpty().noneMatch(Finding::incidental);
    }

    @Test
    void aCaseCitingTheCellOrRowOfTheCommandAnsweredOwnsWhatTheTablesSayAboutIt() {
        SessionModel greeted = new SessionModel(SessionState.GREETED, true);
        Exchange vrfy = new Exchange(greeted, Optional.of(Sent.ofLine("VRFY postmaster")), Reply.parse("500 no\r\n"));
        Exchange help = new Exchange(greeted, Optional.of(Sent.ofLine("HELP")), Reply.parse("250 try harder\r\n"));
        // the state table judges a refused VRFY under gray zone G-05, the code table an odd HELP code under TABLE
        assertThat(judge(Optional.empty(), "5321-4.1.4-STATE:GREETED:VRFY").reply(vrfy))
                .extracting(Finding::ruleId).contains("G-05");
        assertThat(judge(Optional.empty(), "5321-4.1.4-STATE:GREETED:VRFY").reply(vrfy)).noneMatch(Finding::incidental);
        assertThat(judge(Optional.empty(), "5321-4.1.4-STATE:MAIL:VRFY").reply(vrfy)).allMatch(Finding::incidental);
        assertThat(judge(Optional.empty(), "5321-4.3.2-HELP-CODES").reply(help))
                .extracting(Finding::ruleId).contains("5321-4.3.1-TABLE");
        assertThat(judge(Optional.empty(), "5321-4.3.2-HELP-CODES").reply(help)).noneMatch(Finding::incidental);
        assertThat(judge(Optional.empty(), "5321-4.3.2-VRFY-CODES").reply(help)).allMatch(Finding::incidental);
    }

    @Test
    void aServerKeepingTheConnectionOpenAfterTheHarnesssQuitIsIncidentalUnlessTheCaseTestsIt() {
        String quit = "5321-4.1.1.10-QUIT-221";
        SessionEvent afterOwnQuit = new SessionEvent.NotClosed(quit, 3000, "after 221 to QUIT", false);
        assertThat(judge(Optional.empty(), MUST_RULE).event(afterOwnQuit)).singleElement()
                .matches(Finding::incidental).extracting(Finding::severity).isEqualTo(Severity.FAILED);
        assertThat(judge(Optional.empty(), quit).event(afterOwnQuit)).singleElement().matches(f -> !f.incidental());
        // a close step the script wrote is the case's own, whatever rule it cites
        assertThat(judge(Optional.empty(), MUST_RULE).event(new SessionEvent.NotClosed(quit, 3000, "x:1", true)))
                .singleElement().matches(f -> !f.incidental());
    }

    @Test
    void a421ToAProbeCostsAWarningAtMostAndNothingButANoteAfterSeveralErrors() {
        Judge judge = judge(Optional.empty(), MUST_RULE);
        assertThat(judge.event(new SessionEvent.ProbeClosing(MUST_RULE, "NOOP got \"421 bye\"", 0)))
                .extracting(Finding::ruleId, Finding::severity).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(MUST_RULE, Severity.WARNING));
        assertThat(judge.event(new SessionEvent.ProbeClosing(MUST_RULE, "NOOP got \"421 bye\"",
                ConnectionClose.ERRORS_BEFORE_DEFENCE))).extracting(Finding::ruleId, Finding::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("G-20", Severity.NOTE));
    }

    @Test
    void anIdleCloseAfterQuitIsNoFinding() {
        Judge judge = judge(Optional.empty(), MUST_RULE);
        assertThat(judge.event(new SessionEvent.IdleClose(SessionState.CLOSED, 10))).isEmpty();
        assertThat(judge.event(new SessionEvent.IdleClose(SessionState.GREETED, 10_000)))
                .extracting(Finding::ruleId).containsExactly("5321-4.5.3.2-SERVER-5MIN");
    }
}
