package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Variables;
import io.smtpharness.fuzz.FuzzOptions;
import io.smtpharness.fuzz.Fuzzer;
import io.smtpharness.result.FuzzFinding;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.testing.RealServer;
import io.smtpharness.testing.RealServer.Kind;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fuzzer against every real server the tests start (issue 29): a fixed seed and number of tries,
 * so each run sends the same dialogues, and every finding must be one examined against the RFC and
 * pinned as a {@code fuzz KIND RULE} line, with its reason, in the server's file under
 * {@code real-server-verdicts/} ({@link PinnedVerdicts}). A harness change that makes the fuzzer
 * flag what a server may do, or a server that changes, shows up here with the findings' transcripts.
 *
 * <p>The tries are sized to about half a minute per server here: servers that tarpit (Postfix delays
 * every reply line after ten errors; Sendmail sleeps longer on each repeated HELO/EHLO) get fewer.
 */
class RealServerFuzzTest {

    private static final long SEED = 1;
    /** Whole-reply deadline: above every tarpit delay seen (Postfix: 1 s a line). */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path reports;

    /**
     * Generated dialogues per server: 20-30 s each on a 2-core machine, so the eight add about four
     * minutes to CI (the tarpits make Postfix, Sendmail and GreenMail slow: one try takes seconds).
     */
    private static int tries(Kind kind) {
        return switch (kind) {
            case POSTFIX -> 20;
            case SENDMAIL -> 10;
            case OPENSMTPD -> 5000;
            case EXIM -> 1200;
            case AIOSMTPD_TLS -> 1500;
            case GREENMAIL -> 25;
            case SMTP_SERVER, SMTP_SERVER_TLS -> 250;
        };
    }

    /** Sendmail refuses a sender whose domain does not resolve, the default one included: give it one it takes. */
    private static RunnerOptions runnerOptions(Kind kind) {
        return kind == Kind.SENDMAIL ? RunnerOptions.defaults().withVariables(
                Variables.of("client.test", "harness@test.example", "postmaster@test.example")) : RunnerOptions.defaults();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void everyFindingIsAnExaminedDeviation(Kind kind) throws Exception {
        RealServer server = RealServer.sharedOrSkip(kind);
        FuzzOptions options = FuzzOptions.of(SEED, tries(kind), reports.resolve("findings"))
                .withRunnerOptions(runnerOptions(kind));
        FuzzReport report;
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(REPLY_TIMEOUT))) {
            report = new Fuzzer(client, new InetSocketAddress(server.host(), server.port()), options)
                    .run();
        }
        Set<String> found = report.findings().stream().map(RealServerFuzzTest::pin)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> pinned = PinnedVerdicts.load(kind).map(PinnedVerdicts::fuzz).orElse(new TreeSet<>());
        System.err.println("[RealServerFuzzTest] " + server.version() + ": " + report.tries() + " tries, "
                + report.dialogues() + " dialogues in " + report.durationMs() + " ms; found " + found
                + "; pinned but not found this time: " + difference(pinned, found));

        assertThat(report.tries()).as("tries run (fewer: the fuzzer stopped early)").isEqualTo(tries(kind));
        assertThat(found).as(() -> server.version() + ": findings not examined yet. Their lines, to examine"
                + " against the RFC and paste with a reason into " + PinnedVerdicts.SOURCE_DIR
                + PinnedVerdicts.fileName(kind) + ":\n" + PinnedVerdicts.fuzzLines(difference(found, pinned))
                + "\nFindings:\n" + describe(report.findings()) + "\n").isSubsetOf(pinned);
    }

    /** A finding as its pin: {@code "KIND RULE"}. */
    private static String pin(FuzzFinding finding) {
        return finding.kind() + " " + finding.rules().get(0);
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static String describe(List<FuzzFinding> findings) {
        return findings.stream().map(f -> "  " + pin(f) + ": " + f.message() + " (" + f.commands() + " commands)\n"
                        + f.transcript().stream().map(t -> "      " + t).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
    }
}
