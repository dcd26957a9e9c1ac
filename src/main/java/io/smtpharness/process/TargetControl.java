package io.smtpharness.process;

import io.smtpharness.client.TargetUnreachableException;
import java.util.Optional;

/** A target the harness can bring back after a crash, and question about how it ended. */
public interface TargetControl extends AutoCloseable {

    /**
     * What shows the target died: its exit status or signal and the last lines of its stderr. Empty
     * while it runs, or when the harness cannot know (a target managed elsewhere).
     */
    Optional<String> crashEvidence();

    /**
     * As {@link #crashEvidence()}, giving a target that stopped serving up to {@code within} to end:
     * a dying process may close its connections a moment before it exits.
     */
    default Optional<String> crashEvidence(java.time.Duration within) {
        return crashEvidence();
    }

    /**
     * After a run: why the target is down (dead: how it ended; alive but not greeting: that), or
     * empty while it still greets or when the harness cannot know.
     */
    default Optional<String> downEvidence() {
        return crashEvidence();
    }

    /**
     * True when the target is cheap to bring back and so is restarted after every crash or hang, even
     * one that left it greeting: the next dialogue then meets a fresh server, never one on its way down.
     */
    default boolean restartsAfterEveryCrash() {
        return false;
    }

    /** Brings the target back; throws when it does not greet again within the start timeout. */
    void restart() throws TargetUnreachableException;

    /** How many times the target was restarted. */
    int restarts();

    /** Stops what the harness started (nothing for a target managed elsewhere). */
    @Override
    void close();
}
