package io.smtpharness.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.transcript.Transcript;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The connection rate limit spaces new connections; it is what keeps a run from flooding a target. */
class ConnectionRateTest {

    @Test
    void connectionsAreSpacedByTheRateLimit() throws Exception {
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults());
             SmtpClient client = new SmtpClient(ClientOptions.defaults().withConnectionsPerSecond(10))) {
            long start = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                client.connect(server.address(), new Transcript()).close();
            }
            // six connections at 10 per second need at least five gaps of 100 ms
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }
}
