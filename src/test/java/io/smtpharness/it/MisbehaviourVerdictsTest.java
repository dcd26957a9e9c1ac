package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.rules.Level;
import io.smtpharness.rules.RuleCatalog;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ServerConfig;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Breaking a MUST rule costs {@code failed}, naming that rule: every suite in {@code test-suites/}
 * runs against the reference server committing exactly one {@link Misbehaviour}, and at least one
 * case must fail with a finding that cites the broken rule. The conformant server is the control:
 * no case of any suite may fail against it. New suite files are picked up as they land.
 */
class MisbehaviourVerdictsTest {


    static Stream<Arguments> mustRuleBreaches() {
        return Stream.of(
                // greeting
                row(new Misbehaviour.Greeting("450 4.3.2 reference.test not now\r\n"), "5321-3.1-GREETING"),
                // RFC 5321 §3.1/§4.3.2: 220 (or 554, or 421); a 2yz other than 220 is no greeting either
                row(new Misbehaviour.Greeting("200 reference.test ESMTP\r\n"), "5321-3.1-GREETING"),
                row(new Misbehaviour.Reply("HELO", "250-reference.test\r\n250 PIPELINING\r\n"), "5321-3.2-HELO-PLAIN-REPLY"),
                row(new Misbehaviour.Reply("EHLO", "250-reference.test\r\n250 -PIPELINING\r\n"), "5321-4.1.1.1-REPLY-FORMAT"),
                // GreenMail's first line: "/127.0.0.1" is neither a Domain nor an address literal (§4.1.1.1)
                row(new Misbehaviour.Reply("EHLO", "250-/127.0.0.1\r\n250 8BITMIME\r\n"), "5321-4.1.1.1-REPLY-FORMAT"),
                // ordering and state
                row(new Misbehaviour.AcceptRcptWithoutMail(), "5321-3.3-RCPT-NEEDS-MAIL"),
                row(new Misbehaviour.DataWithoutRecipients(), "5321-3.3-DATA-NO-RCPT"),
                row(new Misbehaviour.KeepTransactionAfterEhlo(), "5321-4.1.1.1-RESETS-STATE"),
                row(new Misbehaviour.Reply("RSET", "550 5.0.0 no reset\r\n"), "5321-4.1.1.5-RSET-250"),
                row(new Misbehaviour.Reply("NOOP", "550 5.0.0 no\r\n"), "5321-4.1.1.9-NOOP-250"),
                // replies
                row(new Misbehaviour.MixedCodeMultiline(), "5321-4.2-MULTILINE-SAME-CODE"),
                row(new Misbehaviour.Reply("NOOP", "2500 ok\r\n"), "5321-4.2-REPLY-SYNTAX"),
                row(new Misbehaviour.Reply("NOOP", "250 ok\n"), "5321-2.3.8-REPLY-CRLF"),
                row(new Misbehaviour.Reply("NOOP", "354 go\r\n"), "5321-4.2.1-3YZ-INTERMEDIATE"),
                row(new Misbehaviour.Reply("NOOP", "500 5.5.2 unrecognized\r\n"), "5321-4.3.2-REQUIRED-NOT-500"),
                row(new Misbehaviour.Reply("DATA", "250 2.0.0 go ahead\r\n"), "5321-4.3.2-DATA-CODES"),
                row(new Misbehaviour.Reply("RCPT", "550 5.1.1 no such user\r\n"), "5321-4.5.1-POSTMASTER"),
                row(new Misbehaviour.CaseSensitiveVerbs(), "5321-2.4-VERB-CASE"),
                // transparency
                row(new Misbehaviour.BareLfEndsData(), "5321-4.1.1.4-NO-LF-EOD"),
                // limits
                row(new Misbehaviour.LineLimit(500), "5321-4.3.2-NO-TOO-LONG-UNDER-512"),
                // QUIT and closing
                row(new Misbehaviour.QuitReplies("250 2.0.0 bye"), "5321-4.1.1.10-QUIT-221"),
                row(new Misbehaviour.CloseOn("XYZZY"), "5321-3.8-UNKNOWN-IS-500"),
                row(new Misbehaviour.CloseOn("RSET"), "5321-3.8-CLOSE-ONLY-IF"),
                // what the EHLO keyword list promises
                row(new Misbehaviour.Reply("EXPN", "250 2.1.5 <postmaster@test.example>\r\n"), "5321-3.5.2-EXPN-IN-EHLO"),
                row(new Misbehaviour.Reply("HELP", "502 5.5.1 not implemented\r\n"), "5321-4.2.4-NO-ADVERTISE-UNIMPL"),
                row(new Misbehaviour.Reply("ETRN", "250 2.0.0 queuing started\r\n"), "5321-4.1.1.1-LIST-COMPLETE"),
                row(new Misbehaviour.Reply("NOOP", "199 2.0.0 ok\r\n"), "5321-4.2-FIRST-DIGIT"),
                // ENHANCEDSTATUSCODES (RFC 2034 / 3463), judged on every reply
                row(new Misbehaviour.Reply("NOOP", "250 5.0.0 OK\r\n"), "2034-4-CLASS-MATCH", "rfc2034-"),
                row(new Misbehaviour.Reply("RSET", "250 Reset state\r\n"), "2034-4-PREFIX-ALL", "rfc2034-"),
                row(new Misbehaviour.Reply("NOOP", "250 2.00.0 OK\r\n"), "3463-2-NO-LEADING-ZERO", "rfc2034-"),
                row(new Misbehaviour.Reply("NOOP", "250 2. 0.0 OK\r\n"), "3463-2-NO-WHITESPACE", "rfc2034-"),
                row(new Misbehaviour.Reply("HELP", "214-2.0.0 Commands\r\n214 2.0.1 End\r\n"), "2034-4-MULTILINE-SAME", "rfc2034-"),
                // what the EHLO reply says about the extensions
                row(new Misbehaviour.Reply("EHLO", "250-reference.test\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n"),
                        "6531-3.1-NEEDS-8BITMIME", "rfc6531-"),
                row(new Misbehaviour.Reply("EHLO", "250-reference.test\r\n250-8BITMIME\r\n250 SIZE ten\r\n"), "1870-3-KEYWORD", "rfc1870-"),
                // RFC 6531 §3.7.4.2: no UTF-8 in a VRFY reply unless the VRFY carried SMTPUTF8 (raw UTF-8 octets)
                row(new Misbehaviour.Reply("VRFY", "550 5.1.1 <j\u00c3\u00b6rg>: unknown user\r\n"), "6531-3.7.4-UTF8-REPLIES"),
                // PIPELINING (RFC 2920)
                row(new Misbehaviour.DropReply("RCPT"), "2920-3.2-KEEP-INPUT", "rfc2920-"),
                row(new Misbehaviour.DelayReply("RCPT"), "2920-3.2-IN-ORDER", "rfc2920-"),
                row(new Misbehaviour.DelayReply("RCPT"), "2920-3.2-FLUSH-WHEN-IDLE", "rfc2920-"),
                // SIZE (RFC 1870)
                row(new Misbehaviour.IgnoreSizeLimit(), "1870-6.1-DECLARED-TOO-BIG", "rfc1870-"),
                // CHUNKING (RFC 3030)
                row(new Misbehaviour.AcceptBdatWithoutTransaction(), "3030-2-AFTER-LAST-503", "rfc3030-"),
                row(new Misbehaviour.AcceptDataAfterBdat(), "3030-2-NO-DATA-AFTER-BDAT", "rfc3030-"),
                // STARTTLS (RFC 3207) and AUTH (RFC 4954)
                row(new Misbehaviour.StartTlsInjection(), "3207-4.2-NO-INJECTION", "rfc3207-"),
                row(new Misbehaviour.StartTlsAfterTls(), "3207-4.2-NO-STARTTLS-AFTER-TLS", "rfc3207-"),
                row(new Misbehaviour.KeepSessionAfterTls(), "3207-4.2-DISCARD-KNOWLEDGE", "rfc3207-"),
                row(new Misbehaviour.Reply("STARTTLS", "220 2.0.0 go ahead\r\n"), "3207-4-NO-ARGS-501", "rfc3207-"),
                row(new Misbehaviour.AcceptSecondAuth(), "4954-4-SECOND-AUTH-503", "rfc4954-"),
                row(new Misbehaviour.Reply("AUTH", "334 Username: please\r\n"), "4954-4-334-BASE64-ONLY", "rfc4954-"));
    }

