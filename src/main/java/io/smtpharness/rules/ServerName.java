package io.smtpharness.rules;

import java.util.regex.Pattern;

/**
 * The name a server gives for itself at the start of a greeting-type or EHLO reply (RFC 5321
 * §4.1.1.1, §4.2, §4.3.1): a Domain (§4.1.2: LDH labels separated by dots; a trailing dot is
 * tolerated) or an address literal in brackets (§4.1.3, read leniently: any bracketed token).
 */
final class ServerName {

    private static final Pattern DOMAIN = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("\\[[^\\[\\]\\s]+]");

    private ServerName() {
    }

    /** True when {@code token} is a Domain or an address literal. */
    static boolean isDomainOrAddressLiteral(String token) {
        return DOMAIN.matcher(token).matches() || ADDRESS_LITERAL.matcher(token).matches();
    }
}
