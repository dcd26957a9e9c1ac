package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with known deviations in CI: {@code run --baseline} turns its failing run green, a new
 * deviation turns it red again, and {@code report diff} names what changed between two runs.
 */
class BaselineTest {

    private static final String SUITE = "test-suites/rfc5321-core.yaml";
    private static final String RCPT_RULE = "5321-3.3-RCPT-NEEDS-MAIL";
    private static final String NOOP_RULE = "5321-4.1.1.9-NOOP-250";
    /** Version 1 of "our server": it takes RCPT before MAIL. */
    private static final ServerConfig V1 = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.AcceptRcptWithoutMail());
    /** Version 2 regresses: NOOP is refused as well. */
    private static final ServerConfig V2 = ServerConfig.defaults().withMisbehaviours(new Misbehaviour.AcceptRcptWithoutMail(),
            new Misbehaviour.Reply("NOOP", "500 5.5.1 no NOOP here\r\n"));

    @TempDir
    Path tmp;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private int runAgainst(ServerConfig config, Path reports, String... extra) throws Exception {
        try (ReferenceServer server = ReferenceServer.start(config)) {
            String[] base = {"run", "--target", "127.0.0.1:" + server.port(), "--suite", SUITE, "-q",
                "--report-dir", reports.toString()};
            String[] args = new String[base.length + extra.length];
            System.arraycopy(base, 0, args, 0, base.length);
            System.arraycopy(extra, 0, args, base.length, extra.length);
            return run(args);
        }
    }

    @Test
    void aBaselineTurnsAKnownFailureGreenAndANewOneRedAgain() throws Exception {
        Path first = tmp.resolve("v1");
        assertThat(runAgainst(V1, first)).as(out + "" + err).isEqualTo(1);

        Path again = tmp.resolve("v1-again");
        assertThat(runAgainst(V1, again, "--baseline", first.toString())).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("0 new").contains("still present");
        JsonNode check = new ObjectMapper().readTree(again.resolve("baseline.json").toFile());
        assertThat(check.get("new")).isEmpty();
        assertThat(check.get("present").toString()).contains(RCPT_RULE);
        assertThat(Files.readString(again.resolve("index.html"))).contains("class=\"mark accepted\"")
                .doesNotContain("class=\"mark new\"");

        Path second = tmp.resolve("v2");
        assertThat(runAgainst(V2, second, "--baseline", first.resolve("summary.json").toString()))
                .as(out + "" + err).isEqualTo(1);
        assertThat(out.toString()).containsPattern("new +failed " + NOOP_RULE + " in rfc5321-core/")
                .doesNotContain("new    failed " + RCPT_RULE);
        JsonNode regressed = new ObjectMapper().readTree(second.resolve("baseline.json").toFile());
        assertThat(regressed.get("new").toString()).contains(NOOP_RULE).doesNotContain(RCPT_RULE);
        assertThat(Files.readString(second.resolve("index.html"))).contains("class=\"mark new\"");

        // the same, between two report directories, without re-running anything
        assertThat(run("report", "diff", first.toString(), second.toString(), "--json", tmp.resolve("d.json").toString()))
                .as(out + "" + err).isEqualTo(1);
        assertThat(out.toString()).containsPattern("new +failed " + NOOP_RULE).contains("0 fixed");
        assertThat(new ObjectMapper().readTree(tmp.resolve("d.json").toFile()).get("new").toString()).contains(NOOP_RULE);
        // and backwards: the NOOP refusal is fixed, nothing is new
        assertThat(run("report", "diff", second.toString(), first.toString())).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("0 new").containsPattern("fixed +failed " + NOOP_RULE);
    }

    @Test
    void aFileOfAcceptedDeviationsWithReasons() throws Exception {
        Path accepted = Files.writeString(tmp.resolve("accepted.yaml"), """
                # deviations we live with for now
                accepted:
                  - rule: %s
                    reason: our relay checks come later, at DATA
                """.formatted(RCPT_RULE));
        assertThat(runAgainst(V1, tmp.resolve("a"), "--baseline", accepted.toString())).as(out + "" + err).isZero();
        // limited to another case, it accepts nothing here
        Files.writeString(accepted, """
                accepted:
                  - rule: %s
                    case: rfc5321-core/some-other-case
                    level: failed
                    reason: only there
                """.formatted(RCPT_RULE));
        assertThat(runAgainst(V1, tmp.resolve("b"), "--baseline", accepted.toString())).as(out + "" + err).isEqualTo(1);
    }

    @Test
    void aMalformedBaselineIsAnInputErrorNamingFileAndLineBeforeAnythingRuns() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "accepted:\n  - rule: " + RCPT_RULE + "\n");
        assertThat(run("run", "--suite", SUITE, "--report-dir", tmp.resolve("r").toString(), "--baseline", bad.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("bad.yaml:2").contains("'reason:' is missing");
        assertThat(tmp.resolve("r")).doesNotExist();

        Files.writeString(bad, "accepted:\n  - rule: x\n    reason: y\n    severity: failed\n");
        assertThat(run("report", "diff", bad.toString(), tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.yaml:4").contains("unknown key 'severity'");

        assertThat(run("run", "--suite", SUITE, "--baseline", tmp.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("missing.json does not exist");
    }
}
