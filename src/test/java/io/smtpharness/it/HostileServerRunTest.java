package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.cli.Main;
import io.smtpharness.testing.HostileServer;
import io.smtpharness.testing.HostileServer.Behaviour;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole {@code run}, as a user starts it, against servers that misbehave at the byte level: it ends
 * in bounded time and memory, every case ends in {@code error} or {@code failed} with a message naming
 * what happened, and the report is written.
 */
class HostileServerRunTest {

    /**
     * Only catches a hang: a run here needs a few seconds of 2 s deadlines, but the binary flood's
     * run needs about 20 s on an idle 2-core machine (writing 7 MiB of escaped garbage into the
     * reports; issue 25 caps it) and over 30 s on a busy one, so the bound is far above that. That
     * every wait was bounded shows in what the harness recorded: each silent case notes the 2 s
     * deadline it waited, never a longer one.
     */
    private static final Duration HANG = Duration.ofMinutes(5);

    @TempDir
    Path tmp;

    /**
     * A target that does not greet as an SMTP server does (silence, a close, a reset, garbage, an
     * endless or oversized greeting, one dripped slower than the deadline) ends the pre-flight: exit 3
     * within the 2 s deadline plus a little, one message saying what it did, no stack trace, and a
     * report whose summary.json has the contract's fields and lists every default case as not run.
     */
    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"NEVER_GREETS", "DRIPS", "CLOSES_AT_ONCE", "RESETS_MID_REPLY",
        "ENDLESS_LINE", "HUGE_LINE", "ENDLESS_CONTINUATION", "BINARY_FLOOD"})
    void aTargetThatDoesNotGreetEndsThePreflightWithExitThree(Behaviour behaviour) throws Exception {
        Path reports = tmp.resolve("reports");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        int accepted;
        try (HostileServer server = HostileServer.start(behaviour)) {
            exit = assertTimeoutPreemptively(HANG, () -> Main.execute(new PrintWriter(out, true),
                    new PrintWriter(err, true), "run", "--target", "127.0.0.1:" + server.port(), "--timeout", "2s",
                    "--report-dir", reports.toString()));
            accepted = server.accepted();
        }
        System.out.println(behaviour + ": exit " + exit + "\n" + err);
        assertThat(exit).as("exit code; stderr:\n" + err).isEqualTo(3);
        assertThat(accepted).as("connections: the pre-flight only").isEqualTo(1);
        assertThat(err.toString()).contains("127.0.0.1:").contains(" does not speak SMTP: ")
                .contains(preflightMessage(behaviour))
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("\u0000");
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        for (String field : List.of("tool", "version", "target", "startedAt", "durationMs", "counts", "cases")) {
            assertThat(summary.has(field)).as("summary.json field " + field).isTrue();
        }
        assertThat(summary.get("cases")).isEmpty();
        assertThat(summary.get("complete").asBoolean()).isFalse();
        assertThat(summary.get("stop").get("kind").asText()).isEqualTo("preflight");
        assertThat(summary.get("stop").get("reason").asText()).contains(preflightMessage(behaviour));
        assertThat(summary.get("stop").get("notRun").size()).as("the default cases, all listed as not run")
                .isGreaterThan(200);
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
        assertThat(Files.readString(reports.resolve("index.html"))).contains("does not speak SMTP");
    }

    /**
     * A server that answers 221 to QUIT and keeps the connection open: the default suites with
     * {@code --timeout 10s}. The close is waited for in full only by the first cases at once (4) and by
     * the cases whose steps test the close; everywhere else QUIT-221 is one incidental finding listing
     * its cases, which does not fail them.
     */
    @Test
    void aServerThatKeepsTheConnectionOpenAfter221CostsTheCloseWaitOnce() throws Exception {
        DefaultRun run = runDefaultSuites(HostileServer.start(Behaviour.QUIT_KEEPS_OPEN));
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).doesNotContain("Exception");
        long closingWaits = notes(run.summary.get("cases"), "had not closed the connection within 10000 ms (after 221");
        assertThat(closingWaits).as("full waits for the close after the harness's own QUIT").isBetween(1L, 4L);
        long explicitFullWaits = notes(run.summary.get("cases"), "had not closed the connection within 10000 ms (test-suites/");
        assertThat(explicitFullWaits + closingWaits).as("full close waits of any kind: the first cases at once").isLessThanOrEqualTo(8);
        assertThat(notes(run.summary.get("cases"), "waiting 1000 ms here")).as("close steps given 1 s").isPositive();
        JsonNode incidental = run.summary.get("incidental");
        List<JsonNode> quit = new ArrayList<>();
        incidental.forEach(f -> {
            if (f.get("rule").asText().equals("5321-4.1.1.10-QUIT-221")) {
                quit.add(f);
            }
        });
        assertThat(quit).as("QUIT-221 reported once").hasSize(1);
        assertThat(quit.get(0).get("cases").size()).as("the cases it was seen in").isGreaterThan(100);
        for (JsonNode c : run.summary.get("cases")) {
            boolean testsTheClose = StreamSupport.stream(c.get("rules").spliterator(), false)
                    .anyMatch(r -> r.asText().equals("5321-4.1.1.10-QUIT-221"));
            if (testsTheClose) {
                assertThat(c.get("status").asText()).as(c.get("id").asText()).isEqualTo("failed");
            }
            for (JsonNode f : c.get("findings")) {
                // about the harness's own closing QUIT, not a step of the case
                boolean closingQuit = f.get("message").asText().contains("after 221 to QUIT");
                if (f.get("rule").asText().equals("5321-4.1.1.10-QUIT-221") && closingQuit && !testsTheClose) {
                    assertThat(f.path("incidental").asBoolean()).as(c.get("id") + " " + f).isTrue();
                }
            }
        }
    }

    /**
     * A server that answers DATA with 250 and then reads a message anyway: each case ends at that reply
     * (a broken premise), so no case waits for replies to content the server took for a message.
     */
    @Test
    void dataAnsweredWith250EndsTheCaseInsteadOfWaiting() throws Exception {
        DefaultRun run = runDefaultSuites(HostileServer.start(Behaviour.DATA_250));
        assertThat(run.exit).isEqualTo(1);
        assertThat(notes(run.summary.get("cases"), "instead of 354; the rest of the case")).isGreaterThan(20);
        assertThat(notes(run.summary.get("cases"), "no complete reply to")).as("cases that waited a deadline out")
                .isZero();
        assertThat(notes(run.summary.get("cases"), "within 10000 ms")).isZero();
    }

    /**
     * A server that crashes in the middle of a run (every connection reset, new ones refused): the case
     * whose command crashed it says so, the report names it as the case the target stopped answering
     * during, the cases after it end {@code error} without trying, and the run exits 3. With one
     * connection at a time exactly one case was running; with four the crashing one is among those named.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1", "4"})
    void aServerThatCrashesMidRunIsNamedWithTheCaseThatWasRunning(String connections) throws Exception {
        DefaultRun run = runDefaultSuites(HostileServer.crashingAt(40), "--max-connections", connections);
        assertThat(run.exit).isEqualTo(3);
        StringBuilder crashed = new StringBuilder();
        for (JsonNode c : run.summary.get("cases")) {
            if (StreamSupport.stream(c.get("transcript").spliterator(), false)
                    .anyMatch(e -> e.get("text").asText().startsWith("220 crashing.test"))) {
                crashed.append(c.get("id").asText()).append(' ').append(c.get("status").asText()).append(": ")
                        .append(c.get("message").asText()).append('\n').append(c.get("transcript").toString(), 0,
                                Math.min(3000, c.get("transcript").toString().length())).append('\n');
            }
        }
        assertThat(run.err).as(crashed.toString()).contains("error: the target stopped answering during case ")
                .doesNotContain("Exception");
        JsonNode stop = run.summary.get("stop");
        assertThat(stop.get("kind").asText()).isEqualTo("target_lost");
        String crashing = null;
        int notTried = 0;
        for (JsonNode c : run.summary.get("cases")) {
            String id = c.get("suite").asText() + "/" + c.get("id").asText();
            if (StreamSupport.stream(c.get("transcript").spliterator(), false)
                    .anyMatch(e -> e.get("text").asText().startsWith("220 crashing.test"))) {
                crashing = id;
                assertThat(c.get("message").asText()).as(id).startsWith("the server dropped this connection and then"
                        + " stopped answering new ones");
            }
            if (c.get("message").asText().startsWith("the target stopped answering")) {
                assertThat(c.get("status").asText()).isEqualTo("error");
                notTried++;
            }
        }
        assertThat(crashing).as("the case that got the crashing connection").isNotNull();
        if (connections.equals("1")) {
            assertThat(stop.get("reason").asText()).startsWith("the target stopped answering during case " + crashing
                    + ": the server dropped its connection, then 3 connections in a row got no greeting");
        } else {
            assertThat(stop.get("reason").asText()).contains(crashing);
        }
        assertThat(notTried).as("cases ended without trying").isGreaterThan(100);
        assertThat(notes(run.summary.get("cases"), "no complete reply to <connect>")).as("greetings waited for").isZero();
    }

    /**
     * A server that stops greeting after 40 connections (it hangs): after three cases in a row without a
     * greeting the rest end {@code error} at once, so only the cases already running waited their deadline.
     */
    @Test
    void aServerThatStopsAnsweringMidRunEndsTheRestWithoutWaiting() throws Exception {
        DefaultRun run = runDefaultSuites(HostileServer.silentAfter(40), "--timeout", "3s");
        assertThat(run.exit).isEqualTo(3);
        assertThat(run.err).contains("error: the target stopped answering after case ").doesNotContain("Exception");
        assertThat(run.summary.get("stop").get("reason").asText())
                .contains("3 connections in a row got no greeting (the last: no complete reply to <connect> within 3000 ms");
        assertThat(notes(run.summary.get("cases"), "no complete reply within 3000 ms"))
                .as("greetings waited for: the breaker's three, and the cases running beside them").isBetween(3L, 6L);
    }

    /**
     * A server that greets and then half-closes, or resets at the first command: every case ends at once
     * on the close (it greeted, so the breaker stays shut), and no wait runs out.
     */
    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"HALF_CLOSES", "RESETS_AFTER_GREETING"})
    void aServerThatDropsEveryConnectionAfterItsGreetingFailsEachCaseAtOnce(Behaviour behaviour) throws Exception {
        DefaultRun run = runDefaultSuites(HostileServer.start(behaviour));
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).doesNotContain("Exception");
        assertThat(run.summary.has("stop")).isFalse();
        assertThat(run.summary.get("counts").get("failed").asInt()).isGreaterThan(150);
        assertThat(notes(run.summary.get("cases"), "no complete reply")).as("waits that ran out").isZero();
    }

    /**
     * Servers that flood after their greeting (an endless EHLO reply of short lines or of 1 MB lines,
     * an EHLO reply of one 64 MiB line, lines of NULs): the default suites in this 256 MiB JVM end
     * with a verdict for every case and a complete report; each case says where it cut (line cap,
     * reply cap, the transcript's left-out middle), no case waited out a deadline, and the run lists
     * the deviation once, server-wide, naming its cases.
     */
    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"ENDLESS_EHLO", "EHLO_MEGABYTE_LINES", "EHLO_HUGE_LINE",
        "NUL_CRLF_FLOOD"})
    void aServerThatFloodsAfterItsGreetingGetsAVerdictInBoundedMemory(Behaviour behaviour) throws Exception {
        DefaultRun run = runDefaultSuites(HostileServer.start(behaviour), "--timeout", "5s");
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out + run.err).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
        assertThat(run.summary.get("complete").asBoolean()).isTrue();
        assertThat(run.summary.get("cases").size()).isGreaterThan(200);
        long cut = 0;
        for (JsonNode c : run.summary.get("cases")) {
            String transcript = c.get("transcript").toString();
            if (transcript.contains("closed by the harness: a reply of more than")
                    || transcript.contains("the line above was cut at") || transcript.contains("left out here")
                    || transcript.contains("replies that no command asked for: a flood; the harness hangs up")) {
                cut++;
            }
        }
        assertThat(cut).as("cases whose transcript says where the flood was cut").isGreaterThan(100);
        assertThat(notes(run.summary.get("cases"), "no complete reply to")).as("waits that ran out").isLessThan(5);
        JsonNode serverWide = run.summary.get("serverWide");
        assertThat(serverWide).as("deviations listed once for the run").isNotEmpty();
        String rule = behaviour == Behaviour.NUL_CRLF_FLOOD ? "5321-4.2-REPLY-SYNTAX" : "5321-4.2-ONE-REPLY";
        JsonNode entry = null;
        for (JsonNode e : serverWide) {
            if (e.get("rule").asText().equals(rule) && e.get("severity").asText().equals("failed")) {
                entry = e;
            }
        }
        assertThat(entry).as(rule + " among " + serverWide).isNotNull();
        assertThat(entry.get("cases").size()).as("cases it names").isGreaterThan(100);
        assertThat(run.out).containsOnlyOnce("how the server writes replies");
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.out.println(behaviour + ": heap in use after the run " + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024)
                + " MiB of " + rt.maxMemory() / (1024 * 1024) + " MiB");
    }

    /** A run of the default suites, as a user starts it. */
    private record DefaultRun(int exit, String out, String err, JsonNode summary) {
    }

    private DefaultRun runDefaultSuites(HostileServer server, String... more) throws Exception {
        Path reports = tmp.resolve("reports");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("run", "--target", "127.0.0.1:" + server.port(),
                "--report-dir", reports.toString()));
        args.addAll(List.of(more));
        if (!args.contains("--timeout")) {
            args.addAll(List.of("--timeout", "10s"));
        }
        int exit;
        try (server) {
            exit = assertTimeoutPreemptively(HANG, () -> Main.execute(new PrintWriter(out, true),
                    new PrintWriter(err, true), args.toArray(String[]::new)));
        }
        System.out.println("exit " + exit + "\n" + out + err);
        return new DefaultRun(exit, out.toString(), err.toString(),
                new ObjectMapper().readTree(reports.resolve("summary.json").toFile()));
    }

    /** How many transcript notes of all cases contain {@code text}. */
    private static long notes(JsonNode cases, String text) {
        long n = 0;
        for (JsonNode c : cases) {
            for (JsonNode e : c.get("transcript")) {
                if (e.get("dir").asText().equals("note") && e.get("text").asText().contains(text)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** What the pre-flight says each greeting-phase behaviour did. */
    private static String preflightMessage(Behaviour behaviour) {
        return switch (behaviour) {
            case NEVER_GREETS -> "it sent no complete greeting within 2000 ms (nothing at all)";
            case DRIPS -> "octets without a line end)";
            case CLOSES_AT_ONCE -> "it closed the connection without a greeting";
            case RESETS_MID_REPLY -> "in the middle of its greeting, after \"220-part\"";
            case ENDLESS_LINE, HUGE_LINE -> "its greeting line is longer than 16384 octets";
            case ENDLESS_CONTINUATION -> "its greeting never ended: cut off after";
            case BINARY_FLOOD -> "where an SMTP greeting belongs (no reply code)";
            default -> throw new IllegalArgumentException(behaviour.name());
        };
    }

    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"ENDLESS_EHLO"})
    void aRunAgainstAHostileServerEndsBoundedWithEveryCaseNamingWhatHappened(Behaviour behaviour) throws Exception {
        Path suite = writeSuite();
        Path reports = tmp.resolve("reports");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        long wallMs;
        HostileServer fixture;
        try (HostileServer server = HostileServer.start(behaviour)) {
            long start = System.nanoTime();
            exit = assertTimeoutPreemptively(HANG, () -> Main.execute(new PrintWriter(out, true),
                    new PrintWriter(err, true), "run", "--target", "127.0.0.1:" + server.port(),
                    "--suite", suite.toString(), "--timeout", "2s", "--connect-timeout", "2s",
                    "--report-dir", reports.toString()));
            wallMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(server.accepted()).as("the probe and one connection per case").isGreaterThanOrEqualTo(4);
            fixture = server;
        }
        long serverThreadsLeft = fixture.liveThreads();

        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        JsonNode cases = summary.get("cases");
        List<String> seen = new ArrayList<>();
        for (JsonNode c : cases) {
            String message = c.get("message").asText();
            seen.add(c.get("id").asText() + " " + c.get("status").asText() + " (" + c.get("durationMs").asLong()
                    + " ms, message " + message.length() + " chars): " + printable(message));
            c.get("findings").forEach(f -> seen.add("    finding " + f.get("severity").asText() + " "
                    + f.get("rule").asText() + ": " + printable(f.get("message").asText())));
        }
        System.out.println(behaviour + ": exit " + exit + ", " + wallMs + " ms, summary.json "
                + Files.size(reports.resolve("summary.json")) / 1024 + " KiB\n  " + String.join("\n  ",
                seen.stream().map(line -> line.length() > 300 ? line.substring(0, 300) + "..." : line).toList()));

        // 3 cases, 4 at once, each bounded by the 2 s reply deadline, whatever the server does
        assertThat(waitsNoted(cases)).as("reply deadlines the cases waited out").allMatch(ms -> ms == 2_000);
        assertThat(summary.get("complete").asBoolean()).isTrue();
        assertThat(cases).hasSize(3);
        assertThat(err.toString()).as("stderr").doesNotContain("Exception").doesNotContain("OutOfMemory");
        Expected expected = Expected.of(behaviour);
        for (JsonNode c : cases) {
            String id = c.get("id").asText();
            if (expected.passing.contains(id)) {
                assertThat(c.get("status").asText()).as(behaviour + " " + id).isEqualTo("passed");
                continue;
            }
            assertThat(c.get("status").asText()).as(behaviour + " " + id).isEqualTo(expected.status);
            assertThat(c.get("message").asText()).as(behaviour + " " + id).containsIgnoringCase(expected.message);
            StringBuilder transcript = new StringBuilder();
            c.get("transcript").forEach(e -> transcript.append(shortDir(e.get("dir").asText())).append(": ")
                    .append(e.get("text").asText()).append('\n'));
            assertThat(transcript.toString()).as(behaviour + " " + id + " transcript").contains(expected.transcript);
        }
        // the contract: exit 1 is "at least one failed verdict"; a run whose cases all end in error exits 0
        assertThat(exit).as("exit code; stdout:\n" + out).isEqualTo(expected.status.equals("failed") ? 1 : 0);
        // whatever the server sent, the terminal gets no control characters and junit.xml stays XML
        assertThat(out.toString()).as("stdout").doesNotContain("\u0000").doesNotContain("\u001b");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
        assertThat(Files.readString(reports.resolve("index.html"))).doesNotContain("\u0000");

        // bounded memory: the test JVM runs with -Xmx256m (pom.xml), so a 64 MiB line or an endless
        // flood that the client buffered instead of capping would end this test in OutOfMemoryError
        // and nothing the fixture started outlives it
        assertThat(serverThreadsLeft).as("fixture threads alive after close()").isZero();
    }

    /**
     * A server that answers STARTTLS with 220 and then sends garbage, or nothing, instead of the TLS
     * handshake (RFC 3207 §4): the STARTTLS case ends {@code failed} on 3207-4-HANDSHAKE-AFTER-220 with
     * a message naming the handshake failure, within the reply timeout plus a small margin, and the
     * garbage is not buffered (the test JVM has 256 MiB).
     */
    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"STARTTLS_GARBAGE", "STARTTLS_SILENT"})
    void aStartTlsThatNeverHandshakesEndsBoundedNamingTheHandshake(Behaviour behaviour) throws Exception {
        Path suite = Files.writeString(tmp.resolve("starttls.yaml"), String.join("\n",
                "suite: hostile-tls",
                "title: STARTTLS against a hostile server",
                "cases:",
                "  - id: starttls",
                "    title: STARTTLS then EHLO inside TLS",
                "    rules: [3207-4-HANDSHAKE-AFTER-220]",
                "    requires: [STARTTLS]",
                "    steps:",
                "      - send: EHLO ${helo}",
                "        expect: 250",
                "      - starttls",
                "      - send: EHLO ${helo}",
                "        expect: 250",
                ""));
        Path reports = tmp.resolve("reports");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long wallMs;
        int exit;
        long serverThreadsLeft;
        try (HostileServer server = HostileServer.start(behaviour)) {
            long start = System.nanoTime();
            exit = assertTimeoutPreemptively(HANG, () -> Main.execute(new PrintWriter(out, true),
                    new PrintWriter(err, true), "run", "--target", "127.0.0.1:" + server.port(),
                    "--suite", suite.toString(), "--timeout", "2s", "--connect-timeout", "2s",
                    "--report-dir", reports.toString()));
            wallMs = (System.nanoTime() - start) / 1_000_000;
            server.close();
            serverThreadsLeft = server.liveThreads();
        }
        JsonNode c = new ObjectMapper().readTree(reports.resolve("summary.json").toFile()).get("cases").get(0);
        StringBuilder transcript = new StringBuilder();
        c.get("transcript").forEach(e -> transcript.append(shortDir(e.get("dir").asText())).append(": ")
                .append(e.get("text").asText()).append('\n'));
        System.out.println(behaviour + ": exit " + exit + ", " + wallMs + " ms, " + c.get("status").asText() + ": "
                + c.get("message").asText() + "\n" + transcript);

        // the probe connection, then the case: greeting, EHLO, 220, then at most the 2 s handshake deadline
        assertThat(waitsNoted(new ObjectMapper().readTree(reports.resolve("summary.json").toFile()).get("cases")))
                .as("reply deadlines the case waited out").allMatch(ms -> ms == 2_000);
        assertThat(c.get("status").asText()).isEqualTo("failed");
        assertThat(c.get("message").asText()).contains("TLS handshake").contains("3207-4-HANDSHAKE-AFTER-220");
        assertThat(c.get("findings").get(0).get("rule").asText()).isEqualTo("3207-4-HANDSHAKE-AFTER-220");
        // the garbage shows either as lines read before TLS took over, or as the record TLS refused
        assertThat(transcript.toString()).contains("S: 220 go ahead").contains(behaviour == Behaviour.STARTTLS_SILENT
                ? "TLS handshake failed: SslHandshakeTimeoutException" : "garbage, not a TLS record");
        if (behaviour == Behaviour.STARTTLS_GARBAGE) {
            assertThat(c.get("message").asText()).containsAnyOf("NotSslRecordException", "plaintext after the 220");
        }
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).doesNotContain("Exception");
        assertThat(serverThreadsLeft).as("fixture threads alive after close()").isZero();
    }

    /** What the cases of the run end in against a behaviour: status, message and transcript excerpts. */
    private record Expected(String status, String message, List<String> transcript, Set<String> passing) {
        Expected(String status, String message, String... transcript) {
            this(status, message, List.of(transcript), Set.of());
        }

        static Expected of(Behaviour behaviour) {
            return switch (behaviour) {
                // the case that sends no EHLO meets a server that answers NOOP correctly
                // after the harness hangs up on the endless reply, nothing more is taken for a reply
                case ENDLESS_EHLO -> new Expected("failed", "EHLO client.test got \"250-X ... (1000 lines)\"",
                        List.of("S: 250-X", "closed by the harness: a reply of more than 1000 lines",
                                "not sent: the connection is closed"), Set.of("noop"));
                default -> throw new IllegalArgumentException(behaviour.name());
            };
        }
    }

    /** The deadlines (ms) that the transcripts say a wait ran out at. */
    private static List<Long> waitsNoted(JsonNode cases) {
        java.util.regex.Pattern waited = java.util.regex.Pattern.compile("within (\\d+) ms");
        List<Long> out = new ArrayList<>();
        for (JsonNode c : cases) {
            for (JsonNode e : c.get("transcript")) {
                java.util.regex.Matcher m = waited.matcher(e.get("text").asText());
                while (m.find()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return out;
    }

    private static String printable(String text) {
        return text.codePoints().limit(200).mapToObj(cp -> cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : "?")
                .collect(java.util.stream.Collectors.joining());
    }

    /** The transcript's direction as {@code index.html} shows it: C, S, or -- for the harness's notes. */
    private static String shortDir(String dir) {
        return dir.equals("note") ? "--" : dir;
    }

    /** Three cases of the core kind: EHLO+NOOP, NOOP alone, and a whole mail transaction. */
    private Path writeSuite() throws Exception {
        return Files.writeString(tmp.resolve("hostile.yaml"), String.join("\n",
                "suite: hostile",
                "title: core cases against a hostile server",
                "tags: [core]",
                "cases:",
                "  - id: ehlo-noop",
                "    title: EHLO then NOOP",
                "    rules: [5321-2.2.1-EHLO-AND-HELO, 5321-4.1.1.9-NOOP-250]",
                "    steps:",
                "      - send: EHLO ${helo}",
                "        expect: 250",
                "      - send: NOOP",
                "        expect: 250",
                "  - id: noop",
                "    title: NOOP after the greeting",
                "    rules: [5321-3.1-GREETING, 5321-4.1.1.9-NOOP-250]",
                "    steps:",
                "      - send: NOOP",
                "        expect: 250",
                "  - id: mail-transaction",
                "    title: MAIL, RCPT and DATA",
                "    rules: [5321-3.3-DATA-354-250]",
                "    steps:",
                "      - send: EHLO ${helo}",
                "        expect: 250",
                "      - send: MAIL FROM:<${sender}>",
                "        expect: 250",
                "      - send: RCPT TO:<${recipient}>",
                "        expect: [250, 251]",
                "      - send: DATA",
                "        expect: 354",
                "      - data: |",
                "          Subject: hostile",
                "",
                "          body",
                "        expect: 250",
                ""));
    }
}
