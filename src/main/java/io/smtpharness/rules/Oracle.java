package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import java.util.List;
import java.util.Set;

/** Judges one reply against one group of rules, adding a finding per rule broken or noted. */
public interface Oracle {

    /** Adds findings about {@code exchange} to {@code out}; adds nothing when the reply is fine. */
    void judge(Exchange exchange, List<Finding> out);

    /**
     * Every rule ID a finding of this oracle can cite, and no other: the oracle's share of the
     * catalogue's coverage. Each oracle builds it from the same constants its findings use, and
     * {@code OracleCoverageTest} checks the sources for IDs cited but not declared.
     */
    Set<String> covers();

    /**
     * True when this oracle judges which reply code the server chose, false when it judges only the
     * reply's form (syntax, enhanced status codes), so that {@link Oracles} can accept a 500 to an
     * over-long command line in one place (RFC 5321 §4.5.3.1.9).
     */
    default boolean judgesCodeChoice() {
        return true;
    }
}
