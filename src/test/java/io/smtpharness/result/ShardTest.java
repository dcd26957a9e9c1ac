package io.smtpharness.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Shards split the work so that all of them together do each part exactly once. */
class ShardTest {

    @Test
    void aShardIsWrittenIOfNFromOne() {
        assertThat(Shard.parse("2/4")).isEqualTo(new Shard(2, 4));
        assertThat(Shard.parse(" 1 / 1 ")).isEqualTo(Shard.WHOLE);
        assertThat(new Shard(3, 7)).hasToString("3/7");
        assertThatThrownBy(() -> Shard.parse("0/4")).hasMessageContaining("numbered 1 to 4");
        assertThatThrownBy(() -> Shard.parse("5/4")).hasMessageContaining("shard 5 of 4 does not exist");
        assertThatThrownBy(() -> Shard.parse("2")).hasMessageContaining("written i/n");
        assertThatThrownBy(() -> Shard.parse("a/4")).hasMessageContaining("whole numbers");
        assertThatThrownBy(() -> Shard.parse("1/0")).hasMessageContaining("must be 1 to");
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {1, 2, 3, 4, 7})
    void everyCaseAndEveryBatchBelongsToExactlyOneShard(int total) {
        List<String> ids = IntStream.range(0, 500).mapToObj(i -> "case-" + i).toList();
        for (String id : ids) {
            assertThat(IntStream.rangeClosed(1, total).filter(i -> new Shard(i, total).ownsCase("suite", id)).count())
                    .as(id).isEqualTo(1);
        }
        for (long batch = 0; batch < 50; batch++) {
            long b = batch;
            assertThat(IntStream.rangeClosed(1, total).filter(i -> new Shard(i, total).ownsBatch(b)).count()).isEqualTo(1);
        }
        if (total > 1) {
            // a hash that put everything in one shard would pass the lines above
            assertThat(IntStream.rangeClosed(1, total).map(i -> (int) ids.stream()
                    .filter(id -> new Shard(i, total).ownsCase("suite", id)).count())).allMatch(n -> n > 500 / total / 2);
        }
    }

    /** Pinned from CRC-32 (zlib's, outside Java): a change of hash would move cases between CI jobs. */
    @Test
    void theSplitOfCasesIsTheSameOnEveryMachineAndVersion() {
        assertThat(owner("rfc5321-core", "ehlo-gets-250")).isEqualTo(4); // CRC-32 0x6f00ff3f
        assertThat(owner("smtp-smuggling", "smuggle-after-lf-dot-lf")).isEqualTo(3); // 0x48be1b56
        assertThat(owner("rfc3207-starttls", "no-command-injection")).isEqualTo(4); // 0x818728cf
    }

    private static int owner(String suite, String id) {
        return IntStream.rangeClosed(1, 4).filter(i -> new Shard(i, 4).ownsCase(suite, id)).findFirst().orElseThrow();
    }
}
