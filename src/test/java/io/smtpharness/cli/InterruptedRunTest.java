package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped by SIGTERM (as Ctrl-C or a CI timeout would) still leaves a valid, partial report. */
class InterruptedRunTest {

    @TempDir
    Path tmp;

    @Test
    void sigtermMidRunWritesAPartialReportMarkedIncomplete() throws Exception {
        Path suite = Files.writeString(tmp.resolve("two.yaml"), String.join("\n",
                "suite: two",
                "cases:",
                "  - id: quick",
                "    title: answered at once",
                "    rules: [5321-4.1.1.9-NOOP-250]",
                "    steps:",
                "      - send: NOOP",
                "        expect: 250",
                "  - id: stuck",
                "    title: never answered",
                "    rules: [5321-4.1.1.8-HELP]",
                "    steps:",
                "      - send: HELP",
                ""));
        Path reports = tmp.resolve("reports");
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serveUntilClosed(server));
            serving.setDaemon(true);
            serving.start();
            Process run = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    "io.smtpharness.cli.Main", "run", "--target", "127.0.0.1:" + server.getLocalPort(),
                    "--suite", suite.toString(), "--report-dir", reports.toString(), "--timeout", "2m")
                    .redirectErrorStream(true).start();
            waitFor(() -> helpSeen, 60);
            run.destroy(); // SIGTERM
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exit after SIGTERM (a bound that only catches a hang)").isTrue();
            assertThat(run.exitValue()).as("the JVM's exit code for SIGTERM, 128 + 15").isEqualTo(143);
        }
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.get("complete").asBoolean()).isFalse();
        assertThat(summary.get("cases")).hasSize(1);
        assertThat(summary.get("cases").get(0).get("id").asText()).isEqualTo("quick");
        assertThat(summary.get("counts").get("passed").asInt()).isEqualTo(1);
        assertThat(summary.get("stop").get("kind").asText()).isEqualTo("interrupted");
        assertThat(summary.get("stop").get("notRun")).hasSize(1);
        assertThat(summary.get("stop").get("notRun").get(0).get("id").asText()).isEqualTo("stuck");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
        assertThat(Files.readString(reports.resolve("index.html"))).contains("Incomplete");
    }

    /** A fuzz run stopped by SIGTERM writes the report of what it did so far, marked interrupted. */
    @Test
    void sigtermMidFuzzWritesAPartialReport() throws Exception {
        Path reports = tmp.resolve("fuzz-reports");
        Process fuzz = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                "io.smtpharness.cli.Main", "fuzz", "--duration", "10m", "--seed", "7",
                "--report-dir", reports.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(fuzz.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null && !line.startsWith("fuzz: seed"); ) {
            seen.append(line).append('\n');
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> seen.append(l).append('\n')));
        drain.setDaemon(true);
        drain.start();
        Thread.sleep(3_000); // some tries
        fuzz.toHandle().destroy(); // SIGTERM; Process.destroy would also close our end of its output
        assertThat(fuzz.waitFor(60, TimeUnit.SECONDS)).as("exit after SIGTERM (a bound that only catches a hang)").isTrue();
        drain.join(5_000);
        assertThat(fuzz.exitValue()).isEqualTo(143);
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.get("stop").get("kind").asText()).as(seen.toString()).isEqualTo("interrupted");
        assertThat(summary.get("fuzz").get("tries").asLong()).isPositive();
        assertThat(summary.get("fuzz").get("stopped").asText()).startsWith("interrupted");
        assertThat(seen.toString()).as("output").contains("partial fuzz report");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
    }

    /** Set once the stuck case has sent HELP and the quick one had time to finish. */
    private volatile boolean helpSeen;

    /** Greets, answers 250 to everything but HELP, which it never answers. */
    private void serveUntilClosed(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> converse(s));
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
            OutputStream out = s.getOutputStream();
            out.write("220 slow.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("HELP")) {
                    Thread.sleep(500); // let the quick case finish and be recorded
                    helpSeen = true;
                    continue;
                }
                String reply = line.startsWith("QUIT") ? "221 bye\r\n" : "250 ok\r\n";
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                if (line.startsWith("QUIT")) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the harness hung up
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
