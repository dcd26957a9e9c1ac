package io.smtpharness.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.testing.LineServer;
import io.smtpharness.transcript.Direction;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runner and the oracles end to end, against the embedded server behaving and misbehaving. */
class DialogueRunnerTest {

    private static SmtpClient client;

    @BeforeAll
    static void startClient() {
        client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    private static CaseResult run(ServerConfig config, Dialogue dialogue) {
        try (ReferenceServer server = ReferenceServer.start(config)) {
            RunnerOptions options = new RunnerOptions(Variables.defaults(), false, Duration.ofSeconds(30),
                    Duration.ofSeconds(2), false);
            return new DialogueRunner(client, server.address(), options).run(dialogue);
        }
    }

    private static CaseResult run(Dialogue dialogue, Misbehaviour... misbehaviours) {
        return run(ServerConfig.defaults().withMisbehaviours(misbehaviours), dialogue);
    }

    private static List<String> failedRules(CaseResult result) {
        return result.findings().stream().filter(f -> f.severity() == Severity.FAILED).map(Finding::ruleId).toList();
    }

    private static Dialogue happyPath() {
        return new Script("5321-3.3-DATA-354-250")
                .send("EHLO ${helo}", "250").send("MAIL FROM:<${sender}>", "250")
                .send("RCPT TO:<${recipient}>", "250").send("DATA", "354")
                .data("Subject: x\n\n.dot\nbody\n", "250").build();
    }

    @Test
    void conformantServerPassesTheHappyPathWithAFullTranscript() {
        CaseResult result = run(ServerConfig.defaults(), happyPath());
        assertThat(result.status()).as(result.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(result.transcript()).extracting(e -> e.direction()).contains(Direction.C, Direction.S, Direction.NOTE);
        assertThat(result.transcript()).anySatisfy(e -> assertThat(e.text()).endsWith("\\r\\n..dot\\r\\nbody\\r\\n.\\r\\n"));
        assertThat(result.transcript()).anySatisfy(e -> assertThat(e.text()).isEqualTo("QUIT\\r\\n"));
    }

    /**
     * A command the server leaves unanswered costs its full deadline once per run: the next case of the
     * same runner that sends it waits 1 s, and its error names the case that waited in full.
     */
    @Test
    void aCommandLeftUnansweredCostsItsFullWaitOncePerRun() throws Exception {
        try (LineServer mute = LineServer.start("220 mute.test ESMTP", line -> line.startsWith("HELP") ? List.of()
                : line.startsWith("QUIT") ? List.of(new LineServer.Say("221 bye"), new LineServer.HangUp())
                : List.of(new LineServer.Say("250 ok")));
             SmtpClient impatient = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(3)))) {
            DialogueRunner runner = new DialogueRunner(impatient, mute.address(), RunnerOptions.defaults());
            Dialogue help = new Script("5321-4.1.1.8-HELP").send("NOOP", "250").send("HELP").build();

            CaseResult first = runner.run(help);
            CaseResult second = runner.run(help);

            assertThat(first.status()).isEqualTo(Status.ERROR);
            assertThat(first.message()).contains("no complete reply to HELP within 3000 ms");
            assertThat(second.status()).isEqualTo(Status.ERROR);
            assertThat(second.message()).contains("no complete reply to HELP within 1000 ms")
                    .contains("already left HELP unanswered for a full deadline in case test/case");
            // a fresh run learns it anew
            assertThat(new DialogueRunner(impatient, mute.address(), RunnerOptions.defaults()).run(help).message())
                    .contains("within 3000 ms");
        }
    }

    /**
     * A window is cut to fit the server's pace, not to a fixed floor: a server that takes 300 ms
     * over every reply (more than the 250 ms floor) still has its reply to a line ended by a bare LF
     * caught inside the window, over a real socket.
     */
    @Test
    void aSlowServersWindowsStayLongEnoughToCatchItsReply() throws Exception {
        try (LineServer slow = LineServer.start("220 slow.test ESMTP", line -> line.startsWith("QUIT")
                ? List.of(new LineServer.Pause(300), new LineServer.Say("221 bye"), new LineServer.HangUp())
                : List.of(new LineServer.Pause(300), new LineServer.Say("250 ok")))) {
            Script script = new Script("5321-2.3.8-CRLF-ONLY").send("EHLO client.test", "250");
            for (int i = 1; i < ReplyPace.MIN_REPLIES; i++) {
                script.send("NOOP", "250");
            }
            Dialogue bareLf = script.raw("NOOP\n").none(Duration.ofSeconds(3)).build();

            CaseResult result = new DialogueRunner(client, slow.address(), RunnerOptions.defaults()).run(bareLf);

            assertThat(failedRules(result)).as(result.transcript().toString()).containsExactly("5321-2.3.8-CRLF-ONLY");
            // 5 x 300 ms at least, whether or not the window was cut
            assertThat(result.transcript()).noneSatisfy(e -> assertThat(e.text()).containsPattern("listening [0-9]{1,3} ms,"));
        }
    }

