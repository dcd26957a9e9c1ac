package io.smtpharness.suite;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The duration syntax of suite files: {@code 500ms}, {@code 3s}, {@code 2m}. */
public final class Durations {

    /** A longer wait is almost certainly a typo (ms for s), and it would stall a whole run. */
    static final Duration MAX = Duration.ofMinutes(10);

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private Durations() {
    }

    /** The duration; an {@link IllegalArgumentException} says what is wrong with invalid text. */
    public static Duration parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write a whole number with a unit: 500ms, 3s or 2m");
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = "ms".equals(m.group(2)) ? Duration.ofMillis(amount)
                : "s".equals(m.group(2)) ? Duration.ofSeconds(amount) : Duration.ofMinutes(amount);
        if (d.isZero()) {
            throw new IllegalArgumentException("duration '" + text + "' must be greater than zero");
        }
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("duration '" + text + "' is longer than the maximum of 10m");
        }
        return d;
    }
}
