package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.cli.Main;
import io.smtpharness.testing.RealServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 32 against Postfix: every suite run as four shards, each found by {@code --shard auto} the
 * way a job runner says it (a plain SHARD variable, GitLab parallel, a Kubernetes Indexed Job), then
 * merged, gives the unsharded run's report: each case, its verdict and the rules it found broken.
 */
class ShardedRealServerTest {

    @TempDir
    static Path tmp;

    private static RealServer postfix;
    private static Map<String, String> whole;
    private static JsonNode wholeCounts;
    private static List<String> wholeRunWide;

    @BeforeAll
    static void runWhole() throws Exception {
        postfix = RealServer.sharedOrSkip(RealServer.Kind.POSTFIX);
        Path dir = tmp.resolve("whole");
        run(Map.of(), "--report-dir", dir.toString());
        JsonNode summary = read(dir);
        whole = verdicts(summary);
        wholeCounts = summary.get("counts");
        wholeRunWide = runWide(summary);
    }

    static Stream<Arguments> conventions() {
        return Stream.of(
                Arguments.of("SHARD", (IntFunction<Map<String, String>>) i -> Map.of("SHARD", i + "/4")),
                Arguments.of("GitLab parallel", (IntFunction<Map<String, String>>) i -> Map.of("CI_NODE_INDEX",
                        String.valueOf(i), "CI_NODE_TOTAL", "4")),
                Arguments.of("Kubernetes Indexed Job", (IntFunction<Map<String, String>>) i -> Map.of(
                        "JOB_COMPLETION_INDEX", String.valueOf(i - 1), "SHARD_TOTAL", "4")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conventions")
    void fourShardsMergedAreTheUnshardedRun(String convention, IntFunction<Map<String, String>> env) throws Exception {
        List<String> merge = new ArrayList<>(List.of("report", "merge"));
        for (int i = 1; i <= 4; i++) {
            Path dir = tmp.resolve(convention.replace(' ', '-') + "-" + i);
            run(env.apply(i), "--shard", "auto", "--report-dir", dir.toString());
            assertThat(read(dir).get("shard").get("index").asInt()).isEqualTo(i);
            merge.add(dir.toString());
        }
        Path merged = tmp.resolve(convention.replace(' ', '-') + "-merged");
        merge.addAll(List.of("--out", merged.toString()));
        StringWriter out = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), Map.of(),
                merge.toArray(String[]::new))).as(out.toString()).isZero();

        JsonNode joined = read(merged);
        assertThat(verdicts(joined)).containsExactlyEntriesOf(whole);
        assertThat(joined.get("counts")).isEqualTo(wholeCounts);
        assertThat(runWide(joined)).as("the deviations seen server-wide and outside their cases").isEqualTo(wholeRunWide);
    }

    /** The server-wide and incidental deviations: rule, severity and the cases that showed each, in order. */
    private static List<String> runWide(JsonNode summary) {
        List<String> lines = new ArrayList<>();
        for (String field : List.of("serverWide", "incidental")) {
            summary.path(field).forEach(f -> lines.add(field + " " + f.path("rule").asText() + " "
                    + f.path("severity").asText() + " " + f.path("cases")));
        }
        return lines;
    }

    /** Runs every suite against Postfix; Postfix fails some cases (pinned), so 0 or 1 is a verdict. */
    private static void run(Map<String, String> env, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--target", postfix.hostAndPort(), "--recipient",
                "postmaster@test.example"));
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), env, args.toArray(String[]::new));
        assertThat(code).as(out.toString()).isIn(0, 1);
    }

    private static JsonNode read(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    /** suite/id → its status and the rules its findings say were broken or warned about, in order. */
    private static Map<String, String> verdicts(JsonNode summary) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (JsonNode c : summary.get("cases")) {
            TreeSet<String> rules = new TreeSet<>();
            c.path("findings").forEach(f -> {
                if (!f.path("severity").asText().equals("note")) {
                    rules.add(f.path("rule").asText() + ":" + f.path("severity").asText());
                }
            });
            verdicts.put(c.get("suite").asText() + "/" + c.get("id").asText(), c.get("status").asText() + " " + rules);
        }
        return verdicts;
    }
}
