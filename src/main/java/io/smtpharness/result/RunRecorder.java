package io.smtpharness.result;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps every case result as it finishes, so that an interrupted run can still be reported:
 * {@link #snapshot} is the summary of what finished so far, marked incomplete.
 */
public final class RunRecorder implements RunListener {

    private final String tool;
    private final String version;
    private final Instant startedAt = Instant.now();
    private final List<CaseResult> finished = new ArrayList<>();
    private final List<RunStop.PlannedCase> planned;
    private volatile String target = "(not started)";

    /** A recorder for a run of {@code planned}: those that do not finish are listed as not run. */
    public RunRecorder(String tool, String version, List<RunStop.PlannedCase> planned) {
        this.tool = tool;
        this.version = version;
        this.planned = List.copyOf(planned);
    }

    @Override
    public void runStarted(String target) {
        this.target = target;
    }

    @Override
    public synchronized void caseFinished(CaseResult result) {
        finished.add(result);
    }

    /**
     * The cases finished so far, in the order they finished, as the summary of an interrupted run
     * whose other planned cases were not run.
     */
    public synchronized RunSummary snapshot() {
        return new RunSummary(tool, version, target, startedAt, Duration.between(startedAt, Instant.now()).toMillis(),
                finished, Optional.of(new RunStop(RunStop.Kind.INTERRUPTED, "the run was interrupted (SIGTERM or Ctrl-C)",
                RunStop.notRun(planned, finished))));
    }
}
