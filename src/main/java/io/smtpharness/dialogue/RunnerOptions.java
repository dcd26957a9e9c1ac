package io.smtpharness.dialogue;

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
 * @param credentials    the account for {@code auth} steps (RFC 4954); empty: those cases are skipped
 */
public record RunnerOptions(Variables variables, boolean allowDelivery, Duration caseTimeout, Duration closeWait,
                            Optional<AuthCredentials> credentials) {

    public RunnerOptions {
        Objects.requireNonNull(variables, "variables == null");
        Objects.requireNonNull(caseTimeout, "caseTimeout == null");
        Objects.requireNonNull(closeWait, "closeWait == null");
        Objects.requireNonNull(credentials, "credentials == null");
    }

    /** Options without AUTH credentials. */
    public RunnerOptions(Variables variables, boolean allowDelivery, Duration caseTimeout, Duration closeWait) {
        this(variables, allowDelivery, caseTimeout, closeWait, Optional.empty());
    }

    /** A copy with AUTH credentials. */
    public RunnerOptions withCredentials(AuthCredentials account) {
        return new RunnerOptions(variables, allowDelivery, caseTimeout, closeWait, Optional.of(account));
    }

    /** Defaults: test-domain variables, no delivery off loopback, 2 minutes a case, 10 s to close. */
    public static RunnerOptions defaults() {
        return new RunnerOptions(Variables.defaults(), false, Duration.ofMinutes(2), Duration.ofSeconds(10));
    }

    /** A copy with other variables. */
    public RunnerOptions withVariables(Variables other) {
        return new RunnerOptions(other, allowDelivery, caseTimeout, closeWait, credentials);
    }

    /** A copy with delivery off loopback allowed or not. */
    public RunnerOptions withAllowDelivery(boolean allow) {
        return new RunnerOptions(variables, allow, caseTimeout, closeWait, credentials);
    }
}
