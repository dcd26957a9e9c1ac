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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report compare}: three servers side by side, where they differ first, each cell linked to its evidence. */
class CompareTest {

    private static final String SUITE = "test-suites/rfc5321-core.yaml";
    private static final String RCPT_RULE = "5321-3.3-RCPT-NEEDS-MAIL";
    private static final String NOOP_RULE = "5321-4.1.1.9-NOOP-250";

    @TempDir
    static Path tmp;

    private static StringWriter out = new StringWriter();
    private static StringWriter err = new StringWriter();

    private static int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static void runAgainst(ServerConfig config, String dir) throws Exception {
        try (ReferenceServer server = ReferenceServer.start(config)) {
            run("run", "--target", "127.0.0.1:" + server.port(), "--suite", SUITE, "-q", "--report-dir",
                    tmp.resolve("runs").resolve(dir).toString());
        }
        assertThat(tmp.resolve("runs").resolve(dir).resolve("summary.json")).as(out + "" + err).exists();
    }

    @BeforeAll
    static void threeServers() throws Exception {
        runAgainst(ServerConfig.defaults(), "clean");
        runAgainst(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.AcceptRcptWithoutMail()), "lax");
        runAgainst(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.AcceptRcptWithoutMail(),
                new Misbehaviour.Reply("NOOP", "500 5.5.1 no NOOP here\r\n")), "laxer");
    }

    @Test
    void theMatrixPutsTheRulesWhereServersDisagreeFirstAndLinksEachCellToTheRuleInThatServersReport() throws Exception {
        Path runs = tmp.resolve("runs");
        Path cmp = tmp.resolve("cmp");
        assertThat(run("report", "compare", "Clean 1.0=" + runs.resolve("clean"), runs.resolve("lax").toString(),
                runs.resolve("laxer").toString(), "--out", cmp.toString())).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("compared 3 servers");

        String md = Files.readString(cmp.resolve("compare.md"));
        assertThat(md).contains("| server | passed | failed | warning | skipped | error | rules failed |")
                .containsPattern("\\| Clean 1\\.0 \\| \\d+ \\| 0 \\| 0 \\| \\d+ \\| 0 \\|  \\|")
                .containsPattern("\\| lax \\| \\d+ \\| \\d+ \\| \\d+ \\| \\d+ \\| 0 \\| .*`" + RCPT_RULE + "`")
                .contains("| `" + RCPT_RULE + "` | passed | **failed** | **failed** |")
                .contains("| `" + NOOP_RULE + "` | passed | passed | **failed** |");

        JsonNode json = new ObjectMapper().readTree(cmp.resolve("compare.json").toFile());
        JsonNode rules = json.get("rules");
        boolean agreedYet = false;
        for (JsonNode rule : rules) {
            agreedYet |= !rule.get("disagree").asBoolean();
            assertThat(rule.get("disagree").asBoolean() && agreedYet).as("disagreements first: " + rule).isFalse();
        }
        assertThat(json.get("servers")).hasSize(3);

        // every cell links to its rule's row in that server's own report, which exists
        String html = Files.readString(cmp.resolve("compare.html"));
        Matcher link = Pattern.compile("href=\"(\\.\\./runs/laxer/index\\.html)#(rule-[\\w-]+)\"").matcher(html);
        int links = 0;
        while (link.find()) {
            links++;
            assertThat(Files.readString(cmp.resolve(link.group(1)))).contains("id=\"" + link.group(2) + "\"");
        }
        assertThat(links).isGreaterThan(5);
        assertThat(html).contains("Where the servers differ (").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void twoColumnsWithOneNameOrAMissingReportAreInputErrors() {
        Path runs = tmp.resolve("runs");
        assertThat(run("report", "compare", "x=" + runs.resolve("lax"), "x=" + runs.resolve("laxer"), "--out",
                tmp.resolve("c2").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("two runs are named 'x'");
        assertThat(run("report", "compare", runs.resolve("lax").toString(), runs.resolve("nowhere").toString(), "--out",
                tmp.resolve("c3").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nowhere does not exist");
    }
}
