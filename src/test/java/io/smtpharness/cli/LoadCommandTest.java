package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code load} as a user meets it: the summary lines, summary.json's load section, and the safety guard. */
class LoadCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void loadAgainstTheEmbeddedServerPrintsRateAndStagesAndWritesThem() throws Exception {
        Path reports = tmp.resolve("load");

        assertThat(run("load", "--sessions", "100", "--concurrency", "4", "--warm-up-limit", "0s", "--report-dir",
                reports.toString()))
                .as(out + "" + err).isZero();

        assertThat(out.toString()).contains("load: 100 sessions, 4 at once, after a warm-up of at least 10 sessions")
                .contains("warm-up: 10 sessions in")
                .containsPattern("load: 100 sessions in [0-9.]+ s: [0-9.]+ sessions/s; 100 passed")
                .containsPattern("end-of-data +100 ");
        JsonNode load = new ObjectMapper().readTree(reports.resolve("summary.json").toFile()).get("load");
        assertThat(load.get("sessions").asInt()).isEqualTo(100);
        assertThat(load.get("warmUp").get("sessions").asInt()).isEqualTo(10);
        assertThat(load.get("sessionsByStatus").get("passed").asInt()).isEqualTo(100);
        assertThat(load.get("stages").get("RCPT").get("count").asLong()).isEqualTo(100);
        assertThat(load.get("stages").get("EHLO").has("p99Ms")).isTrue();
        assertThat(Files.readString(reports.resolve("index.html"))).contains("<h2>Load</h2>");
    }

    @Test
    void withARateSessionsStartOnTheClockAndLateStartsAreCounted() throws Exception {
        Path reports = tmp.resolve("open");

        assertThat(run("load", "--sessions", "50", "--concurrency", "4", "--rate", "200", "--warm-up-limit", "1s", "--report-dir",
                reports.toString())).as(out + "" + err).isZero();

        assertThat(out.toString()).contains("4 at once, 200 started per second").containsPattern("50 passed; \\d+ started late");
        JsonNode load = new ObjectMapper().readTree(reports.resolve("summary.json").toFile()).get("load");
        assertThat(load.get("ratePerSecond").asInt()).isEqualTo(200);
        assertThat(load.get("lateStarts").asInt()).isBetween(0, 50);
    }

    @Test
    void aTargetOffLoopbackNeedsAllowDeliveryAndAnExplicitRate() {
        Path reports = tmp.resolve("guard");

        assertThat(run("load", "--target", "192.0.2.1:25", "--allow-delivery", "--report-dir", reports.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("not on loopback").contains("--allow-delivery").contains("--rate");
        assertThat(reports).doesNotExist();
    }
}
