package io.smtpharness.cli;

import io.smtpharness.result.Shard;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --shard i/n|auto}, shared by {@code run} and {@code fuzz}: which part of the work this job
 * does. {@code auto} reads the job's index from where the job runner puts it; a variable that is
 * missing, half set or malformed is a usage error naming it, never a run of everything.
 */
final class ShardOptions {

    /** A plain convention for any runner: {@code SHARD=2/4}. */
    static final String PLAIN = "SHARD";
    /** GitLab CI {@code parallel: N}: 1-based index and the total. */
    static final String GITLAB_INDEX = "CI_NODE_INDEX";
    static final String GITLAB_TOTAL = "CI_NODE_TOTAL";
    /** Kubernetes Indexed Job: a 0-based index; Kubernetes does not pass the total. */
    static final String KUBERNETES_INDEX = "JOB_COMPLETION_INDEX";
    /** The total for a Kubernetes Indexed Job, when not given as --shard-total (its completions). */
    static final String TOTAL = "SHARD_TOTAL";

    @Option(names = "--shard", paramLabel = "i/n|auto",
            description = "Do only the i-th of n parts of the work (from 1): cases by a stable hash of suite/id, fuzz"
                    + " tries by batch, so n jobs do exactly the whole. 'auto' reads " + PLAIN + "=i/n, GitLab's "
                    + GITLAB_INDEX + "/" + GITLAB_TOTAL + ", or a Kubernetes Indexed Job's " + KUBERNETES_INDEX
                    + " (0-based) with --shard-total or " + TOTAL + ". Then 'report merge' joins the parts.")
    String shard;

    @Option(names = "--shard-total", paramLabel = "N",
            description = "With --shard auto in a Kubernetes Indexed Job: how many pods (its completions).")
    Integer shardTotal;

    /** The shard this job does, from the options and (for {@code auto}) the environment. */
    Shard shard(Map<String, String> env) {
        if (shard == null) {
            if (shardTotal != null) {
                throw new UsageException("--shard-total only goes with --shard auto");
            }
            return Shard.WHOLE;
        }
        if (!shard.equals("auto")) {
            if (shardTotal != null) {
                throw new UsageException("--shard-total only goes with --shard auto; --shard " + shard
                        + " already says the total");
            }
            return parsed(shard, "--shard");
        }
        return fromEnvironment(env, Optional.ofNullable(shardTotal));
    }

    /**
     * The shard the job runner says, trying {@code SHARD}, then GitLab's, then Kubernetes'
     * variables; {@code total} is the Kubernetes total if given as an option.
     */
    static Shard fromEnvironment(Map<String, String> env, Optional<Integer> total) {
        if (env.containsKey(PLAIN)) {
            return parsed(env.get(PLAIN), PLAIN);
        }
        if (env.containsKey(GITLAB_INDEX) || env.containsKey(GITLAB_TOTAL)) {
            int index = number(env, GITLAB_INDEX);
            return shard(index, number(env, GITLAB_TOTAL), GITLAB_INDEX + "=" + index);
        }
        if (env.containsKey(KUBERNETES_INDEX)) {
            int index = number(env, KUBERNETES_INDEX);
            int of = total.isPresent() ? total.get() : env.containsKey(TOTAL) ? number(env, TOTAL) : missingTotal();
            return shard(index + 1, of, KUBERNETES_INDEX + "=" + index + " (0-based)");
        }
        throw new UsageException("--shard auto: none of " + PLAIN + ", " + GITLAB_INDEX + "/" + GITLAB_TOTAL + " (GitLab"
                + " parallel) or " + KUBERNETES_INDEX + " (Kubernetes Indexed Job) is set; give --shard i/n instead");
    }

    private static int missingTotal() {
        throw new UsageException("--shard auto: " + KUBERNETES_INDEX + " is set but Kubernetes does not pass the number"
                + " of pods; give --shard-total N or set " + TOTAL + " (the Job's completions)");
    }

    private static int number(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null) {
            throw new UsageException("--shard auto: " + name + " is not set (its pair is)");
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--shard auto: " + name + "=\"" + value + "\" is not a whole number");
        }
    }

    private static Shard shard(int index, int total, String source) {
        try {
            return new Shard(index, total);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--shard auto (" + source + "): " + e.getMessage());
        }
    }

    private static Shard parsed(String text, String source) {
        try {
            return Shard.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(source + ": " + e.getMessage());
        }
    }
}
