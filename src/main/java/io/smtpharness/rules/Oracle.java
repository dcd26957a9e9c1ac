package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import java.util.List;

/** Judges one reply against one group of rules, adding a finding per rule broken or noted. */
@FunctionalInterface
public interface Oracle {

    /** Adds findings about {@code exchange} to {@code out}; adds nothing when the reply is fine. */
    void judge(Exchange exchange, List<Finding> out);
}
