package io.smtpharness.rules;

import java.util.Locale;

/**
 * A rule's strength, as in RFC-RULES.md. What breaking each costs is decided in one place,
 * {@link Judge#severityOf(Level)}.
 */
public enum Level {
    MUST, SHOULD, MAY, DEF, GRAY;

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
