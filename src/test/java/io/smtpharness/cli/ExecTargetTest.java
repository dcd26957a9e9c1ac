package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.testing.PlantedServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --exec}: the server under test as a child process. A planted server that dies is found by
 * {@code fuzz}, restarted after each crash, and the finding carries its exit status and stderr; the
 * finding's replay with {@code run --exec} fails against the faulty server and passes against a
 * fixed one.
 */
class ExecTargetTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aServerProcessThatDiesIsFoundWithItsEvidenceRestartedAndReplayed() throws Exception {
        int port = freePort();
        String target = "127.0.0.1:" + port;
        Path reports = tmp.resolve("fuzz");
        String faulty = PlantedServer.command(port, PlantedServer.DIES_AFTER_REFUSED_RCPT_RSET_DATA);

        int code = run("fuzz", "--target", target, "--exec", faulty, "--tries", "60", "--seed", "7",
                "--timeout", "5s", "--report-dir", reports.toString());

        assertThat(code).as(out + "" + err).isEqualTo(1);
        assertThat(out.toString()).containsPattern("the target was restarted \\d+ time");
        JsonNode findings = new ObjectMapper().readTree(reports.resolve("summary.json").toFile()).get("findings");
        assertThat(findings.size()).as(findings.toString()).isEqualTo(1);
        JsonNode finding = findings.get(0);
        assertThat(finding.get("kind").asText()).isEqualTo("crash");
        assertThat(finding.get("message").asText()).as(out.toString()).contains("the server process exited with status "
                + PlantedServer.DIED).contains("panic: fault " + PlantedServer.DIES_AFTER_REFUSED_RCPT_RSET_DATA);
        assertThat(finding.get("commands").asInt()).as(finding.toString()).isBetween(3, 6);
        String replay = reports.resolve(finding.get("file").asText()).toString();

        assertThat(run("run", "--target", target, "--exec", faulty, "--suite", replay, "--timeout", "5s",
                "--report-dir", tmp.resolve("replay-faulty").toString())).as(out + "" + err).isEqualTo(1);
        assertThat(err.toString()).contains("note: during the run, the server process exited with status "
                + PlantedServer.DIED);
        assertThat(run("run", "--target", target, "--exec", PlantedServer.command(port, PlantedServer.CONFORMANT),
                "--suite", replay, "--timeout", "5s", "--report-dir", tmp.resolve("replay-fixed").toString()))
                .as(out + "" + err).isZero();
    }

    /**
     * The other planted faults of issue 29: a hang on NUL (the process lives on; only its session
     * hangs) and a death on a long RCPT line. Each is found within its tries, shrunk to at most
     * {@code maxCommands} commands, and its replay fails on the finding's rule with the faulty server
     * and passes with the fixed one.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({PlantedServer.HANGS_ON_NUL + ", hang, 1", PlantedServer.DIES_ON_LONG_RCPT + ", crash, 3"})
    void aPlantedFaultIsFoundShrunkAndReplayedTheSameWay(String fault, String kind, int maxCommands) throws Exception {
        int port = freePort();
        String target = "127.0.0.1:" + port;
        Path reports = tmp.resolve("fuzz");
        String faulty = PlantedServer.command(port, fault);

        assertThat(run("fuzz", "--target", target, "--exec", faulty, "--tries", "100", "--seed", "5",
                "--timeout", "2s", "--report-dir", reports.toString())).as(out + "" + err).isEqualTo(1);
        JsonNode findings = new ObjectMapper().readTree(reports.resolve("summary.json").toFile()).get("findings");
        assertThat(findings.size()).as(findings.toString()).isEqualTo(1);
        JsonNode finding = findings.get(0);
        assertThat(finding.get("kind").asText()).isEqualTo(kind);
        assertThat(finding.get("commands").asInt()).as(finding.toString()).isBetween(1, maxCommands);
        String rule = finding.get("rules").get(0).asText();
        String replay = reports.resolve(finding.get("file").asText()).toString();

        Path faultyReplay = tmp.resolve("replay-faulty");
        assertThat(run("run", "--target", target, "--exec", faulty, "--suite", replay, "--timeout", "2s",
                "--report-dir", faultyReplay.toString())).as(out + "" + err + java.nio.file.Files.readString(Path.of(replay)))
                .isEqualTo(1);
        JsonNode replayed = new ObjectMapper().readTree(faultyReplay.resolve("summary.json").toFile()).get("cases").get(0);
        assertThat(replayed.get("status").asText()).isEqualTo("failed");
        assertThat(replayed.get("findings").findValuesAsText("rule")).as(replayed.toString()).contains(rule);
        assertThat(run("run", "--target", target, "--exec", PlantedServer.command(port, PlantedServer.CONFORMANT),
                "--suite", replay, "--timeout", "2s", "--report-dir", tmp.resolve("replay-fixed").toString()))
                .as(out + "" + err).isZero();
    }

    @Test
    void anExecCommandThatExitsBeforeGreetingIsExitThreeNamingIt() throws Exception {
        int port = freePort();
        int code = run("run", "--target", "127.0.0.1:" + port, "--exec", "echo 'no config file' >&2; exit 4",
                "--report-dir", tmp.resolve("dead").toString());

        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).contains("--exec").contains("exited with status 4").contains("no config file");
    }

    @Test
    void execNeedsATarget() {
        assertThat(run("fuzz", "--exec", "true")).isEqualTo(2);
        assertThat(err.toString()).contains("--exec needs --target HOST:PORT");
    }
}
