package io.smtpharness.rules;

import io.smtpharness.result.Severity;
import java.util.Locale;

/**
 * A rule's strength, as in RFC-RULES.md: breaking a MUST fails a case, a SHOULD warns, a gray
 * zone warns at most, MAY and definitions only note.
 */
public enum Level {
    MUST, SHOULD, MAY, DEF, GRAY;

    /** What breaking a rule of this level costs. */
    public Severity breach() {
        switch (this) {
            case MUST: return Severity.FAILED;
            case SHOULD: case GRAY: return Severity.WARNING;
            default: return Severity.NOTE;
        }
    }

    /** Reads the level column of RFC-RULES.md ("MUST NOT", "SHOULD (be prepared)", "DEF (will)", ...). */
    public static Level parse(String column) {
        String upper = column.trim().toUpperCase(Locale.ROOT);
        for (Level level : values()) {
            if (upper.startsWith(level.name())) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown rule level '" + column + "'");
    }
}
