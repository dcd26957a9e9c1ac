package io.smtpharness.result;

import java.util.Locale;

/**
 * The verdict of one case, worst last: {@code passed}, {@code skipped} (precondition absent),
 * {@code warning} (a SHOULD rule broken or a gray zone), {@code failed} (a MUST rule broken),
 * {@code error} (the harness could not judge).
 */
public enum Status {
    PASSED, SKIPPED, WARNING, FAILED, ERROR;

    /** The lower-case name used in every report. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
