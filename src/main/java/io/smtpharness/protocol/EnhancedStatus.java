package io.smtpharness.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An enhanced mail system status code, {@code class "." subject "." detail} (RFC 3463 §2, RFC 2034
 * §4): class 2, 4 or 5; subject and detail one to three digits, none with a leading zero.
 *
 * @param codeClass the class: 2 success, 4 persistent transient failure, 5 permanent failure
 * @param subject   0 to 999
 * @param detail    0 to 999
 */
public record EnhancedStatus(int codeClass, int subject, int detail) {

    private static final Pattern STRICT = Pattern.compile("([245])\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
    /** Anything a server may have meant as a status code: digits and dots, white space allowed around the dots. */
    private static final Pattern LOOSE = Pattern.compile("^[0-9]+ ?\\. ?[0-9]+ ?\\. ?[0-9]+");

    public EnhancedStatus {
        if (codeClass != 2 && codeClass != 4 && codeClass != 5) {
            throw new IllegalArgumentException("class must be 2, 4 or 5: " + codeClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("subject and detail are 0 to 999: " + subject + "." + detail);
        }
    }

    /** The code, when {@code token} is exactly one well-formed status code. */
    public static Optional<EnhancedStatus> parse(String token) {
        Matcher m = STRICT.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatus(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    /**
     * What a reply text starts with, as far as a status code goes: the strict code and the text it
     * was read from ({@code "5.1.1"}), or, when the text starts with something code-like that is
     * not one ({@code "5.01.1"}, {@code "5. 1.1"}, {@code "6.1.1"}), only that text; empty when the
     * text does not start with digits and dots at all.
     */
    public static Optional<Lead> leadOf(String text) {
        Matcher loose = LOOSE.matcher(text);
        if (!loose.find()) {
            return Optional.empty();
        }
        String raw = loose.group();
        boolean endsToken = raw.length() == text.length() || text.charAt(raw.length()) == ' ';
        return Optional.of(new Lead(raw, endsToken ? parse(raw) : Optional.empty()));
    }

    /**
     * The start of a reply text that looks like a status code.
     *
     * @param raw    the code-like text as sent
     * @param status the code, when {@code raw} is a well-formed one followed by a space or the end
     */
    public record Lead(String raw, Optional<EnhancedStatus> status) {

        /** True when the code-like text holds white space (RFC 3463 §2 forbids it). */
        public boolean hasWhitespace() {
            return raw.indexOf(' ') >= 0;
        }

        /** True when a sub-code has a leading zero ("5.01.1", "05.1.1"; RFC 3463 §2 forbids it). */
        public boolean hasLeadingZero() {
            for (String part : raw.replace(" ", "").split("\\.")) {
                if (part.length() > 1 && part.charAt(0) == '0') {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public String toString() {
        return codeClass + "." + subject + "." + detail;
    }
}
