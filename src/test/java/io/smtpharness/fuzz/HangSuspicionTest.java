package io.smtpharness.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The full --timeout confirms a hang once; its repeats and shrinking wait a multiple of the slowest reply seen. */
class HangSuspicionTest {

    private static FuzzRun run(SmtpClient client) {
        return new FuzzRun(FuzzOptions.of(1, 10, Path.of("findings")), client,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), Long.MAX_VALUE, Optional.empty());
    }

    private static List<TranscriptEvent> replyAfter(long ms) {
        return List.of(new TranscriptEvent(0, Direction.S, "220 hi\\r\\n"), new TranscriptEvent(10, Direction.C, "NOOP\\r\\n"),
                new TranscriptEvent(10 + ms, Direction.S, "250 ok\\r\\n"));
    }

    @Test
    void untilAHangIsConfirmedEveryReplyGetsTheFullTimeout() {
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(30)))) {
            FuzzRun run = run(client);
            run.observe(replyAfter(5));

            assertThat(run.replyWait()).isEmpty();
        }
    }

    @Test
    void afterAConfirmedHangAReplyIsAwaitedTwentyTimesTheSlowestSeenWithinBounds() {
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(30)))) {
            FuzzRun run = run(client);
            run.hangConfirmed();
            assertThat(run.replyWait()).contains(Duration.ofMillis(250)); // nothing seen yet: the floor

            run.observe(replyAfter(40));
            run.observe(replyAfter(5));
            assertThat(run.replyWait()).contains(Duration.ofMillis(800));

            run.observe(replyAfter(5_000));
            assertThat(run.replyWait()).contains(Duration.ofSeconds(30)); // never beyond --timeout
        }
    }

    /**
     * The wait that would confirm a hang ends with --duration (or after the suspicion wait, if that
     * is longer), so a run ends about when its budget says.
     */
    @Test
    void beforeAConfirmedHangNoWaitOutlastsTheDuration() {
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofMinutes(30)))) {
            FuzzOptions budget = FuzzOptions.of(1, 10, Path.of("findings")).withDuration(Duration.ofMinutes(60));
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);
            FuzzRun early = new FuzzRun(budget, client, target, System.nanoTime() + Duration.ofMinutes(40).toNanos(),
                    Optional.empty());
            FuzzRun late = new FuzzRun(budget, client, target, System.nanoTime() + Duration.ofMinutes(5).toNanos(),
                    Optional.empty());
            FuzzRun over = new FuzzRun(budget, client, target, System.nanoTime() - 1, Optional.empty());

            assertThat(early.replyWait()).isEmpty();
            assertThat(late.replyWait()).hasValueSatisfying(wait -> assertThat(wait)
                    .isLessThanOrEqualTo(Duration.ofMinutes(5)).isGreaterThan(Duration.ofMinutes(1)));
            assertThat(over.replyWait()).contains(Duration.ofMillis(250));
        }
    }
}