    /**
     * A server that answers every command after {@code delay}, like a loaded production MTA: the
     * client's own short timeout calls that an error, the RFC 5321 §4.5.3.2 waits do not.
     */
    @Test
    void rfcReplyWaitsOutlastAShortClientTimeout() throws Exception {
        Duration delay = Duration.ofMillis(1200);
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             SmtpClient impatient = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofMillis(300)))) {
            Thread server = new Thread(() -> serveSlowly(listener, delay), "slow-server");
            server.setDaemon(true);
            server.start();
            InetSocketAddress address = (InetSocketAddress) listener.getLocalSocketAddress();
            Dialogue noop = new Script("5321-4.1.1.9-NOOP-250").send("NOOP", "250").build();
            RunnerOptions quick = RunnerOptions.defaults();

            CaseResult uniform = new DialogueRunner(impatient, address, quick).run(noop);
            CaseResult rfc = new DialogueRunner(impatient, address, quick.withRfcReplyWaits()).run(noop);

            assertThat(uniform.status()).isEqualTo(Status.ERROR);
            assertThat(uniform.message()).contains("no complete reply to <connect> within 300 ms");
            assertThat(rfc.status()).as(rfc.message()).isEqualTo(Status.PASSED);
        }
    }

    private static void serveSlowly(ServerSocket listener, Duration delay) {
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                Thread.sleep(delay.toMillis());
                out.write("220 slow.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    Thread.sleep(delay.toMillis());
                    boolean quit = line.equalsIgnoreCase("QUIT");
                    out.write((quit ? "221 bye\r\n" : "250 ok\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (quit) {
                        break;
                    }
                }
            } catch (Exception e) {
                return; // the listener closed at the end of the test
            }
        }
    }

    @Test
    void caseRequiringAnUnadvertisedKeywordIsSkippedRightAfterEhlo() {
        CaseResult result = run(ServerConfig.defaults(), new Script("5321-3.3-RCPT-NEEDS-MAIL").requires("BINARYMIME")
                .send("EHLO ${helo}", "250").send("MAIL FROM:<${sender}> BODY=BINARYMIME", "250").build());
        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.message()).isEqualTo("the server does not advertise BINARYMIME in its EHLO reply");
        assertThat(result.transcript()).noneSatisfy(e -> assertThat(e.text()).startsWith("MAIL"));
        assertThat(result.transcript()).anySatisfy(e -> assertThat(e.text()).isEqualTo("QUIT\\r\\n"));
    }

    @Test
    void caseRequiringAnAdvertisedKeywordRunsAndIsJudged() {
        CaseResult result = run(new Script("5321-3.3-RCPT-NEEDS-MAIL").requires("pipelining")
                .send("EHLO x", "250").send("RCPT TO:<${recipient}>").build(), new Misbehaviour.AcceptRcptWithoutMail());
        assertThat(result.status()).isEqualTo(Status.FAILED);
    }

    @Test
    void caseWhoseEhloIsRefusedCannotConfirmItsRequirementAndIsSkipped() {
        CaseResult result = run(ServerConfig.defaults(), new Script("5321-3.3-RCPT-NEEDS-MAIL").requires("PIPELINING")
                .send("HELO x", "250").send("NOOP", "250").build());
        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.message()).contains("PIPELINING could not be confirmed");
    }

    @Test
    void rcptBeforeMailAcceptedIsFailed() {
        CaseResult result = run(new Script("5321-3.3-RCPT-NEEDS-MAIL").send("EHLO x", "250")
                .send("RCPT TO:<${recipient}>").build(), new Misbehaviour.AcceptRcptWithoutMail());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(failedRules(result)).contains("5321-3.3-RCPT-NEEDS-MAIL");
        assertThat(result.message()).startsWith("5321-3.3-RCPT-NEEDS-MAIL");
        assertThat(result.transcript()).anySatisfy(e -> assertThat(e.text()).startsWith("250 2.1.5"));
    }

    @Test
    void multilineReplyWithMixedCodesIsFailed() {
        CaseResult result = run(new Script("5321-4.1.1.1-REPLY-FORMAT").send("EHLO x", "250").build(),
                new Misbehaviour.MixedCodeMultiline());
        assertThat(failedRules(result)).contains("5321-4.2-MULTILINE-SAME-CODE");
    }

    @Test
    void quitAnsweredWith250IsFailed() {
        CaseResult result = run(new Script("5321-4.1.1.10-QUIT-221").send("EHLO x", "250").build(),
                new Misbehaviour.QuitReplies("250 2.0.0 bye"));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(failedRules(result)).containsExactly("5321-4.1.1.10-QUIT-221");
    }

    @Test
    void bareLfDotEndingDataIsFailed() {
        Dialogue smuggle = new Script("5321-4.1.1.4-NO-LF-EOD")
                .send("EHLO x", "250").send("MAIL FROM:<${sender}>", "250").send("RCPT TO:<${recipient}>", "250")
                .send("DATA", "354").raw("Subject: t\r\n\r\nline one\n.\nline two\r\n")
                .none(Duration.ofMillis(500)).raw(".\r\n").expect("250").build();
        CaseResult lenient = run(smuggle, new Misbehaviour.BareLfEndsData());
        assertThat(lenient.status()).isEqualTo(Status.FAILED);
        assertThat(lenient.message()).startsWith("5321-4.1.1.4-NO-LF-EOD");

        CaseResult strict = run(ServerConfig.defaults(), smuggle);
        assertThat(strict.status()).as(strict.findings().toString()).isEqualTo(Status.PASSED);
    }

    @Test
    void serverThatHangsUpOnAnUnknownVerbIsFailed() {
        CaseResult result = run(new Script("5321-3.8-UNKNOWN-IS-500").send("EHLO x", "250").send("XYZZY").build(),
                new Misbehaviour.CloseOn("XYZZY"));
        assertThat(failedRules(result)).containsExactly("5321-3.8-UNKNOWN-IS-500");
    }

    @Test
    void pipelinedCommandsAreEachJudged() {
        CaseResult result = run(new Script("5321-3.3-ORDER").send("EHLO x", "250")
                .raw("MAIL FROM:<${sender}>\r\nRCPT TO:<${recipient}>\r\nDATA\r\n").expect("250").expect("250")
                .expect("354").data("hi", "250").build());
        assertThat(result.status()).as(result.findings().toString()).isEqualTo(Status.PASSED);
    }

    @Test
    void dataRefusedMeansContentIsNotSent() {
        CaseResult result = run(new Script("5321-3.3-DATA-NO-RCPT").send("EHLO x", "250").send("DATA", "5xx")
                .data("would be commands", "250").build());
        assertThat(result.status()).as(result.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(result.transcript()).noneSatisfy(e -> assertThat(e.text()).contains("would be commands"));
    }

    @Test
    void commandsAreNotSentAsContentWhenDataWasAcceptedUnexpectedly() {
        CaseResult result = run(new Script("5321-3.3-DATA-NO-RCPT").send("EHLO x", "250")
                .send("DATA", "5xx").send("RCPT TO:<${recipient}>", "250").build(), new Misbehaviour.DataWithoutRecipients());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.transcript()).noneSatisfy(e -> assertThat(e.text()).startsWith("RCPT"));
        // nothing was left waiting for a reply that the misunderstanding would never bring
        assertThat(result.transcript()).noneSatisfy(e -> assertThat(e.text()).contains("no complete reply within"));
    }

    @Test
    void scriptMismatchCostsWhatTheRuleLevelSays() {
        CaseResult should = run(new Script("5321-4.1.1.8-HELP").send("EHLO x", "250").send("HELP", "211").build());
        assertThat(should.status()).isEqualTo(Status.WARNING);
    }

    @Test
    void grayZoneMismatchIsAtMostAWarningEvenInAMustCase() {
        Dialogue d = new Script("G-02").send("EHLO x", "250").send("HELO", "250").build();
        Dialogue must = new Dialogue(d.suite(), d.id(), d.title(), d.rules(), d.tags(), Optional.of("MUST"), d.requires(), d.steps(),
                d.origin());
        CaseResult result = run(ServerConfig.defaults(), must);
        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.message()).startsWith("G-02");
    }

    @Test
    void unreachableTargetIsAnError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CaseResult result = new DialogueRunner(client, new java.net.InetSocketAddress("127.0.0.1", port),
                RunnerOptions.defaults()).run(happyPath());
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.message()).contains("cannot connect");
    }

    @Test
    void theAdvertisedSizeLimitIsAVariable() {
        CaseResult result = run(ServerConfig.defaults().withMaxMessageSize(1000), new Script("1870-6.1-DECLARED-TOO-BIG")
                .send("EHLO ${helo}", "250").send("MAIL FROM:<${sender}> SIZE=${ehlo.size+1}", "552")
                .send("MAIL FROM:<${sender}> SIZE=${ehlo.size}", "250").send("RCPT TO:<${recipient}>", "250")
                .send("DATA", "354").data("Subject: x\n\n${filler:ehlo.size-100}", "250").build());
        assertThat(result.status()).as(result.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(result.transcript()).anySatisfy(e -> assertThat(e.text()).isEqualTo("MAIL FROM:<harness@client.test> SIZE=1001\\r\\n"));
    }

    @Test
    void aSizeVariableWithoutAStatedLimitSkipsTheCase() {
        CaseResult result = run(ServerConfig.defaults(), new Script("1870-6.1-DECLARED-TOO-BIG")
                .send("HELO ${helo}", "250").send("MAIL FROM:<${sender}> SIZE=${ehlo.size+1}", "552").build());
        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.message()).startsWith("no EHLO reply stated a SIZE limit");
    }

    @Test
    void aPipelinedCommandLeftUnansweredFailsKeepInputRatherThanErring() {
        CaseResult result = run(new Script("2920-3.2-KEEP-INPUT").send("EHLO ${helo}", "250")
                .raw("MAIL FROM:<${sender}>\r\nRCPT TO:<${recipient}>\r\n").expect("250").expect("250").build(),
                new Misbehaviour.DropReply("RCPT"));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(failedRules(result)).containsExactly("2920-3.2-KEEP-INPUT");
    }

    @Test
    void aReplyHeldBackAfterAPipelinedGroupFailsFlushWhenIdle() {
        List<Step> steps = List.of(new Step.Send("EHLO ${helo}", "test"),
                new Step.Expect(ReplyMatcher.of("250"), Optional.empty(), "test"),
                new Step.SendRaw("MAIL FROM:<${sender}>\r\nRCPT TO:<${recipient}>\r\n", "test"),
                new Step.Expect(ReplyMatcher.of("250"), Optional.of("2920-3.2-FLUSH-WHEN-IDLE"), "test"),
                new Step.Expect(ReplyMatcher.of("250"), Optional.of("2920-3.2-FLUSH-WHEN-IDLE"), "test"));
        CaseResult result = run(new Dialogue("s", "flush", "flush", List.of("2920-3.2-FLUSH-WHEN-IDLE"), List.of(),
                Optional.empty(), List.of("PIPELINING"), steps, "test"), new Misbehaviour.DelayReply("RCPT"));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(failedRules(result)).containsExactly("2920-3.2-FLUSH-WHEN-IDLE");
    }

    @Test
    void utf8CommandsAreSentAsUtf8AndShownEscaped() {
        CaseResult result = run(ServerConfig.defaults(), new Script("6531-3.2-UTF8-MAILBOX").requires("SMTPUTF8")
                .send("EHLO ${helo}", "250").send("MAIL FROM:<j\u00f6rg@ex\u00e4mple.test> SMTPUTF8", "250")
                .send("RCPT TO:<\u7528\u6237@test.example>", "250").build());
        assertThat(result.status()).as(result.findings().toString()).isEqualTo(Status.PASSED);
        assertThat(result.transcript()).anySatisfy(e -> assertThat(e.text())
                .isEqualTo("MAIL FROM:<j\\xc3\\xb6rg@ex\\xc3\\xa4mple.test> SMTPUTF8\\r\\n"));
        assertThat(result.transcript()).anySatisfy(e -> assertThat(e.text())
                .isEqualTo("RCPT TO:<\\xe7\\x94\\xa8\\xe6\\x88\\xb7@test.example>\\r\\n"));
    }
}
