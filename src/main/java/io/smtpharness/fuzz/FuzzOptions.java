package io.smtpharness.fuzz;

import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.result.Shard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to fuzz one target.
 *
 * @param seed            same seed, same dialogues (against a server that answers the same)
 * @param tries           generated dialogues in all, when {@code duration} is empty
 * @param duration        fuzz until this much time has passed instead (batches of {@code batchTries})
 * @param maxActions      actions per generated dialogue
 * @param batchTries      tries per batch; each batch has its own seed derived from {@code seed}
 * @param connections     dialogues performed at once; the dialogues generated do not depend on it
 * @param runnerOptions   variables, timeouts
 * @param findingsDir     where the finding suite files go
 * @param recordDialogues keep the client side of every try (for tests of determinism)
 * @param shard           the part of the run's batches this one does ({@code --shard}): batch {@code b} of
 *                        the whole run is shard {@code b mod n + 1}'s, so the shards' tries are the whole run's
 */
public record FuzzOptions(long seed, int tries, Optional<Duration> duration, int maxActions, int batchTries,
                          int connections, RunnerOptions runnerOptions, Path findingsDir, boolean recordDialogues,
                          Shard shard) {

    public FuzzOptions {
        Objects.requireNonNull(duration, "duration == null");
        Objects.requireNonNull(runnerOptions, "runnerOptions == null");
        Objects.requireNonNull(findingsDir, "findingsDir == null");
        Objects.requireNonNull(shard, "shard == null");
        if (tries < 1 || maxActions < 1 || batchTries < 1 || connections < 1) {
            throw new IllegalArgumentException("tries, maxActions, batchTries and connections must be positive");
        }
    }

    /** {@code tries} dialogues of up to 16 actions from {@code seed}, one at a time, findings into {@code findingsDir}. */
    public static FuzzOptions of(long seed, int tries, Path findingsDir) {
        return new FuzzOptions(seed, tries, Optional.empty(), 16, 200, 1, RunnerOptions.defaults(), findingsDir, false,
                Shard.WHOLE);
    }

    public FuzzOptions withDuration(Duration d) {
        return new FuzzOptions(seed, tries, Optional.of(d), maxActions, batchTries, connections,
                runnerOptions, findingsDir, recordDialogues, shard);
    }

    public FuzzOptions withMaxActions(int n) {
        return new FuzzOptions(seed, tries, duration, n, batchTries, connections,
                runnerOptions, findingsDir, recordDialogues, shard);
    }

    public FuzzOptions withBatchTries(int n) {
        return new FuzzOptions(seed, tries, duration, maxActions, n, connections,
                runnerOptions, findingsDir, recordDialogues, shard);
    }

    public FuzzOptions withConnections(int n) {
        return new FuzzOptions(seed, tries, duration, maxActions, batchTries, n,
                runnerOptions, findingsDir, recordDialogues, shard);
    }

    public FuzzOptions withRunnerOptions(RunnerOptions r) {
        return new FuzzOptions(seed, tries, duration, maxActions, batchTries, connections,
                r, findingsDir, recordDialogues, shard);
    }

    public FuzzOptions withRecordDialogues(boolean record) {
        return new FuzzOptions(seed, tries, duration, maxActions, batchTries, connections,
                runnerOptions, findingsDir, record, shard);
    }

    public FuzzOptions withShard(Shard part) {
        return new FuzzOptions(seed, tries, duration, maxActions, batchTries, connections, runnerOptions, findingsDir,
                recordDialogues, part);
    }
}
