package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.AuthCredentials;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.RunExecutor;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Variables;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import io.smtpharness.server.AuthAccount;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.server.TlsIdentity;
import io.smtpharness.suite.SuiteLoader;
import io.smtpharness.transcript.TranscriptEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behaviour the RFCs allow must not be judged a deviation, and a deviation must be judged once, on
 * what the case tests (issue 13): each test runs the real suites against the reference server
 * doing one thing a real server was seen doing.
 */
class TrustedVerdictsTest {

    private static final TlsIdentity TLS = TlsIdentity.selfSigned("reference.test");
    private static SmtpClient client;
    private static List<Dialogue> suites;

    @BeforeAll
    static void loadSuites() {
        client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(3)));
        suites = SuiteLoader.select(new SuiteLoader().loadAll(List.of(Path.of("test-suites"))), Set.of());
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    /**
     * aiosmtpd with STARTTLS (Python's asyncio ssl transport) answers QUIT with 221, sends TLS
     * close_notify and holds TCP until ours comes. RFC 8446 §6.1: close_notify "notifies the
     * recipient that the sender will not send any more messages on this connection"; that is the
     * server closing, and RFC 5321 §4.1.1.10 asks no more ("The receiver MUST send a 221 OK reply,
     * and then close the transmission channel").
     */
    @Test
    void aTlsCloseNotifyAfter221IsTheServerClosing() {
        RunSummary summary = run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.CloseNotifyThenWait()),
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
        RunSummary summary = run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.StartTlsWithArgument()),
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
        RunSummary fixed = run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.RefuseBareLf()), false,
                "smtp-smuggling", "rfc5321-line-endings", "rfc5321-core");
        assertThat(fixed.cases()).allSatisfy(c -> assertThat(c.status()).as(describe(c)).isNotEqualTo(Status.FAILED));
        assertThat(fixed.cases()).filteredOn(c -> c.id().equals("smuggle-after-lf-dot-lf")).singleElement()
                .satisfies(c -> assertThat(c.findings()).as(describe(c)).anySatisfy(f -> {
                    assertThat(f.ruleId()).isEqualTo("G-01b");
                    assertThat(f.message()).contains("421 4.5.0 Bare linefeed").contains("defence");
                }));
        RunSummary vulnerable = run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.BareLfEndsData()), false,
                "smtp-smuggling");
        assertThat(vulnerable.cases()).filteredOn(c -> c.id().equals("smuggle-after-lf-dot-lf")).singleElement()
                .satisfies(c -> assertThat(c.status()).as(describe(c)).isEqualTo(Status.FAILED));
    }

    /**
     * A server offering STARTTLS and AUTH inside TLS, committing {@code misbehaviours}; only suites
     * whose names start with one of {@code prefixes} run. Replies get 3 s, the close after 221 2 s.
     */
    static RunSummary run(ServerConfig config, boolean secure, String... prefixes) {
        List<Dialogue> selected = suites.stream()
                .filter(d -> List.of(prefixes).stream().anyMatch(p -> d.suite().startsWith(p))).toList();
        ServerConfig effective = secure ? config.withTls(TLS).withAuth(AuthAccount.TEST) : config;
        try (ReferenceServer server = ReferenceServer.start(effective)) {
            RunnerOptions options = new RunnerOptions(Variables.defaults(), false, Duration.ofSeconds(60),
                    Duration.ofSeconds(2), false).withCredentials(new AuthCredentials(AuthAccount.TEST.user(),
                    AuthAccount.TEST.password()));
            return new RunExecutor(client, options, 8, List.of()).run(selected, server.address(), "reference", "test");
        }
    }

    static String describe(CaseResult c) {
        return c.qualifiedId() + " " + c.status().label() + ": " + c.message() + "\n  findings: "
                + c.findings().stream().map(Finding::toString).collect(Collectors.joining("\n  "))
                + "\n  transcript:\n  " + c.transcript().stream().map(TranscriptEvent::toString)
                .collect(Collectors.joining("\n  "));
    }
}
