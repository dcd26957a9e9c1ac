package io.smtpharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunWideFinding;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.result.RunSummary;
import io.smtpharness.server.AuthAccount;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.server.TlsIdentity;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The integration's mapping from verdicts to JUnit outcomes, checked by running the executables directly. */
class SmtpConformanceTestsTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** Runs each test's executable; the thrown exception, or null when it returned. */
    private static Throwable outcome(Executable executable) {
        try {
            executable.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void aFailedCaseBecomesAFailedDynamicTestWithRuleMessageAndTranscript() {
        List<DynamicTest> tests;
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults()
                .withMisbehaviours(new Misbehaviour.AcceptRcptWithoutMail()))) {
            tests = SmtpConformanceTests.target(server.address())
                    .withSuites(Path.of("test-suites/rfc5321-core.yaml"))
                    .withReportDir(tmp.resolve("reports"))
                    .withOutput(out)
                    .dynamicTests().toList();
        }
        Map<String, Throwable> outcomes = tests.stream().collect(Collectors.toMap(
                DynamicTest::getDisplayName, t -> {
                    Throwable thrown = outcome(t.getExecutable());
                    return thrown == null ? new Throwable("passed") : thrown;
                }));
        String rcpt = outcomes.keySet().stream().filter(n -> n.startsWith("rfc5321-core/rcpt-before-mail: "))
                .findFirst().orElseThrow();
        assertThat(outcomes.get(rcpt)).isInstanceOf(AssertionFailedError.class);
        assertThat(outcomes.get(rcpt).getMessage())
                .startsWith("5321-3.3-RCPT-NEEDS-MAIL: ")
                .contains("transcript:")
                .contains("RCPT TO:")
                .contains("250 2.1.5");
        assertThat(outcomes.get("rfc5321-core/greeting: The server greets with 220 and answers NOOP"))
                .hasMessage("passed");
        assertThat(tmp.resolve("reports/summary.json")).exists();
        assertThat(tmp.resolve("reports/junit.xml")).exists();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("rcpt-before-mail");
    }

    /** As with {@code run --auth-user}: an account makes the AUTH cases run instead of ending skipped. */
    @Test
    void withAuthTheAuthCasesRun() {
        ServerConfig secure = ServerConfig.defaults().withAuth(AuthAccount.TEST)
                .withTls(TlsIdentity.selfSigned(ServerConfig.defaults().hostname()));
        RunSummary without;
        RunSummary with;
        try (ReferenceServer server = ReferenceServer.start(secure)) {
            SmtpConformanceTests auth = SmtpConformanceTests.target(server.address())
                    .withSuites(Path.of("test-suites/rfc4954-auth.yaml")).withOutput(out);
            without = auth.run();
            with = auth.withAuth(AuthAccount.TEST.user(), AuthAccount.TEST.password()).run();
        }
        assertThat(with.counts().get(Status.SKIPPED)).isLessThan(without.counts().get(Status.SKIPPED));
        assertThat(with.counts().get(Status.PASSED)).isGreaterThan(without.counts().get(Status.PASSED));
        assertThat(printed.toString(StandardCharsets.UTF_8)).as("loopback: no warning").doesNotContain("not on loopback");
    }

    @Test
    void verdictsMapToJunitOutcomes() {
        List<TranscriptEvent> transcript = List.of(new TranscriptEvent(0, Direction.C, "NOOP\\r\\n"),
                new TranscriptEvent(1, Direction.S, "500 no\\r\\n"));
        assertThat(outcome(CaseTests.of(result(Status.PASSED, "ok", List.of()), out).getExecutable())).isNull();

        Finding should = new Finding("5321-2.4-8BITMIME-OFFERED", Severity.WARNING, "8BITMIME not offered");
        assertThat(outcome(CaseTests.of(result(Status.WARNING, should.toString(), List.of(should)), out)
                .getExecutable())).isNull();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("WARNING s/c: 5321-2.4-8BITMIME-OFFERED: 8BITMIME not offered");

        assertThat(outcome(CaseTests.of(result(Status.SKIPPED, "needs --allow-delivery", List.of()), out)
                .getExecutable())).isInstanceOf(TestAbortedException.class).hasMessageContaining("needs --allow-delivery");

        Finding must = new Finding("5321-4.1.1.9-NOOP-250", Severity.FAILED, "NOOP got 500, expected 250");
        CaseResult failed = new CaseResult("s", "c", "title", List.of(), List.of(), Status.FAILED, must.toString(),
                List.of(must), 3, transcript);
        assertThat(outcome(CaseTests.of(failed, out).getExecutable())).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("5321-4.1.1.9-NOOP-250: NOOP got 500, expected 250\n")
                .hasMessageContaining("S    500 no\\r\\n");

        assertThat(outcome(CaseTests.of(result(Status.ERROR, "no reply within 30s", List.of()), out).getExecutable()))
                .isInstanceOf(AssertionFailedError.class).hasMessageStartingWith("error (the harness could not judge): no reply");
    }

    @Test
    void anRunWideFindingIsATestOfItsOwn() {
        RunWideFinding must = new RunWideFinding("6531-3.1-NEEDS-8BITMIME", Severity.FAILED,
                "EHLO got ...: a server offering SMTPUTF8 must also offer 8BITMIME", List.of("a/b", "c/d"));
        DynamicTest test = CaseTests.of(must, out);
        assertThat(test.getDisplayName()).isEqualTo("incidental 6531-3.1-NEEDS-8BITMIME");
        assertThat(outcome(test.getExecutable())).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("must also offer 8BITMIME").hasMessageContaining("2 case(s): a/b, c/d");
        RunWideFinding should = new RunWideFinding("5321-2.2.2-NO-UNREGISTERED-KW", Severity.WARNING,
                "keyword PIPECONNECT", List.of("a/b"));
        assertThat(outcome(CaseTests.of(should, out).getExecutable())).isNull();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("WARNING incidental 5321-2.2.2-NO-UNREGISTERED-KW");
    }

    private static CaseResult result(Status status, String message, List<Finding> findings) {
        return new CaseResult("s", "c", "title", List.of(), List.of(), status, message, findings, 1, List.of());
    }

    @SmtpConformance(target = "${smtpharness.test.target}", suites = "test-suites/rfc5321-core.yaml", tags = "core",
            helo = "junit.test")
    static class Annotated {
    }

    @Test
    void theAnnotationConfiguresTheRunAndReadsSystemProperties() {
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults())) {
            System.setProperty("smtpharness.test.target", "127.0.0.1:" + server.port());
            List<DynamicContainer> suites;
            try {
                suites = SmtpConformanceTests.from(Annotated.class).withOutput(out).dynamicContainers().toList();
            } finally {
                System.clearProperty("smtpharness.test.target");
            }
            assertThat(suites).hasSize(1);
            assertThat(suites.get(0).getDisplayName()).isEqualTo("rfc5321-core");
            List<DynamicTest> tests = suites.get(0).getChildren().map(DynamicTest.class::cast).toList();
            assertThat(tests).isNotEmpty();
            assertThat(tests).allSatisfy(t -> assertThat(outcome(t.getExecutable())).as(t.getDisplayName()).isNull());
        }
        assertThatThrownBy(() -> SmtpConformanceTests.from(Annotated.class))
                .hasMessageContaining("smtpharness.test.target");
        assertThatThrownBy(() -> SmtpConformanceTests.from(String.class)).hasMessageContaining("@SmtpConformance");
    }

    @Test
    void anUnreachableTargetFailsTheFactoryOnce() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> SmtpConformanceTests.target("127.0.0.1:" + port)
                .withSuites(Path.of("test-suites/rfc5321-core.yaml")).dynamicTests())
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("127.0.0.1:" + port);
        assertThatThrownBy(() -> SmtpConformanceTests.target("host:notaport")).hasMessageContaining("HOST:PORT");
    }

    @Test
    void propertyPlaceholdersTakeTheDefaultAfterTheFirstColon() {
        assertThat(SmtpConformanceTests.resolve("${smtpharness.test.unset:127.0.0.1:2525}")).isEqualTo("127.0.0.1:2525");
        assertThat(SmtpConformanceTests.resolve("plain")).isEqualTo("plain");
        System.setProperty("smtpharness.test.set", "[::1]:25");
        try {
            assertThat(SmtpConformanceTests.resolve("${smtpharness.test.set:x}")).isEqualTo("[::1]:25");
            assertThat(SmtpConformanceTests.target(SmtpConformanceTests.resolve("${smtpharness.test.set}")).targetLabel())
                    .isEqualTo("[::1]:25");
        } finally {
            System.clearProperty("smtpharness.test.set");
        }
    }
}
