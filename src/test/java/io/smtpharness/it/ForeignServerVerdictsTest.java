package io.smtpharness.it;

import static io.smtpharness.it.TrustedVerdictsTest.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.testing.LineServer;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Verdicts the default suites gave on servers of kinds the project had not run (Java, Node.js and
 * Python implementations; issue 23) and that the RFC text does not support. Each test has the
 * reference server do what such a server was seen doing, runs the real suites, and asserts the
 * verdict the cited sentence supports.
 */
class ForeignServerVerdictsTest {

    /**
     * A server offering SMTPUTF8 echoes the mailbox: {@code MAIL FROM:<jörg@exämple.test> SMTPUTF8}
     * gets {@code 250 2.1.0 Sender <jörg@exämple.test> ok}. The MAIL that carries the parameter opens
     * the SMTPUTF8 transaction (RFC 6531 §3.4), so its own reply belongs to it: RFC 6531 §3.7.4 allows
     * UTF-8 there only in a 251/551, so it is gray zone G-23, a warning at most, never the failure
     * "MUST NOT include non-ASCII characters in replies" reserves for a client that did not opt in.
     */
    @Test
    void aServerEchoingUtf8MailboxesInItsSmtputf8TransactionFailsNoCase() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.EchoPaths()),
                true, "");
        assertThat(summary.cases()).hasSizeGreaterThan(150);
        assertThat(failed(summary)).isEmpty();
        CaseResult utf8 = only(summary, "utf8-mailboxes-accepted");
        assertThat(utf8.findings()).as(describe(utf8)).anySatisfy(f -> {
            assertThat(f.ruleId()).isEqualTo("G-23");
            assertThat(f.message()).startsWith("MAIL FROM:<j");
        });
    }

    /**
     * {@code VRFY jörg} (no SMTPUTF8 parameter) answered 252 by a server that offers SMTPUTF8. RFC 6531
     * §3.7.4.2: if the client did not use the parameter, the server "MUST use either the reply-code 252
     * or 550". So 252 is right, and RFC 5321 §2.4's "should be rejected" applies only "in the absence of
     * a server-offered extension explicitly permitting it". A reply echoing the name in UTF-8 still
     * fails (§3.7.4: no UTF-8 in replies the client did not ask for).
     */
    @Test
    void aNonAsciiVrfyAnswered252ByAnSmtputf8ServerIsRight() {
        RunSummary right = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.Reply("VRFY", "252 2.0.0 Cannot VRFY user, but will take a message\r\n")),
                false, "rfc5321-commands", "rfc6531");
        CaseResult plain = only(right, "non-ascii-vrfy");
        assertThat(plain.status()).as(describe(plain)).isEqualTo(Status.SKIPPED);
        assertThat(plain.message()).contains("advertises SMTPUTF8");
        CaseResult utf8 = only(right, "non-ascii-vrfy-without-parameter");
        assertThat(utf8.status()).as(describe(utf8)).isEqualTo(Status.PASSED);
        assertThat(utf8.findings()).isEmpty();

        RunSummary echo = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.Reply("VRFY", "252 2.0.0 j\u00c3\u00b6rg\r\n")), false, "rfc6531");
        CaseResult echoed = only(echo, "non-ascii-vrfy-without-parameter");
        assertThat(echoed.status()).as(describe(echoed)).isEqualTo(Status.FAILED);
        assertThat(echoed.message()).startsWith("6531-3.7.4-UTF8-REPLIES");
    }

    /**
     * {@code RCPT TO:<postmaster@[256.1.1.1]>}, {@code [IPv6:1::2::3]} and {@code [FOO:bar]} refused with
     * {@code 550 5.7.1 relaying denied} by a server that refuses such recipients by policy before it
     * looks at their syntax. RFC 5321 §4.2.3 defines 550 as "Requested action not taken: mailbox
     * unavailable (e.g., mailbox not found, no access, or command rejected for policy reasons)", and
     * gray zone G-18 passes a policy refusal of an address literal: the literal was not accepted.
     */
    @Test
    void anInvalidAddressLiteralRefusedByPolicyIsNoDeviation() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.Reply("RCPT", "550 5.7.1 <postmaster>: Relay access denied\r\n")), false, "rfc5321-syntax");
        for (String id : List.of("invalid-ipv4-literal", "invalid-ipv6-literal", "unknown-literal-tag")) {
            CaseResult c = only(summary, id);
            assertThat(c.status()).as(describe(c)).isEqualTo(Status.PASSED);
        }
        // acceptance is still the deviation the cases are there for
        RunSummary lax = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.Reply("RCPT", "250 2.1.5 Ok\r\n")), false, "rfc5321-syntax");
        CaseResult accepted = only(lax, "unknown-literal-tag");
        assertThat(accepted.status()).as(describe(accepted)).isEqualTo(Status.WARNING);
        assertThat(accepted.message()).startsWith("5321-4.1.3-GENERAL-LITERAL");
    }

    /**
     * A server whose EHLO says {@code SIZE 0} accepts {@code MAIL ... SIZE=99999999999999999999}. RFC
     * 1870 §3: "A parameter value of 0 (zero) indicates that no fixed maximum message size is in force",
     * so no declared size is over a limit; every case that needs one ends skipped, and none fails.
     */
    @Test
    void sizeZeroMeansNoLimitSoNoDeclaredSizeIsTooBig() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.IgnoreSizeLimit(),
                new Misbehaviour.Reply("EHLO", "250-reference.test\r\n250-PIPELINING\r\n250-SIZE 0\r\n250 8BITMIME\r\n")),
                false, "rfc1870");
        assertThat(failed(summary)).isEmpty();
        assertThat(only(summary, "declared-size-accepted").status()).isEqualTo(Status.PASSED);
        CaseResult overLimit = only(summary, "declared-size-over-limit");
        assertThat(overLimit.status()).as(describe(overLimit)).isEqualTo(Status.SKIPPED);
        assertThat(overLimit.message()).contains("states no fixed SIZE limit");
        // against a fixed limit that the server does not enforce, the 20-digit declaration still fails
        RunSummary lax = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.IgnoreSizeLimit()),
                false, "rfc1870");
        assertThat(only(lax, "declared-size-over-limit").status()).isEqualTo(Status.FAILED);
    }

    /**
     * {@code MAIL FROM:<unterminated@client.test} (no closing bracket) answered 250 by a lax parser.
     * RFC 5321 §4.1.4's MUST is conditional: "If the transaction beginning command argument is not
     * acceptable, a 501 failure reply MUST be returned"; a server may find it acceptable. The case that
     * sends it tests that errors do not make the server close, so it passes; the path syntax case notes
     * the leniency (G-03: "Accept leniently, or 501/553").
     */
    @Test
    void aLaxPathParserIsANoteNotAFailureOfACaseAboutClosing() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.Reply("MAIL", "250 2.1.0 Ok\r\n")), false, "rfc5321-commands", "rfc5321-syntax");
        CaseResult closing = only(summary, "no-close-after-errors");
        assertThat(closing.status()).as(describe(closing)).isEqualTo(Status.PASSED);
        CaseResult paths = only(summary, "paths-without-angle-brackets");
        assertThat(paths.status()).as(describe(paths)).isEqualTo(Status.PASSED);
        assertThat(paths.findings()).as(describe(paths)).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(io.smtpharness.result.Severity.NOTE);
            assertThat(f.message()).contains("yaml:253").contains("got \"250 2.1.0 Ok\"");
        });
    }

    /**
     * After {@code AUTH PLAIN} and {@code 334}, a 4 004-octet response line that was no PLAIN message
     * got {@code 500 Error: invalid userdata}: the server read the whole line and refused its content.
     * RFC 4954 §4 asks that responses of any length the mechanism needs be read (4954-4-BIG-BUFFER);
     * it says nothing against refusing a malformed one. The probes are now well-formed RFC 4616
     * messages, so such a server passes; a 500 to fields beyond RFC 4616's "MUST accept up to 255
     * octets" may refuse content, not length, and is G-24, a warning.
     */
    @Test
    void aServerThatRefusesMalformedPlainPassesTheBufferProbes() {
        RunSummary strict = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.StrictPlain(Integer.MAX_VALUE)), true, "rfc4954");
        for (String id : List.of("big-response-buffer", "huge-response-buffer")) {
            CaseResult c = only(strict, id);
            assertThat(c.status()).as(describe(c)).isEqualTo(Status.PASSED);
            assertThat(c.transcript()).as(describe(c)).anySatisfy(e -> assertThat(e.text()).startsWith("535"));
        }
        RunSummary fields = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.StrictPlain(255)), true, "rfc4954");
        assertThat(only(fields, "big-response-buffer").status()).isEqualTo(Status.PASSED);
        CaseResult huge = only(fields, "huge-response-buffer");
        assertThat(huge.status()).as(describe(huge)).isEqualTo(Status.WARNING);
        assertThat(huge.message()).startsWith("G-24").contains("500 5.5.2 Error: invalid userdata");
        // a 500 that says it refused the length is the buffer deviation, in both probes
        RunSummary small = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.AuthLineLimit(600)), true, "rfc4954");
        for (String id : List.of("big-response-buffer", "huge-response-buffer")) {
            CaseResult c = only(small, id);
            assertThat(c.status()).as(describe(c)).isEqualTo(Status.FAILED);
            assertThat(c.findings()).as(describe(c)).anySatisfy(f -> assertThat(f.ruleId()).isEqualTo("4954-4-BIG-BUFFER"));
        }
    }

    /**
     * A server without NOOP ({@code 500 Command not implemented}). RFC 5321 §4.5.1 lists NOOP among
     * the commands every server implements, and §4.3.2 forbids "command not recognised" for them: that
     * is one deviation, on 5321-4.3.2-REQUIRED-NOT-500, reported once for the run. The cases that send NOOP only as a probe (is the session still there
     * and in step?) cannot judge their own rule with it, so they end skipped saying so, instead of
     * failing on CLOSE-ONLY-IF, VERB-CASE, CRLF-ONLY and the like; the cases about NOOP fail.
     */
    @Test
    void aProbeTheServerDoesNotImplementIsOneFindingOnTheRuleThatRequiresIt() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.Reply("NOOP", "500 5.5.1 Command not implemented\r\n")), true, "");
        assertThat(summary.incidentalFindings()).filteredOn(f -> f.ruleId().equals("5321-4.3.2-REQUIRED-NOT-500"))
                .singleElement().satisfies(f -> assertThat(f.cases()).hasSizeGreaterThan(5));
        // a case whose verdict rests on the 500 to NOOP is a case about NOOP
        assertThat(summary.cases()).filteredOn(c -> c.status() == Status.FAILED || c.status() == Status.WARNING)
                .filteredOn(c -> c.message().contains("NOOP got \"500") || c.message().contains("got \"500 5.5.1 Command"))
                .allSatisfy(c -> assertThat(c.rules()).as(describe(c)).anyMatch(r -> r.contains("NOOP")
                        || r.contains("REQUIRED")));
        for (String id : List.of("no-close-after-errors", "command-line-over-512-octets", "lower-case-verbs",
                "trailing-white-space")) {
            CaseResult probe = only(summary, id);
            assertThat(probe.status()).as(describe(probe)).isEqualTo(Status.SKIPPED);
            assertThat(probe.message()).contains("does not implement NOOP");
        }
        assertThat(only(summary, "noop").status()).isEqualTo(Status.FAILED);
    }

    /**
     * A server that answers the probe after an over-long line with 421 and closes. What breaks is the
     * case's premise that the session goes on after the long line: the finding is on the case's own
     * rule (5321-3.8-CLOSE-ONLY-IF for a command line, 4954-4-LONG-LINE-500, "the session must stay
     * usable", for an AUTH response), a warning at most since RFC 5321 §3.8 allows a close after 421,
     * and never on the probe's NOOP-250.
     */
    @Test
    void a421ToAProbeIsAboutTheCaseNotAboutTheProbe() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.LineLimit(1000),
                new Misbehaviour.Reply("NOOP", "421 4.4.2 closing after a long line\r\n")), true, "rfc5321-core", "rfc4954");
        for (String[] expected : List.of(new String[] {"command-line-over-512-octets", "5321-3.8-CLOSE-ONLY-IF"},
                new String[] {"long-response-line", "4954-4-LONG-LINE-500"})) {
            CaseResult c = only(summary, expected[0]);
            assertThat(c.status()).as(describe(c)).isEqualTo(Status.WARNING);
            assertThat(c.message()).as(describe(c)).startsWith(expected[1]).contains("421 4.4.2");
        }
        // only the cases about NOOP itself judge NOOP-250 on it
        assertThat(summary.cases()).filteredOn(c -> !c.rules().contains("5321-4.1.1.9-NOOP-250"))
                .allSatisfy(c -> assertThat(c.findings()).as(describe(c))
                        .noneMatch(f -> f.ruleId().equals("5321-4.1.1.9-NOOP-250") && f.message().contains("421")));
    }

    /**
     * {@code 550 Message too big!} to {@code MAIL ... SIZE=} over the advertised limit. The command
     * carries the parameter under test, so its refusal is never a refused setup: RFC 1870 §6.1 asks
     * for 552 ("552 message size exceeds fixed maximium message size"), so 550 is a finding on the
     * SIZE rule, not a skip.
     */
    @Test
    void aRefusalOfTheParameterUnderTestIsAFindingNotARefusedSetup() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.ReplyInState("MAIL", "GREETED", "550 5.3.4 Message too big!\r\n"),
                new Misbehaviour.IgnoreSizeLimit()), false, "rfc1870");
        CaseResult over = only(summary, "declared-size-over-limit");
        assertThat(over.status()).as(describe(over)).isEqualTo(Status.FAILED);
        assertThat(over.message()).startsWith("1870-6.1-DECLARED-TOO-BIG").contains("550 5.3.4 Message too big!");
        assertThat(summary.cases()).noneSatisfy(c -> assertThat(c.message()).startsWith(CaseResult.SETUP_REFUSED)
                .contains("SIZE="));
    }

    /**
     * A server that refuses {@code BDAT 35} with 503, then reads the chunk as a command line, answers
     * it with a second 503 20 ms later (well within the runner's 200 ms wait), sends 421 and closes.
     * RFC 3030 §2: a refused BDAT's chunk is still read and discarded (3030-2-CONSUME-ON-ERROR); the
     * extra reply is that deviation, in every run, whether it arrives before or after the harness would
     * send its next command. The 421 says the server is closing (RFC 5321 §3.8), so its close is not
     * judged again.
     */
    @Test
    void extraRepliesAfterARefusedBdatAreTheBdatDeviationInEveryRun() throws Exception {
        java.util.function.Function<String, List<LineServer.Action>> answer = line -> {
            String verb = line.split(" ")[0].toUpperCase(java.util.Locale.ROOT);
            return switch (verb) {
                case "EHLO" -> List.of(new LineServer.Say("250-fixture.test\r\n250-PIPELINING\r\n250-CHUNKING\r\n"
                        + "250 8BITMIME"));
                case "MAIL", "RCPT", "RSET", "NOOP" -> List.of(new LineServer.Say("250 Ok"));
                case "QUIT" -> List.of(new LineServer.Say("221 Bye"), new LineServer.HangUp());
                case "BDAT" -> List.of(new LineServer.Say("503 Error: BDAT not allowed here"));
                case "DATA" -> List.of(new LineServer.Say("503 Error: BDAT in progress"));
                default -> List.of(new LineServer.Pause(20), new LineServer.Say("503 Error: bad sequence of commands"),
                        new LineServer.Say("421 Too many errors, closing"), new LineServer.HangUp());
            };
        };
        List<String> first = null;
        try (LineServer server = LineServer.start("220 fixture.test ESMTP", answer)) {
            for (int run = 0; run < 5; run++) {
                CaseResult c = only(ReferenceRuns.runCases(server.address(), "rfc3030-chunking/data-after-bdat-refused"),
                        "data-after-bdat-refused");
                assertThat(c.status()).as(describe(c)).isEqualTo(Status.FAILED);
                assertThat(c.findings()).as(describe(c)).anySatisfy(f -> {
                    assertThat(f.ruleId()).isEqualTo("3030-2-CONSUME-ON-ERROR");
                    assertThat(f.message()).contains("503 Error: bad sequence");
                });
                List<String> verdict = c.findings().stream().map(f -> f.ruleId() + " " + f.severity()).sorted().toList();
                assertThat(verdict).as(describe(c)).noneMatch(v -> v.startsWith("5321-4.1.1.10-QUIT-221")
                        || v.startsWith("5321-3.8-CLOSE-ONLY-IF"));
                if (first == null) {
                    first = verdict;
                } else {
                    assertThat(verdict).as("run " + (run + 1) + " against run 1").isEqualTo(first);
                }
            }
        }
    }

    /** The failed cases, each with its findings and the tail of its transcript, for a readable message. */
    static List<String> failed(RunSummary summary) {
        return summary.cases().stream().filter(c -> c.status() == Status.FAILED).map(c -> c.qualifiedId() + ": "
                + c.message() + "\n    " + c.transcript().stream().skip(Math.max(0, c.transcript().size() - 12))
                .map(e -> e.text().length() > 200 ? e.text().substring(0, 200) + "..." : e.text())
                .collect(Collectors.joining("\n    "))).toList();
    }

    static CaseResult only(RunSummary summary, String id) {
        return summary.cases().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no case " + id));
    }
}
