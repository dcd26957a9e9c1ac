package io.smtpharness.result;

/**
 * Observes a run. Contract (as for every listener here): methods are called from the runner's
 * threads, must be quick, must not throw and must not change their arguments. Reporters that write
 * files do so in {@link #runFinished}.
 */
public interface RunListener {

    /** Called once before the first case starts. */
    default void runStarted(String target) {
    }

    /** Called as a case starts (not for a case ended without being tried), possibly from several threads at once. */
    default void caseStarted(String suite, String id) {
    }

    /** Called once per case, possibly from several threads at once. */
    default void caseFinished(CaseResult result) {
    }

    /** Called once after the last case, with every result in order. */
    default void runFinished(RunSummary summary) {
    }
}
