package io.smtpharness.dialogue;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an {@code expect} step accepts: one or more code patterns, each three characters of digits
 * or {@code x} as a wildcard: {@code 250} (exact), {@code 2xx} (class), {@code 55x}.
 */
public record ReplyMatcher(List<String> patterns) {

    private static final Pattern PATTERN = Pattern.compile("[2-5x][0-9x][0-9x]");

    /** Matches any reply at all. */
    public static final ReplyMatcher ANY = new ReplyMatcher(List.of("xxx"));

    public ReplyMatcher {
        patterns = List.copyOf(Objects.requireNonNull(patterns, "patterns == null"));
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("a matcher needs at least one code pattern");
        }
        for (String p : patterns) {
            if (!isValidPattern(p)) {
                throw new IllegalArgumentException("'" + p + "' is not a reply code pattern like 250, 2xx or 55x");
            }
        }
    }

    /** Builds a matcher from patterns such as {@code "250"} and {@code "2xx"}. */
    public static ReplyMatcher of(String... patterns) {
        return new ReplyMatcher(List.of(patterns));
    }

    /** True when {@code pattern} is a valid code pattern (case-insensitive x). */
    public static boolean isValidPattern(String pattern) {
        return pattern != null && PATTERN.matcher(pattern).matches();
    }

    /** True when the three-digit {@code code} matches one pattern; a reply with no code (-1) never does. */
    public boolean matches(int code) {
        if (code < 200 || code > 599) {
            return false;
        }
        String digits = Integer.toString(code);
        return patterns.stream().anyMatch(p -> matches(p, digits));
    }

    private static boolean matches(String pattern, String digits) {
        for (int i = 0; i < 3; i++) {
            char p = pattern.charAt(i);
            if (p != 'x' && p != digits.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(" or ", patterns);
    }
}
