package io.smtpharness.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Joining shards: the whole run's cases in its order, or a refusal naming what does not fit. */
class ShardJoinTest {

    private static final List<String> WHOLE = List.of("s/a", "s/b", "s/c", "s/d");

    private static ShardJoin.Part part(String name, int index, int total, List<String> wholeRun, String... ids) {
        List<CaseResult> cases = Stream.of(ids).map(id -> new CaseResult("s", id, id, List.of(), List.of(),
                Status.PASSED, "", List.of(), 1, List.of())).toList();
        RunSummary summary = new RunSummary(Tool.NAME, "1", "t", Instant.EPOCH, 1, cases)
                .withSharding(new Sharding(new Shard(index, total), wholeRun));
        return new ShardJoin.Part(name, summary);
    }

    @Test
    void theJoinedCasesFollowTheWholeRunsOrder() {
        List<CaseResult> joined = ShardJoin.join(List.of(part("two", 2, 2, WHOLE, "d", "b"),
                part("one", 1, 2, WHOLE, "c", "a")));

        assertThat(joined).extracting(CaseResult::id).containsExactly("a", "b", "c", "d");
    }

    @Test
    void partsThatAreNotTheShardsOfOneRunEachOnceAreRefusedByName() {
        assertThatThrownBy(() -> ShardJoin.join(List.of(part("one", 1, 2, WHOLE, "a", "b"),
                part("two", 2, 2, WHOLE, "b", "c", "d")))).hasMessage("case s/b is in two shards: one and two");
        assertThatThrownBy(() -> ShardJoin.join(List.of(part("one", 1, 3, WHOLE, "a"), part("three", 3, 3, WHOLE, "d"))))
                .hasMessage("shard 2/3 of the run is missing: give every part");
        assertThatThrownBy(() -> ShardJoin.join(List.of(part("one", 1, 2, WHOLE, "a"), part("two", 2, 3, WHOLE, "b"))))
                .hasMessageContaining("two is shard 2/3 but one is shard 1/2");
        assertThatThrownBy(() -> ShardJoin.join(List.of(part("one", 1, 2, WHOLE, "a"),
                part("two", 2, 2, List.of("s/a", "s/x"), "x")))).hasMessageContaining("shards of different runs");
        assertThatThrownBy(() -> ShardJoin.join(List.of(part("one", 1, 2, WHOLE, "a", "z"), part("two", 2, 2, WHOLE))))
                .hasMessage("case s/z in one is not one of the whole run's");
    }
}
