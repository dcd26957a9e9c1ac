package io.smtpharness.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smtpharness.dialogue.AuthCredentials;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.suite.SuiteLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The one way traffic reaches a target: options derived once, the policy before the first connection. */
class RunServiceTest {

    private static final InetSocketAddress OFF_LOOPBACK = new InetSocketAddress(addressOf("192.0.2.1"), 25);

    @Test
    void theEmbeddedServerRunsTheCasesAndStopsWithTheService() throws Exception {
        List<Dialogue> core = new SuiteLoader().load(Path.of("test-suites/rfc5321-core.yaml"));
        List<String> notices = new ArrayList<>();
        InetSocketAddress address;
        RunSummary summary;
        try (RunService service = new RunService(RunSettings.defaults().withMaxConnections(8), notices::add)) {
            RunService.Destination embedded = service.embedded(ServerConfig.defaults());
            address = embedded.address();
            assertThat(embedded.label()).startsWith("embedded reference server 127.0.0.1:");
            summary = service.runCases(core, embedded, List.of(), "test");
        }
        assertThat(summary.cases()).hasSize(core.size());
        assertThat(summary.cases()).allSatisfy(c -> assertThat(c.status()).isIn(Status.PASSED, Status.SKIPPED));
        assertThat(notices).isEmpty();
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                .isInstanceOf(IOException.class);
    }

    @Test
    void loadOffLoopbackIsRefusedBeforeAnyConnectionUnlessAskedForTwice() {
        List<String> notices = new ArrayList<>();
        try (RunService service = new RunService(RunSettings.defaults(), notices::add)) {
            assertThatThrownBy(() -> service.guarded(OFF_LOOPBACK, "mx.example:25", TargetPolicy.Traffic.LOAD))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mx.example:25 is not on loopback");
        }
        assertThat(notices).isEmpty();
        RunSettings twice = RunSettings.defaults().withAllowDelivery(true).withRate(OptionalInt.of(3));
        try (RunService service = new RunService(twice, notices::add)) {
            service.guarded(OFF_LOOPBACK, "mx.example:25", TargetPolicy.Traffic.LOAD);
        }
        assertThat(notices).singleElement().asString().contains("load goes there", "3 new per second",
                "messages may be delivered");
    }

    @Test
    void aTargetOffLoopbackIsPacedAndWarnedAboutAsOnTheCommandLine() {
        List<String> notices = new ArrayList<>();
        try (RunService service = new RunService(RunSettings.defaults().withMaxConnections(4), notices::add)) {
            service.guarded(OFF_LOOPBACK, "mx.example:25", TargetPolicy.Traffic.SCRIPTED);
            service.guarded(new InetSocketAddress(addressOf("127.0.0.1"), 25), "local", TargetPolicy.Traffic.SCRIPTED);
        }
        assertThat(notices).containsExactly("warning: mx.example:25 is not on loopback: test traffic goes there"
                + " (4 connections at most, 5 new per second, no message is completed)");
    }

    @Test
    void theClientAndRunnerOptionsComeFromTheSettings() {
        RunSettings rfc = RunSettings.defaults().withRfcReplyWaits(Duration.ofMinutes(5)).withRate(OptionalInt.of(7))
                .withCredentials(Optional.of(new AuthCredentials("u", "p")));
        assertThat(rfc.runnerOptions().rfcReplyWaits()).isTrue();
        assertThat(rfc.runnerOptions().credentials()).isPresent();
        assertThat(rfc.clientOptions().replyTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rfc.clientOptions().connectionsPerSecond()).isEqualTo(7);

        RunSettings quick = rfc.withReplyTimeout(Duration.ofSeconds(3)).withAllowDelivery(true);
        assertThat(quick.runnerOptions().rfcReplyWaits()).isFalse();
        assertThat(quick.runnerOptions().allowDelivery()).isTrue();
        assertThat(quick.clientOptions().replyTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    private static InetAddress addressOf(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