    /** A row for an RFC 5321 rule: the rfc5321-* suites run. */
    private static Arguments row(Misbehaviour misbehaviour, String ruleId) {
        return row(misbehaviour, ruleId, "rfc5321-");
    }

    /**
     * A row named like "Reply[verb=NOOP, rawReply=250 ok\\n]", control characters escaped; only the
     * suites whose names start with {@code suites} run, to keep the table fast.
     */
    private static Arguments row(Misbehaviour misbehaviour, String ruleId, String suites) {
        String name = misbehaviour.toString().replace("\r", "\\r").replace("\n", "\\n");
        return Arguments.of(Named.of(name, misbehaviour), ruleId, suites);
    }

    @Test
    void theTableNamesOnlyMustRules() {
        assertThat(mustRuleBreaches().map(a -> (String) a.get()[1]).distinct().toList())
                .hasSizeGreaterThanOrEqualTo(15)
                .allSatisfy(id -> assertThat(RuleCatalog.standard().find(id)).as(id)
                        .hasValueSatisfying(r -> assertThat(r.level()).isIn(Level.MUST, Level.DEF)));
    }

    @Test
    void theConformantServerFailsNoCase() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults(), true, "");
        assertThat(summary.cases()).isNotEmpty();
        // the TLS and AUTH suites really ran: none of their cases was skipped
        assertThat(summary.cases()).filteredOn(c -> c.suite().startsWith("rfc3207") || c.suite().startsWith("rfc4954"))
                .hasSizeGreaterThanOrEqualTo(20).allSatisfy(c -> assertThat(c.status()).as(c.qualifiedId())
                        .isEqualTo(Status.PASSED));
        assertThat(summary.cases()).as(describe(summary, Status.FAILED, Status.ERROR))
                .noneMatch(c -> c.status() == Status.FAILED || c.status() == Status.ERROR);
    }

    @ParameterizedTest(name = "{0} → failed {1}")
    @MethodSource("mustRuleBreaches")
    void breakingAMustRuleFailsACaseNamingIt(Misbehaviour misbehaviour, String ruleId, String suitePrefix) {
        boolean secure = suitePrefix.startsWith("rfc3207") || suitePrefix.startsWith("rfc4954");
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(misbehaviour), secure, suitePrefix);
        // wherever else it showed, the rule is incidental (reported once for the run, failing the
        // exit code); a case that tests it fails on it
        assertThat(summary.cases()).as(describe(summary, Status.FAILED))
                .anySatisfy(c -> {
                    assertThat(c.status()).isEqualTo(Status.FAILED);
                    assertThat(c.findings()).anySatisfy(f -> {
                        assertThat(f.ruleId()).isEqualTo(ruleId);
                        assertThat(f.severity()).isEqualTo(Severity.FAILED);
                    });
                });
    }

    @Test
    void oneDeviationSeenInEveryCaseIsReportedOnceAndFailsOnlyTheCasesTestingIt() {
        // every case ends with the harness's own QUIT, so a 250 to QUIT shows in all of them
        String quit221 = "5321-4.1.1.10-QUIT-221";
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.QuitReplies("250 2.0.0 bye")), false, "rfc5321-");
        assertThat(summary.incidentalFindings()).filteredOn(f -> f.ruleId().equals(quit221)).singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.FAILED);
                    assertThat(f.cases()).hasSizeGreaterThan(summary.cases().size() / 2);
                });
        // what fails is the cases whose own script expects QUIT to get 221 (the QUIT cases, and one
        // sending QuIt in mixed case), not the other ~200; a case that sends QUIT as a step may also
        // see the close that follows the 250 (no 221 or 421 before it: 5321-3.8-CLOSE-ONLY-IF), which
        // ends that case and is its own
        List<CaseResult> failed = summary.cases().stream().filter(c -> c.status() == Status.FAILED).toList();
        assertThat(failed).as(describe(summary, Status.FAILED)).isNotEmpty()
                .hasSizeLessThan(summary.cases().size() / 10)
                .allSatisfy(c -> assertThat(c.findings())
                        .filteredOn(f -> !f.incidental() && f.severity() == Severity.FAILED).isNotEmpty()
                        .allSatisfy(f -> assertThat(f.message().startsWith("expected 221 at test-suites/")
                                || f.ruleId().equals(quit221) || f.ruleId().equals("5321-3.8-CLOSE-ONLY-IF"))
                                .as(f.toString()).isTrue()));
    }

    @Test
    void aBareLfEndOfDataIsReportedAsSmuggling() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.BareLfEndsData()), false, "smtp-smuggling");
        List<CaseResult> smuggling = summary.cases().stream().filter(c -> c.suite().equals("smtp-smuggling")).toList();
        assertThat(smuggling).isNotEmpty().allSatisfy(c -> assertThat(c.tags()).contains("smuggling"));
        // the three bare-LF look-alikes the misbehaviour honours fail; the bare-CR ones stay content
        assertThat(smuggling).filteredOn(c -> c.status() == Status.FAILED).extracting(CaseResult::id)
                .containsExactlyInAnyOrder("smuggle-after-lf-dot-lf", "smuggle-after-crlf-dot-lf", "smuggle-after-lf-dot-crlf");
        assertThat(smuggling).filteredOn(c -> c.status() == Status.FAILED).allSatisfy(c -> {
            assertThat(c.findings().get(0).ruleId()).isEqualTo("5321-4.1.1.4-NO-LF-EOD");
            assertThat(c.message()).startsWith("5321-4.1.1.4-NO-LF-EOD").contains("SMTP smuggling");
        });
    }

    @Test
    void closingBeforeQuitAfterA554GreetingFails() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.Greeting("554 5.3.2 reference.test no service\r\n"), new Misbehaviour.CloseOn("EHLO")), false, "rfc5321-");
        assertThat(summary.cases()).as(describe(summary, Status.FAILED)).anySatisfy(c -> assertThat(c.findings())
                .anySatisfy(f -> assertThat(f.ruleId()).isEqualTo("5321-3.1-554-WAIT-QUIT")));
    }

    private static String describe(RunSummary summary, Status... statuses) {
        List<Status> wanted = List.of(statuses);
        return summary.cases().stream().filter(c -> wanted.contains(c.status()))
                .map(c -> c.suite() + "/" + c.id() + " " + c.status().label() + ": "
                        + c.findings().stream().map(Finding::toString).collect(Collectors.joining("; ")))
                .collect(Collectors.joining("\n", "cases:\n", ""));
    }
}
