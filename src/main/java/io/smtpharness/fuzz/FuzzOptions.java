package io.smtpharness.fuzz;

import io.smtpharness.dialogue.RunnerOptions;
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
 * @param batchTries      tries per jqwik property run; each batch has its own seed derived from {@code seed}
 * @param runnerOptions   variables, timeouts
 * @param findingsDir     where the finding suite files go
 * @param recordDialogues keep the client side of every try (for tests of determinism)
 */
public record FuzzOptions(long seed, int tries, Optional<Duration> duration, int maxActions, int batchTries,
                          RunnerOptions runnerOptions, Path findingsDir, boolean recordDialogues) {

    public FuzzOptions {
        Objects.requireNonNull(duration, "duration == null");
        Objects.requireNonNull(runnerOptions, "runnerOptions == null");
        Objects.requireNonNull(findingsDir, "findingsDir == null");
        if (tries < 1 || maxActions < 1 || batchTries < 1) {
            throw new IllegalArgumentException("tries, maxActions and batchTries must be positive");
        }
    }

    /** {@code tries} dialogues of up to 16 actions from {@code seed}, findings into {@code findingsDir}. */
    public static FuzzOptions of(long seed, int tries, Path findingsDir) {
        return new FuzzOptions(seed, tries, Optional.empty(), 16, 200, RunnerOptions.defaults(), findingsDir, false);
    }

    public FuzzOptions withDuration(Duration d) {
        return new FuzzOptions(seed, tries, Optional.of(d), maxActions, batchTries, runnerOptions, findingsDir,
                recordDialogues);
    }

    public FuzzOptions withMaxActions(int n) {
        return new FuzzOptions(seed, tries, duration, n, batchTries, runnerOptions, findingsDir, recordDialogues);
    }

    public FuzzOptions withBatchTries(int n) {
        return new FuzzOptions(seed, tries, duration, maxActions, n, runnerOptions, findingsDir, recordDialogues);
    }

    public FuzzOptions withRunnerOptions(RunnerOptions r) {
        return new FuzzOptions(seed, tries, duration, maxActions, batchTries, r, findingsDir, recordDialogues);
    }

    public FuzzOptions withRecordDialogues(boolean record) {
        return new FuzzOptions(seed, tries, duration, maxActions, batchTries, runnerOptions, findingsDir, record);
    }
}
