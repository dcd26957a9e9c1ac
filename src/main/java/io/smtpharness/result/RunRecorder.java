package io.smtpharness.result;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every case result as it finishes, so that an interrupted run can still be reported:
 * {@link #snapshot} is the summary of what finished so far, marked incomplete.
 */
public final class RunRecorder implements RunListener {

    private final String tool;
    private final String version;
    private final Instant startedAt = Instant.now();
    private final List<CaseResult> finished = new ArrayList<>();
    private volatile String target = "(not started)";

    public RunRecorder(String tool, String version) {
        this.tool = tool;
        this.version = version;
    }

    @Override
    public void runStarted(String target) {
        this.target = target;
    }

    @Override
    public synchronized void caseFinished(CaseResult result) {
        finished.add(result);
    }

    /** The cases finished so far, in the order they finished, as an incomplete summary. */
    public synchronized RunSummary snapshot() {
        return new RunSummary(tool, version, target, startedAt,
                Duration.between(startedAt, Instant.now()).toMillis(), finished, false);
    }
}
