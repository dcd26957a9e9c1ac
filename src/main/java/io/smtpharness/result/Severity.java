package io.smtpharness.result;

/** What one finding costs the case: a note leaves it passed. */
public enum Severity {
    NOTE, WARNING, FAILED;

    /** The case status this severity alone would give. */
    public Status toStatus() {
        switch (this) {
            case FAILED: return Status.FAILED;
            case WARNING: return Status.WARNING;
            default: return Status.PASSED;
        }
    }
}
