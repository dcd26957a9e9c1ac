package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fuzz} as a user meets it: exit codes, the summary line, findings in summary.json, replay with {@code run --suite}. */
class FuzzCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void fuzzWithoutTargetFindsNothingInTheEmbeddedServer() throws Exception {
        Path reports = tmp.resolve("clean");
        assertThat(run("fuzz", "--tries", "200", "--seed", "11", "--report-dir", reports.toString()))
                .as(out + "" + err).isZero();
        assertThat(out.toString()).contains("200 tries").contains("dialogues/s").contains("0 finding(s)").contains("seed 11");
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.get("findings").size()).isZero();
        assertThat(summary.get("fuzz").get("seed").asLong()).isEqualTo(11);
        assertThat(summary.get("fuzz").get("coverage").get("GREETED").get("MAIL").asLong()).isPositive();
        assertThat(Files.readString(reports.resolve("index.html"))).contains("Commands by session state");
        assertThat(reports.resolve("findings")).doesNotExist();
    }

    @Test
    void aCrashingServerGivesExitOneAndAFindingThatRunReplays() throws Exception {
        Path reports = tmp.resolve("crash");
        ServerConfig crashing = ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.CrashAfter(List.of("MAIL", "RCPT", "NOOP")));
        JsonNode finding;
        try (ReferenceServer server = ReferenceServer.start(crashing)) {
            int code = run("fuzz", "--target", "127.0.0.1:" + server.port(), "--tries", "300", "--seed", "3",
                    "--timeout", "5s", "--verbose", "--report-dir", reports.toString());
            assertThat(code).as(out + "" + err).isEqualTo(1);
            assertThat(out.toString().lines().filter(l -> l.startsWith("FINDING ")).toList()).as("--verbose")
                    .singleElement().asString().startsWith("FINDING crash 5321-3.8-CLOSE-ONLY-IF: ");
            JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
            assertThat(summary.get("findings").size()).isEqualTo(1);
            finding = summary.get("findings").get(0);
            assertThat(finding.get("rules").get(0).asText()).isEqualTo("5321-3.8-CLOSE-ONLY-IF");
            assertThat(finding.get("message").asText()).contains("NOOP").contains("server still greets");
            assertThat(finding.get("commands").asInt()).isBetween(1, 4);
            assertThat(finding.get("seed").isIntegralNumber()).isTrue();
            assertThat(finding.get("transcript").toString()).contains("closed by the server");
            assertThat(summary.get("cases").toString()).contains("\"status\":\"failed\"");

            StringWriter replayOut = new StringWriter();
            int replay = Main.execute(new PrintWriter(replayOut, true), new PrintWriter(err, true), "run", "--target",
                    "127.0.0.1:" + server.port(), "--suite", reports.resolve(finding.get("file").asText()).toString(),
                    "--report-dir", tmp.resolve("replay").toString());
            assertThat(replay).as(replayOut + "" + err).isEqualTo(1);
            assertThat(replayOut.toString()).contains("5321-3.8-CLOSE-ONLY-IF");
        }
        assertThat(out.toString()).contains("1 finding(s)").contains("crash");
    }

    @Test
    void usageErrorsExitTwoAndAnUnreachableTargetThree() throws Exception {
        assertThat(run("fuzz", "--tries", "5", "--duration", "5s")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
        assertThat(run("fuzz", "--tries", "0", "--report-dir", tmp.toString())).isEqualTo(2);
        assertThat(run("fuzz", "--target", "127.0.0.1:25", "--domain", "example.test")).isEqualTo(2);
        assertThat(run("fuzz", "--connections", "0", "--report-dir", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--connections must be between 1 and 64, not 0");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(run("fuzz", "--target", "127.0.0.1:" + port, "--tries", "5", "--report-dir", tmp.toString()))
                .isEqualTo(3);
        assertThat(err.toString()).contains("cannot connect to 127.0.0.1:" + port);
    }
}
