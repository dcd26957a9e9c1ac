package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smtpharness.result.Shard;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** --shard auto reads the job runners' conventions; anything missing or malformed is an error, never "everything". */
class ShardOptionsTest {

    private static ShardOptions options(String shard, Integer total) {
        ShardOptions options = new ShardOptions();
        options.shard = shard;
        options.shardTotal = total;
        return options;
    }

    @Test
    void withoutShardTheRunIsWholeAndAnExplicitShardIsTakenAsWritten() {
        assertThat(options(null, null).shard(Map.of("SHARD", "2/4"))).isEqualTo(Shard.WHOLE);
        assertThat(options("3/5", null).shard(Map.of())).isEqualTo(new Shard(3, 5));
        assertThatThrownBy(() -> options("5/3", null).shard(Map.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("--shard: shard 5 of 3 does not exist");
        assertThatThrownBy(() -> options(null, 4).shard(Map.of())).hasMessageContaining("only goes with --shard auto");
        assertThatThrownBy(() -> options("1/4", 4).shard(Map.of())).hasMessageContaining("only goes with --shard auto");
    }

    @Test
    void autoReadsThePlainGitLabAndKubernetesConventions() {
        assertThat(options("auto", null).shard(Map.of("SHARD", "2/4"))).isEqualTo(new Shard(2, 4));
        // GitLab parallel: CI_NODE_INDEX is 1-based
        assertThat(options("auto", null).shard(Map.of("CI_NODE_INDEX", "1", "CI_NODE_TOTAL", "3")))
                .isEqualTo(new Shard(1, 3));
        // a Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based, the total comes from us
        assertThat(options("auto", 4).shard(Map.of("JOB_COMPLETION_INDEX", "0"))).isEqualTo(new Shard(1, 4));
        assertThat(options("auto", null).shard(Map.of("JOB_COMPLETION_INDEX", "3", "SHARD_TOTAL", "4")))
                .isEqualTo(new Shard(4, 4));
        assertThat(ShardOptions.fromEnvironment(Map.of("JOB_COMPLETION_INDEX", "1"), Optional.of(2)))
                .isEqualTo(new Shard(2, 2));
    }

    @Test
    void autoRefusesMissingHalfSetAndMalformedVariablesNamingThem() {
        assertThatThrownBy(() -> options("auto", null).shard(Map.of("PATH", "/usr/bin")))
                .isInstanceOf(UsageException.class).hasMessageContaining("none of SHARD, CI_NODE_INDEX/CI_NODE_TOTAL");
        assertThatThrownBy(() -> options("auto", null).shard(Map.of("CI_NODE_INDEX", "2")))
                .hasMessageContaining("CI_NODE_TOTAL is not set");
        assertThatThrownBy(() -> options("auto", null).shard(Map.of("CI_NODE_INDEX", "two", "CI_NODE_TOTAL", "3")))
                .hasMessageContaining("CI_NODE_INDEX=\"two\" is not a whole number");
        assertThatThrownBy(() -> options("auto", null).shard(Map.of("CI_NODE_INDEX", "0", "CI_NODE_TOTAL", "3")))
                .hasMessageContaining("CI_NODE_INDEX=0").hasMessageContaining("numbered 1 to 3");
        assertThatThrownBy(() -> options("auto", null).shard(Map.of("JOB_COMPLETION_INDEX", "0")))
                .hasMessageContaining("--shard-total N or set SHARD_TOTAL");
        assertThatThrownBy(() -> options("auto", 2).shard(Map.of("JOB_COMPLETION_INDEX", "2")))
                .hasMessageContaining("JOB_COMPLETION_INDEX=2 (0-based)").hasMessageContaining("3 of 2 does not exist");
        assertThatThrownBy(() -> options("auto", null).shard(Map.of("SHARD", "4")))
                .hasMessageContaining("SHARD: a shard is written i/n");
    }
}
