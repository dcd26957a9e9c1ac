package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run --shard i/n: n jobs run each case of the whole run exactly once, and each says which part it was. */
class ShardedRunTest {

    private static final String SUITE = "test-suites/rfc5321-core.yaml";

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path dir(String... shard) {
        return tmp.resolve("r" + shard.length + (shard.length == 0 ? "" : shard[1].replace('/', '-')));
    }

    private JsonNode summary(String... shard) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--suite", SUITE, "--report-dir", dir(shard).toString()));
        args.addAll(List.of(shard));
        assertThat(run(args.toArray(String[]::new))).as(out + "" + err).isZero();
        return read(dir(shard));
    }

    private static JsonNode read(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    private int merge(Path out, Path... parts) {
        List<String> args = new ArrayList<>(List.of("report", "merge"));
        for (Path part : parts) {
            args.add(part.toString());
        }
        args.addAll(List.of("--out", out.toString()));
        return run(args.toArray(String[]::new));
    }

    /** suite/id → status, in the summary's order. */
    private static Map<String, String> verdicts(JsonNode summary) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        summary.get("cases").forEach(c -> verdicts.put(c.get("suite").asText() + "/" + c.get("id").asText(),
                c.get("status").asText()));
        return verdicts;
    }

    @Test
    void fourShardsRunEveryCaseOfTheWholeRunExactlyOnceAndMergeIntoIt() throws Exception {
        JsonNode unsharded = summary();
        Map<String, String> whole = verdicts(unsharded);
        Map<String, String> joined = new LinkedHashMap<>();
        int nonEmpty = 0;
        for (int i = 1; i <= 4; i++) {
            JsonNode part = summary("--shard", i + "/4");
            assertThat(part.get("shard").get("index").asInt()).isEqualTo(i);
            assertThat(part.get("shard").get("total").asInt()).isEqualTo(4);
            List<String> wholeRun = new ArrayList<>();
            part.get("shard").get("wholeRun").forEach(id -> wholeRun.add(id.asText()));
            assertThat(wholeRun).as("each part knows the whole run, in its order").containsExactlyElementsOf(whole.keySet());
            Map<String, String> mine = verdicts(part);
            assertThat(mine.keySet()).as("no case in two shards").noneMatch(joined::containsKey);
            joined.putAll(mine);
            nonEmpty += mine.isEmpty() ? 0 : 1;
        }
        assertThat(joined).as("the shards together are the whole run, verdict for verdict")
                .containsExactlyInAnyOrderEntriesOf(whole);
        assertThat(nonEmpty).as("28 cases spread over the shards").isGreaterThan(2);
        assertThat(err.toString()).contains("shard 1/4: ").contains(" of the " + whole.size() + " cases");

        Path merged = tmp.resolve("merged");
        assertThat(merge(merged, dir("--shard", "3/4"), dir("--shard", "1/4"), dir("--shard", "4/4"),
                dir("--shard", "2/4"))).as(out + "" + err).isZero();
        JsonNode joined4 = read(merged);
        assertThat(verdicts(joined4)).as("the whole run's cases, in its order").containsExactlyEntriesOf(whole);
        assertThat(joined4.get("counts")).isEqualTo(unsharded.get("counts"));
        assertThat(joined4.has("shard")).as("the merged report is the whole run").isFalse();
    }

    @Test
    void mergeRefusesAMissingShardAShardTwiceAndAShardWithAWholeRun() throws Exception {
        summary();
        for (int i = 1; i <= 3; i++) {
            summary("--shard", i + "/3");
        }
        Path one = dir("--shard", "1/3");
        Path two = dir("--shard", "2/3");
        Path three = dir("--shard", "3/3");

        assertThat(merge(tmp.resolve("m1"), one, three)).isEqualTo(2);
        assertThat(err.toString()).contains("cannot merge: shard 2/3 of the run is missing: give every part");
        assertThat(merge(tmp.resolve("m2"), one, two, two, three)).isEqualTo(2);
        assertThat(err.toString()).contains("shard 2/3 is given twice: " + two + " and " + two);
        assertThat(merge(tmp.resolve("m3"), one, two, three, dir())).isEqualTo(2);
        assertThat(err.toString()).contains(dir() + " is a whole run, not a shard");
        assertThat(tmp.resolve("m1")).doesNotExist();
    }

    @Test
    void aShardThatDoesNotExistIsAUsageError() {
        assertThat(run("run", "--suite", SUITE, "--shard", "5/4", "--report-dir", tmp.resolve("x").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--shard: shard 5 of 4 does not exist");
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
