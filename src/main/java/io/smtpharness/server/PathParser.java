package io.smtpharness.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses the argument of MAIL and RCPT: {@code FROM:} / {@code TO:}, a path in angle brackets and
 * optional ESMTP parameters (RFC 5321 §4.1.1.2, §4.1.1.3, §4.1.2).
 *
 * <p>Spaces after the colon are tolerated (gray zone G-03); everything else follows the grammar, so
 * {@code FROM:a@b@c} is refused while quoted local parts, address literals and source routes parse.
 */
final class PathParser {

    /** One ESMTP parameter; {@code value} is null when the keyword had no "=". */
    record Param(String keyword, String value) {
    }

    /**
     * A parsed path: {@code mailbox} without route or brackets ("" for the null reverse-path),
     * {@code domain} of the mailbox ("" for the null path and bare postmaster).
     */
    record ParsedPath(String mailbox, String domain, List<Param> params) {
        ParsedPath {
            params = List.copyOf(params);
        }

        boolean isBarePostmaster() {
            return domain.isEmpty() && mailbox.equalsIgnoreCase("postmaster");
        }
    }

    private PathParser() {
    }

    /** Parses {@code MAIL} arguments ({@code FROM:<reverse-path> [params]}); empty on a syntax error. */
    static Optional<ParsedPath> parseMail(String argument) {
        return parse(argument, "FROM:", true);
    }

    /** Parses {@code RCPT} arguments ({@code TO:<forward-path> [params]}); empty on a syntax error. */
    static Optional<ParsedPath> parseRcpt(String argument) {
        return parse(argument, "TO:", false);
    }

    private static Optional<ParsedPath> parse(String argument, String prefix, boolean reverse) {
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return Optional.empty();
        }
        String rest = argument.substring(prefix.length()).stripLeading();
        int close = closingBracket(rest);
        if (!rest.startsWith("<") || close < 0) {
            return Optional.empty();
        }
        List<Param> params = parseParams(rest.substring(close + 1));
        if (params == null) {
            return Optional.empty();
        }
        String inner = rest.substring(1, close);
        if (inner.isEmpty()) {
            return reverse ? Optional.of(new ParsedPath("", "", params)) : Optional.empty();
        }
        if (!reverse && inner.equalsIgnoreCase("postmaster")) {
            return Optional.of(new ParsedPath(inner, "", params));
        }
        String mailbox = stripSourceRoute(inner);
        int at = mailbox == null ? -1 : mailbox.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String local = mailbox.substring(0, at);
        String domain = mailbox.substring(at + 1);
        boolean localOk = AddressSyntax.isDotString(local) || AddressSyntax.isQuotedString(local);
        boolean domainOk = AddressSyntax.isDomain(domain) || AddressSyntax.isAddressLiteral(domain);
        return localOk && domainOk ? Optional.of(new ParsedPath(mailbox, domain, params)) : Optional.empty();
    }

    /** The index of the '>' that closes the path, skipping quoted strings; -1 if there is none. */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** Drops an {@code @a,@b:} source route after checking its domains (RFC 5321 §4.1.2, A-d-l); null if bad. */
    private static String stripSourceRoute(String inner) {
        if (!inner.startsWith("@")) {
            return inner;
        }
        int colon = inner.indexOf(':');
        if (colon < 0) {
            return null;
        }
        for (String atDomain : inner.substring(0, colon).split(",", -1)) {
            if (!atDomain.startsWith("@") || !AddressSyntax.isDomain(atDomain.substring(1))) {
                return null;
            }
        }
        return inner.substring(colon + 1);
    }

    /** {@code esmtp-param *(SP esmtp-param)} after the path; null on a syntax error. */
    private static List<Param> parseParams(String s) {
        List<Param> params = new ArrayList<>();
        if (s.isBlank()) {
            return params;
        }
        if (!s.startsWith(" ")) {
            return null;
        }
        for (String token : s.strip().split(" +")) {
            int eq = token.indexOf('=');
            String keyword = eq < 0 ? token : token.substring(0, eq);
            String value = eq < 0 ? null : token.substring(eq + 1);
            if (!keyword.matches("[A-Za-z0-9][A-Za-z0-9-]*")
                    || (value != null && !value.matches("[\\x21-\\x3C\\x3E-\\x7E]+"))) {
                return null;
            }
            params.add(new Param(keyword, value));
        }
        return params;
    }
}
