package io.smtpharness.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How long a window is listened for, given the replies seen: times are passed in, no clock runs. */
class ReplyPaceTest {

    private static final Duration WRITTEN = Duration.ofSeconds(3);
    private static final long HALF_LIFE = ReplyPace.HALF_LIFE.toNanos();
    private static final long MILLI = 1_000_000L;

    private static ReplyPace answered(int replies, long delayNanos, long atNanos) {
        ReplyPace pace = new ReplyPace();
        for (int i = 0; i < replies; i++) {
            pace.record(delayNanos, atNanos);
        }
        return pace;
    }

    @Test
    void noWindowIsCutBeforeTheServerHasAnsweredEnoughCommands() {
        ReplyPace pace = answered(ReplyPace.MIN_REPLIES - 1, MILLI, 0);

        assertThat(pace.cut(WRITTEN, 0)).isEmpty();
        pace.record(MILLI, 0);
        assertThat(pace.cut(WRITTEN, 0)).isPresent();
    }

    @Test
    void aPromptServersWindowIsCutToTheFloorAndTheNoteSaysWhy() {
        ReplyPace.Cut cut = answered(ReplyPace.MIN_REPLIES, MILLI, 0).cut(WRITTEN, 0).orElseThrow();

        assertThat(cut.window()).isEqualTo(ReplyPace.FLOOR);
        assertThat(cut.note()).contains("listening 250 ms, not the suite's 3000 ms", "took 1 ms at most",
                "--full-windows");
    }

    @Test
    void aWindowLastsFiveTimesTheSlowestReplyAndNeverLongerThanWritten() {
        ReplyPace pace = answered(ReplyPace.MIN_REPLIES, MILLI, 0);
        pace.record(100 * MILLI, 0);

        assertThat(pace.cut(WRITTEN, 0).map(ReplyPace.Cut::window)).contains(Duration.ofMillis(500));
        pace.record(700 * MILLI, 0);
        assertThat(pace.cut(WRITTEN, 0)).as("5 x 700 ms is more than the suite's 3 s").isEmpty();
    }

    @Test
    void aSlowReplyIsForgottenByHalvesAsTimeGoesBy() {
        ReplyPace pace = answered(ReplyPace.MIN_REPLIES, MILLI, 0);
        pace.record(800 * MILLI, 0);

        assertThat(pace.cut(WRITTEN, 0)).as("4 s: no cut").isEmpty();
        assertThat(window(pace, HALF_LIFE)).contains(Duration.ofSeconds(2)); // 400 ms x 5
        assertThat(window(pace, 3 * HALF_LIFE)).contains(Duration.ofMillis(500)); // 100 ms x 5
        pace.record(MILLI, 3 * HALF_LIFE); // a prompt reply does not erase the slow one's remaining weight
        assertThat(window(pace, 3 * HALF_LIFE)).contains(Duration.ofMillis(500));
    }

    private static Optional<Duration> window(ReplyPace pace, long nowNanos) {
        return pace.cut(WRITTEN, nowNanos).map(ReplyPace.Cut::window);
    }
}
