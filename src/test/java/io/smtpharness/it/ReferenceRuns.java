package io.smtpharness.it;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.AuthCredentials;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.RunExecutor;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Variables;
import io.smtpharness.result.RunSummary;
import io.smtpharness.server.AuthAccount;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.server.TlsIdentity;
import io.smtpharness.suite.SuiteLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The suites of {@code test-suites/} run against a reference server started for the run, for the
 * verdict tests: replies get 3 s, the close after 221 2 s, 8 cases at a time, with the reference
 * server's test account as AUTH credentials. One client for the JVM (Netty threads are daemons).
 */
final class ReferenceRuns {

    private static final TlsIdentity TLS = TlsIdentity.selfSigned("reference.test");
    private static final SmtpClient CLIENT =
            new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(3)));
    private static List<Dialogue> suites;

    private ReferenceRuns() {
    }

    private static synchronized List<Dialogue> suites() {
        if (suites == null) {
            suites = SuiteLoader.select(new SuiteLoader().loadAll(List.of(Path.of("test-suites"))), Set.of());
        }
        return suites;
    }

    /**
     * Runs the suites whose names start with one of {@code prefixes} ({@code ""}: all) against a
     * server committing {@code config}'s misbehaviours; it offers STARTTLS and, inside TLS, AUTH
     * when {@code secure}, so the RFC 3207 / 4954 suites run (else they end skipped at once).
     */
    static RunSummary run(ServerConfig config, boolean secure, String... prefixes) {
        List<Dialogue> selected = select(prefixes);
        ServerConfig effective = secure ? config.withTls(TLS).withAuth(AuthAccount.TEST) : config;
        try (ReferenceServer server = ReferenceServer.start(effective)) {
            RunnerOptions options = new RunnerOptions(Variables.defaults(), false, Duration.ofSeconds(60),
                    Duration.ofSeconds(2), false).withCredentials(new AuthCredentials(AuthAccount.TEST.user(),
                    AuthAccount.TEST.password()));
            return new RunExecutor(CLIENT, options, 8, List.of()).run(selected, server.address(), "reference", "test");
        }
    }

    /** The cases {@code suite/id} run one at a time against a fixture of the test's own at {@code target}. */
    static RunSummary runCases(java.net.InetSocketAddress target, String... qualifiedIds) {
        List<Dialogue> selected = suites().stream()
                .filter(d -> List.of(qualifiedIds).contains(d.suite() + "/" + d.id())).toList();
        RunnerOptions options = new RunnerOptions(Variables.defaults(), false, Duration.ofSeconds(60), Duration.ofSeconds(2),
                false);
        return new RunExecutor(CLIENT, options, 1, List.of()).run(selected, target, "fixture", "test");
    }

    private static List<Dialogue> select(String... prefixes) {
        return suites().stream().filter(d -> List.of(prefixes).stream().anyMatch(p -> d.suite().startsWith(p))).toList();
    }
}
