package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.transcript.TranscriptEvent;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Behaviour the RFCs allow must not be judged a deviation, and a deviation must be judged once, on
 * what the case tests (issue 13): each test runs the real suites against the reference server
 * doing one thing a real server was seen doing.
 */
class TrustedVerdictsTest {


    /**
     * aiosmtpd with STARTTLS (Python's asyncio ssl transport) answers QUIT with 221, sends TLS
     * close_notify and holds TCP until ours comes. RFC 8446 §6.1: close_notify "notifies the
     * recipient that the sender will not send any more messages on this connection"; that is the
     * server closing, and RFC 5321 §4.1.1.10 asks no more ("The receiver MUST send a 221 OK reply,
     * and then close the transmission channel").
     */
    @Test
    void aTlsCloseNotifyAfter221IsTheServerClosing() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.CloseNotifyThenWait()),
                true, "rfc3207", "rfc4954");
        assertThat(summary.cases()).hasSizeGreaterThanOrEqualTo(20).allSatisfy(c ->
                assertThat(c.status()).as(describe(c)).isEqualTo(Status.PASSED));
        assertThat(summary.cases()).anySatisfy(c -> assertThat(c.transcript()).extracting(TranscriptEvent::text)
                .anySatisfy(text -> assertThat(text).contains("TLS close_notify")));
    }

    /**
     * RFC 3207 §4: "After receiving a 220 response to a STARTTLS command, the client MUST start the
     * TLS negotiation before giving any other SMTP commands." A 220 to {@code STARTTLS now} is the
     * deviation (§4: 501 "no parameters allowed"); the harness closes instead of sending plaintext
     * to a server that has begun TLS, so nothing else is blamed.
     */
    @Test
    void aWrong220ToStartTlsIsJudgedOnTheReplyAndTheHarnessCloses() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.StartTlsWithArgument()),
                true, "rfc3207");
        CaseResult argument = summary.cases().stream().filter(c -> c.id().equals("starttls-with-argument-501"))
                .findFirst().orElseThrow();
        assertThat(argument.status()).as(describe(argument)).isEqualTo(Status.FAILED);
        assertThat(argument.message()).as(describe(argument)).startsWith("3207-4-NO-ARGS-501");
        assertThat(summary.cases()).allSatisfy(c -> assertThat(c.findings()).as(describe(c))
                .noneMatch(f -> f.ruleId().equals("5321-3.8-CLOSE-ONLY-IF")));
    }

    /**
     * Sendmail 8.17 meets a bare LF in DATA with "421 4.5.0 Bare linefeed (LF) not allowed" and
     * hangs up. RFC 5321 §4.1.1.4 forbids taking a look-alike as the end of data; refusing the
     * message or the session is allowed (gray zone G-01b), so the fixed server passes every
     * look-alike case where the vulnerable one ({@link Misbehaviour.BareLfEndsData}) fails them.
     */
    @Test
    void refusingABareLfInDataIsADefenceNotSmuggling() {
        RunSummary fixed = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.RefuseBareLf()), false,
                "smtp-smuggling", "rfc5321-line-endings", "rfc5321-core");
        assertThat(fixed.cases()).allSatisfy(c -> assertThat(c.status()).as(describe(c)).isNotEqualTo(Status.FAILED));
        assertThat(fixed.cases()).filteredOn(c -> c.id().equals("smuggle-after-lf-dot-lf")).singleElement()
                .satisfies(c -> assertThat(c.findings()).as(describe(c)).anySatisfy(f -> {
                    assertThat(f.ruleId()).isEqualTo("G-01b");
                    assertThat(f.message()).contains("421 4.5.0 Bare linefeed").contains("defence");
                }));
        RunSummary vulnerable = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.BareLfEndsData()), false,
                "smtp-smuggling");
        assertThat(vulnerable.cases()).filteredOn(c -> c.id().equals("smuggle-after-lf-dot-lf")).singleElement()
                .satisfies(c -> assertThat(c.status()).as(describe(c)).isEqualTo(Status.FAILED));
    }

    /**
     * Sendmail's default configuration refuses a sender whose domain does not resolve ("553 5.1.2
     * ... Unresolvable domain"). RFC 5321 §4.3.2 lists 553 among MAIL's replies: a policy refusal,
     * not a deviation. The cases that need the sender accepted are skipped naming --sender, and
     * nothing is blamed on the rules they would have tested.
     */
    @Test
    void aRefusedSenderSkipsTheCasesThatNeedItAndNamesTheOption() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.ReplyInState("MAIL",
                "GREETED", "553 5.1.2 <harness@client.test>... Domain of sender address harness@client.test does not"
                + " exist\r\n")), false, "rfc5321-", "rfc2920", "rfc1870", "rfc2034");
        List<CaseResult> refused = summary.cases().stream()
                .filter(c -> c.message().startsWith(CaseResult.SETUP_REFUSED)).toList();
        assertThat(refused).hasSizeGreaterThan(30).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(Status.SKIPPED);
            assertThat(c.message()).contains("harness@client.test").contains("553 5.1.2").contains("--sender");
        });
        // no verdict rests on the refusal of our sender (this fake refuses MAIL FROM:<> too, which
        // Sendmail accepts, so the cases sending <> are left out)
        assertThat(summary.cases()).filteredOn(c -> !c.id().equals("null-reverse-path")
                && !c.id().equals("bad-mail-argument-keeps-state")).allSatisfy(c -> assertThat(c.findings()).as(describe(c))
                .noneMatch(f -> !f.incidental() && f.severity() == io.smtpharness.result.Severity.FAILED
                        && f.message().contains("expected 250") && f.message().contains("553")));
        assertThat(io.smtpharness.report.TerminalSummary.render(summary, false))
                .containsOnlyOnce("skipped, setup refused: the server refused the sender harness@client.test");
    }

    /**
     * An EHLO keyword outside the IANA registry (Exim's PIPECONNECT) shows in every EHLO reply. RFC
     * 5321 §2.2.2 makes it a SHOULD NOT; it is one deviation of the server, reported once with the
     * cases where it showed, and only cases written to test EHLO keywords carry it as their verdict.
     */
    @Test
    void anEhloTraitIsOneFindingNotAVerdictInEveryCase() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.Reply("EHLO",
                "250-reference.test\r\n250-PIPELINING\r\n250-PIPECONNECT\r\n250 8BITMIME\r\n")), false,
                "rfc5321-", "rfc6531", "rfc3030");
        String rule = "5321-2.2.2-NO-UNREGISTERED-KW";
        assertThat(summary.incidentalFindings()).filteredOn(f -> f.ruleId().equals(rule)).singleElement()
                .satisfies(f -> assertThat(f.cases()).hasSizeGreaterThan(50));
        assertThat(summary.cases()).filteredOn(c -> c.message().startsWith(rule))
                .allSatisfy(c -> assertThat(c.rules()).contains(rule));
        // extension cases still end skipped when their keyword is missing
        assertThat(summary.cases()).filteredOn(c -> c.suite().equals("rfc6531-smtputf8") || c.suite().equals("rfc3030-chunking"))
                .isNotEmpty().allSatisfy(c -> assertThat(c.status()).as(describe(c)).isEqualTo(Status.SKIPPED));
    }

    /**
     * A server that answers a BDAT chunk twice. RFC 5321 §4.2: "an SMTP server MUST send one reply
     * per command" (RFC 3030 §2: one reply per BDAT). The extra reply arrives before the next command
     * goes out, so it is blamed on the BDAT, the same way in every run, never on the next command.
     */
    @Test
    void aStrayReplyIsBlamedOnTheCommandThatCausedItInEveryRun() {
        ServerConfig config = ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.ExtraReply("BDAT", "250 2.0.0 one more\r\n"));
        List<String> first = null;
        for (int run = 0; run < 4; run++) {
            RunSummary summary = ReferenceRuns.run(config, false, "rfc3030");
            List<String> verdicts = summary.cases().stream().map(c -> c.qualifiedId() + " " + c.status().label() + " "
                    + c.findings().stream().filter(f -> f.severity() != io.smtpharness.result.Severity.NOTE)
                    .map(Finding::ruleId).sorted().toList()).sorted().toList();
            assertThat(summary.cases()).anySatisfy(c -> assertThat(c.findings()).anySatisfy(f -> {
                assertThat(f.ruleId()).isEqualTo("5321-4.2-ONE-REPLY");
                assertThat(f.message()).startsWith("one reply too many to BDAT");
            }));
            if (first == null) {
                first = verdicts;
            } else {
                assertThat(verdicts).as("run " + (run + 1) + " against run 1").isEqualTo(first);
            }
        }
    }

    static String describe(CaseResult c) {
        return c.qualifiedId() + " " + c.status().label() + ": " + c.message() + "\n  findings: "
                + c.findings().stream().map(Finding::toString).collect(Collectors.joining("\n  "))
                + "\n  transcript:\n  " + c.transcript().stream().map(TranscriptEvent::toString)
                .collect(Collectors.joining("\n  "));
    }
}
