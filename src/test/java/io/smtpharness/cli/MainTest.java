package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.testing.LineServer;
import java.util.List;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, messages and report files. */
class MainTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void runWithoutTargetPassesAgainstTheEmbeddedServerAndWritesTheReports() throws Exception {
        Path reports = tmp.resolve("reports");
        assertThat(run("run", "--report-dir", reports.toString())).as(out + "" + err).isZero();
        assertThat(reports.resolve("summary.json")).exists();
        assertThat(reports.resolve("junit.xml")).exists();
        assertThat(reports.resolve("index.html")).exists();
        assertThat(reports.resolve("allure-results")).isDirectoryContaining("glob:**-result.json");
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.get("counts").get("failed").asInt()).isZero();
        // all passed, but for extension cases whose keyword the reference server does not offer (BINARYMIME)
        // and cases for servers without one it offers (a non-ASCII VRFY without SMTPUTF8)
        assertThat(summary.get("counts").get("passed").asInt() + summary.get("counts").get("skipped").asInt())
                .isEqualTo(summary.get("cases").size());
        for (JsonNode c : summary.get("cases")) {
            if (c.get("status").asText().equals("skipped")) {
                assertThat(c.get("message").asText()).as(c.get("id").asText()).containsAnyOf("does not advertise",
                        "advertises SMTPUTF8");
            }
        }
        String html = Files.readString(reports.resolve("index.html"));
        for (JsonNode c : summary.get("cases")) {
            assertThat(html).contains(c.get("suite").asText() + "/" + c.get("id").asText());
        }
        assertThat(out.toString()).contains("0 failed").contains(reports.toString());
    }

    @Test
    void misbehavingServerGivesExitOneWithTheRuleAndTheOffendingReply() throws Exception {
        Path reports = tmp.resolve("bad");
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults()
                .withMisbehaviours(new Misbehaviour.AcceptRcptWithoutMail()))) {
            int code = run("run", "--target", "127.0.0.1:" + server.port(), "--report-dir", reports.toString());
            assertThat(code).isEqualTo(1);
        }
        assertThat(out.toString()).contains("rcpt-before-mail").contains("5321-3.3-RCPT-NEEDS-MAIL");
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        JsonNode rcptCase = null;
        for (JsonNode c : summary.get("cases")) {
            if (c.get("id").asText().equals("rcpt-before-mail")) {
                rcptCase = c;
            }
        }
        assertThat(rcptCase).isNotNull();
        assertThat(rcptCase.get("status").asText()).isEqualTo("failed");
        assertThat(rcptCase.get("message").asText()).startsWith("5321-3.3-RCPT-NEEDS-MAIL");
        assertThat(rcptCase.get("transcript").toString()).contains("250 2.1.5");
    }

    @Test
    void unreachableTargetExitsThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(run("run", "--target", "127.0.0.1:" + port, "--report-dir", tmp.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void malformedTargetExitsTwo() {
        assertThat(run("run", "--target", "host:notaport", "--report-dir", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--target");
    }

    @Test
    void dnsOptionsWithoutDomainAreRefusedNotIgnored() {
        assertThat(run("run", "--target", "127.0.0.1:2525", "--port", "2600", "--report-dir", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--port applies only with --domain");
    }

    @Test
    void aServerThatNeverAnswersFailsTheBuildOnlyWithFailOnError() throws Exception {
        Path suite = Files.writeString(tmp.resolve("one.yaml"), "suite: one\ncases:\n  - id: noop\n    title: t\n"
                + "    rules: [5321-4.1.1.9-NOOP-250]\n    steps:\n      - send: NOOP\n");
        // greets (so the pre-flight passes) and answers QUIT, but never NOOP
        try (LineServer mute = LineServer.start("220 mute.test ESMTP", line -> line.startsWith("QUIT")
                ? List.of(new LineServer.Say("221 bye"), new LineServer.HangUp()) : List.of())) {
            String target = "127.0.0.1:" + mute.address().getPort();
            assertThat(run("run", "--target", target, "--suite", suite.toString(), "--timeout", "500ms",
                    "--report-dir", tmp.resolve("a").toString())).isZero();
            assertThat(run("run", "--target", target, "--suite", suite.toString(), "--timeout", "500ms",
                    "--fail-on", "error", "--report-dir", tmp.resolve("b").toString())).isEqualTo(1);
        }
    }

    @Test
    void missingSuiteFileExitsTwoNamingIt() {
        assertThat(run("run", "--suite", tmp.resolve("nowhere.yaml").toString(), "--report-dir", tmp.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("nowhere.yaml");
    }

    @Test
    void aUsageErrorLeavesNoReportDirectoryBehind() {
        Path reports = tmp.resolve("never-made");
        assertThat(run("run", "--rate", "5000", "--report-dir", reports.toString())).isEqualTo(2);
        assertThat(run("run", "--tls", "--report-dir", reports.toString())).isEqualTo(2);
        assertThat(run("run", "--target", "host:notaport", "--report-dir", reports.toString())).isEqualTo(2);
        assertThat(run("run", "--suite", tmp.resolve("nowhere.yaml").toString(), "--report-dir", reports.toString()))
                .isEqualTo(2);
        assertThat(run("fuzz", "--target", "host:notaport", "--report-dir", reports.toString())).isEqualTo(2);
        assertThat(reports).doesNotExist();
    }

    @Test
    void unknownOptionExitsTwo() {
        assertThat(run("run", "--no-such-option")).isEqualTo(2);
    }

    @Test
    void malformedSuiteExitsTwoNamingFileAndLine() throws Exception {
        Path suite = tmp.resolve("bad.yaml");
        Files.writeString(suite, "suite: bad\ncases:\n  - id: x\n    title: t\n    rules: [5321-3.3-ORDER]\n"
                + "    steps:\n      - sned: NOOP\n");
        assertThat(run("run", "--suite", suite.toString(), "--report-dir", tmp.resolve("r").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.yaml:7").contains("sned");
    }

    @Test
    void unwritableReportDirectoryExitsTwoBeforeTheRun() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThat(run("run", "--report-dir", file.resolve("sub").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("a-file");
    }

    @Test
    void rulesListsEachRuleWithItsCasesAndOraclesOrWhyItIsNotCovered() {
        assertThat(run("rules")).isZero();
        assertThat(out.toString())
                .containsPattern("5321-3\\.3-RCPT-NEEDS-MAIL +MUST +§3\\.3 +cases: .*rfc5321-core/rcpt-before-mail.*; "
                        + "oracles: StateTable\\R")
                .containsPattern("5321-4\\.4-FROM-CLAUSE +MUST +§4\\.4 +not observable: needs the delivered message \\(sink\\)")
                .containsPattern("3030-2-AFTER-LAST-503 +MUST +§2 +cases: rfc3030-chunking/bdat-after-last-refused\\R")
                .containsPattern("7505-4\\.1-NO-DELIVERY +MUST +§4\\.1 +UNCOVERED\\R")
                .containsPattern("RFC 5321 +\\d+ covered / \\d+ not observable / 0 uncovered / 170 total");
        assertThat(run("rules", "--check")).isZero();
    }

    @Test
    void rulesCheckExitsOneNamingEachUncoveredMustRule() throws Exception {
        Path suite = tmp.resolve("one.yaml");
        Files.writeString(suite, "suite: one\ncases:\n  - id: order\n    title: t\n    rules: [5321-3.3-ORDER]\n"
                + "    steps:\n      - send: NOOP\n");
        assertThat(run("rules", "--check", "--suite", suite.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("UNCOVERED MUST 5321-4.5.3.1-RCPT-100 (§4.5.3.1)")
                .doesNotContain("5321-3.3-ORDER")
                .doesNotContain("5321-4.4-FROM-CLAUSE")
                .contains("check failed: ");
    }

    @Test
    void helpWorksForEveryCommand() {
        for (String command : new String[] {"run", "serve", "rules"}) {
            assertThat(run(command, "--help")).isZero();
        }
        assertThat(out.toString()).contains("--target").contains("--port");
    }

    /** A suite whose only case warns on the reference server: a SHOULD rule cited by an expect the server does not meet. */
    private Path warningSuite() throws Exception {
        Path suite = tmp.resolve("warns.yaml");
        Files.writeString(suite, "suite: warns\ncases:\n  - id: noop-should\n    title: t\n"
                + "    rules: [5321-2.4-8BITMIME-OFFERED]\n    steps:\n      - send: NOOP\n        expect: 500\n"
                + "        rule: 5321-2.4-8BITMIME-OFFERED\n");
        return suite;
    }

    @Test
    void aWarningExitsZeroByDefaultAndOneWithFailOnWarning() throws Exception {
        Path suite = warningSuite();
        assertThat(run("run", "--suite", suite.toString(), "--report-dir", tmp.resolve("a").toString()))
                .as(out + "" + err).isZero();
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("a/summary.json").toFile());
        assertThat(summary.get("counts").get("warning").asInt()).isEqualTo(1);
        assertThat(summary.get("cases").size()).isEqualTo(1);
        assertThat(run("run", "--suite", suite.toString(), "--report-dir", tmp.resolve("b").toString(),
                "--fail-on", "failed")).isZero();
        assertThat(run("run", "--suite", suite.toString(), "--report-dir", tmp.resolve("c").toString(),
                "--fail-on", "warning")).as(out + "" + err).isEqualTo(1);
    }

    @Test
    void failOnRejectsOtherValuesWithExitTwo() {
        assertThat(run("run", "--fail-on", "skipped")).isEqualTo(2);
        assertThat(err.toString()).contains("--fail-on");
    }

    @Test
    void reportMergeCombinesTwoRunsIntoOneReportWithEveryCaseAndBothTargets() throws Exception {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        assertThat(run("run", "--suite", "test-suites/rfc5321-core.yaml", "--report-dir", first.toString())).isZero();
        assertThat(run("run", "--suite", warningSuite().toString(), "--report-dir", second.toString())).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(first.resolve("summary.json").toFile());
        JsonNode b = json.readTree(second.resolve("summary.json").toFile());

        Path merged = tmp.resolve("merged");
        assertThat(run("report", "merge", first.toString(), second.toString(), "--out", merged.toString()))
                .as(out + "" + err).isZero();
        JsonNode summary = json.readTree(merged.resolve("summary.json").toFile());
        assertThat(summary.get("cases").size()).isEqualTo(a.get("cases").size() + b.get("cases").size());
        assertThat(summary.get("target").asText())
                .contains(a.get("target").asText()).contains(b.get("target").asText());
        assertThat(summary.get("counts").get("warning").asInt()).isEqualTo(1);
        assertThat(summary.get("counts").get("passed").asInt()).isEqualTo(a.get("cases").size());
        String html = Files.readString(merged.resolve("index.html"));
        String junit = Files.readString(merged.resolve("junit.xml"));
        for (JsonNode run : new JsonNode[] {a, b}) {
            for (JsonNode c : run.get("cases")) {
                String suite = c.get("suite").asText();
                String id = c.get("id").asText();
                assertThat(summary.get("cases").findValuesAsText("id")).contains(id);
                assertThat(html).as(id).contains(id);
                assertThat(junit).as(id).contains("classname=\"" + suite + "\"").contains(id);
            }
        }
        assertThat(summary.get("cases").get(a.get("cases").size()).get("suite").asText()).isEqualTo("warns");
        try (var files = Files.list(merged.resolve("allure-results"))) {
            assertThat(files.filter(f -> f.toString().endsWith("-result.json")).count())
                    .isEqualTo(summary.get("cases").size());
        }
    }

    @Test
    void reportMergeOfAMissingDirectoryExitsTwoNamingIt() throws Exception {
        Path missing = tmp.resolve("no-such-report");
        assertThat(run("report", "merge", missing.toString(), "--out", tmp.resolve("m").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-report");
        Path empty = Files.createDirectories(tmp.resolve("empty-report"));
        assertThat(run("report", "merge", empty.toString(), "--out", tmp.resolve("m").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("empty-report").contains("summary.json");
        Files.writeString(empty.resolve("summary.json"), "{not json");
        assertThat(run("report", "merge", empty.toString(), "--out", tmp.resolve("m").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read").contains("empty-report");
        assertThat(run("report", "merge", "--out", tmp.resolve("m").toString())).isEqualTo(2);
    }
}
