package io.smtpharness.dialogue;

import io.smtpharness.rules.ReplyWaits;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How dialogues are run against one target.
 *
 * @param variables      values for {@code ${...}} in suite text
 * @param allowDelivery  whether cases that complete a message may run against a non-loopback target
 * @param caseTimeout    deadline for one whole case
 * @param closeWait      how long the server may take to close after 221 (RFC-RULES: 10 s)
 * @param rfcReplyWaits  wait for each reply as long as RFC 5321 §4.5.3.2 says a client must
 *                       ({@link ReplyWaits}); false: the client's one reply timeout, for quick runs
 * @param credentials    the account for {@code auth} steps (RFC 4954); empty: those cases are skipped
 * @param fullWindows    listen for every {@code expect-none} window as long as the suite wrote; false:
 *                       cut it against a server that has shown it answers at once ({@link ReplyPace})
 */
public record RunnerOptions(Variables variables, boolean allowDelivery, Duration caseTimeout, Duration closeWait,
                            boolean rfcReplyWaits, Optional<AuthCredentials> credentials, boolean fullWindows) {

    public RunnerOptions {
        Objects.requireNonNull(variables, "variables == null");
        Objects.requireNonNull(caseTimeout, "caseTimeout == null");
        Objects.requireNonNull(closeWait, "closeWait == null");
        Objects.requireNonNull(credentials, "credentials == null");
    }

    /** Options without AUTH credentials. */
    public RunnerOptions(Variables variables, boolean allowDelivery, Duration caseTimeout, Duration closeWait,
                         boolean rfcReplyWaits) {
        this(variables, allowDelivery, caseTimeout, closeWait, rfcReplyWaits, Optional.empty(), false);
    }

    /** Defaults: test-domain variables, no delivery off loopback, 2 minutes a case, 10 s to close. */
    public static RunnerOptions defaults() {
        return new RunnerOptions(Variables.defaults(), false, Duration.ofMinutes(2), Duration.ofSeconds(10), false);
    }

    /**
     * A copy that waits the RFC 5321 minimum for each reply; the case deadline then allows the
     * longest of them plus the rest of the case.
     */
    public RunnerOptions withRfcReplyWaits() {
        Duration deadline = ReplyWaits.LONGEST.plusMinutes(5);
        return new RunnerOptions(variables, allowDelivery, caseTimeout.compareTo(deadline) > 0 ? caseTimeout : deadline,
                closeWait, true, credentials, fullWindows);
    }

    /** A copy with AUTH credentials. */
    public RunnerOptions withCredentials(AuthCredentials account) {
        return new RunnerOptions(variables, allowDelivery, caseTimeout, closeWait, rfcReplyWaits, Optional.of(account),
                fullWindows);
    }

    /** A copy with other variables. */
    public RunnerOptions withVariables(Variables other) {
        return new RunnerOptions(other, allowDelivery, caseTimeout, closeWait, rfcReplyWaits, credentials, fullWindows);
    }

    /** A copy with delivery off loopback allowed or not. */
    public RunnerOptions withAllowDelivery(boolean allow) {
        return new RunnerOptions(variables, allow, caseTimeout, closeWait, rfcReplyWaits, credentials, fullWindows);
    }

    /** A copy that listens for expect-none windows in full, or cuts them against a prompt server. */
    public RunnerOptions withFullWindows(boolean full) {
        return new RunnerOptions(variables, allowDelivery, caseTimeout, closeWait, rfcReplyWaits, credentials, full);
    }
}
