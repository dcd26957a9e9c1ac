package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fuzz --shard i/4 on four jobs, then report merge: the whole run's tries and batch seeds, and every
 * finding any shard made, once, with a replay file that still fails against the faulty server.
 */
class ShardedFuzzMergeTest {

    /** 4 batches of 200: one per shard. */
    private static final String TRIES = "800";

    @TempDir
    static Path tmp;

    private static ReferenceServer faulty;
    private final StringWriter out = new StringWriter();

    @BeforeAll
    static void startFaultyServer() {
        faulty = ReferenceServer.start(ServerConfig.defaults().withMisbehaviours(
                new Misbehaviour.Reply("NOOP", "500 5.5.1 no NOOP here\r\n")));
    }

    @AfterAll
    static void stopFaultyServer() {
        faulty.close();
    }

    private int harness(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(out, true), args);
    }

    private Path fuzz(String seed, String shard) {
        Path dir = tmp.resolve("fuzz-" + seed + "-" + shard.replace('/', '-'));
        List<String> args = new ArrayList<>(List.of("fuzz", "--target", "127.0.0.1:" + faulty.port(), "--seed", seed,
                "--tries", TRIES, "--max-actions", "4", "--timeout", "5s", "--report-dir", dir.toString()));
        if (!shard.isEmpty()) {
            args.addAll(List.of("--shard", shard));
        }
        assertThat(harness(args.toArray(String[]::new))).as(out.toString()).isIn(0, 1);
        return dir;
    }

    private static JsonNode read(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    /** Each finding as its kind and rules. */
    private static Set<String> kinds(JsonNode summary) {
        Set<String> kinds = new TreeSet<>();
        summary.get("findings").forEach(f -> kinds.add(f.get("kind").asText() + " " + f.get("rules")));
        return kinds;
    }

    @Test
    void fourFuzzShardsMergedKeepEveryFindingOnceAndTheWholeRunsTries() throws Exception {
        JsonNode whole = read(fuzz("5", ""));
        List<String> merge = new ArrayList<>(List.of("report", "merge"));
        Set<String> found = new TreeSet<>();
        long tries = 0;
        Set<Long> seeds = new HashSet<>();
        for (int i = 1; i <= 4; i++) {
            Path dir = fuzz("5", i + "/4");
            JsonNode part = read(dir);
            found.addAll(kinds(part));
            tries += part.get("fuzz").get("tries").asLong();
            part.get("fuzz").get("batchSeeds").forEach(s -> seeds.add(s.asLong()));
            merge.add(dir.toString());
        }
        Path merged = tmp.resolve("merged");
        merge.addAll(List.of("--out", merged.toString()));
        assertThat(harness(merge.toArray(String[]::new))).as(out.toString()).isZero();
        JsonNode joined = read(merged);

        assertThat(found).as("the faults are found").contains("rule [\"5321-4.3.2-REQUIRED-NOT-500\"]");
        assertThat(kinds(joined)).as("every kind of finding of any shard").isEqualTo(found);
        assertThat(kinds(joined)).as("as the unsharded run found").isEqualTo(kinds(whole));
        Set<String> dialogues = new HashSet<>();
        for (JsonNode f : joined.get("findings")) {
            assertThat(dialogues.add(f.get("transcript").toString().replaceAll("\"t_ms\":\\d+", "")))
                    .as("no finding twice").isTrue();
            Path replay = merged.resolve(f.get("file").asText());
            assertThat(replay).exists();
            assertThat(harness("run", "--target", "127.0.0.1:" + faulty.port(), "--suite", replay.toString(),
                    "--report-dir", tmp.resolve("replay-" + f.get("id").asText()).toString())).as(out.toString())
                    .isEqualTo(1);
        }
        assertThat(joined.get("fuzz").get("tries").asLong()).isEqualTo(tries).isEqualTo(whole.get("fuzz").get("tries").asLong());
        Set<Long> wholeSeeds = new HashSet<>();
        whole.get("fuzz").get("batchSeeds").forEach(s -> wholeSeeds.add(s.asLong()));
        assertThat(seeds).isEqualTo(wholeSeeds);
    }

    @Test
    void mergeRefusesFuzzShardsOfDifferentSeedsOrWithOneMissing() {
        Path one = fuzz("6", "1/2");
        Path two = fuzz("6", "2/2");
        Path otherSeed = fuzz("7", "2/2");

        assertThat(harness("report", "merge", one.toString(), "--out", tmp.resolve("m1").toString())).isEqualTo(2);
        assertThat(out.toString()).contains("shard 2/2 of the run is missing");
        assertThat(harness("report", "merge", one.toString(), otherSeed.toString(), "--out", tmp.resolve("m2").toString()))
                .isEqualTo(2);
        assertThat(out.toString()).contains("was fuzzed with --seed 7").contains("share its seed");
        assertThat(tmp.resolve("m2")).doesNotExist();
        assertThat(harness("report", "merge", one.toString(), two.toString(), "--out", tmp.resolve("m3").toString()))
                .as(out.toString()).isZero();
    }
}
