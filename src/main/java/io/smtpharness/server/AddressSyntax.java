package io.smtpharness.server;

/**
 * Recognisers for the RFC 5321 §4.1.2/§4.1.3 grammar pieces the server checks: Domain, address
 * literals, Dot-string and Quoted-string local parts.
 */
final class AddressSyntax {

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private AddressSyntax() {
    }

    /** {@code Domain = sub-domain *("." sub-domain)}, letters, digits and inner hyphens only (no underscore). */
    static boolean isDomain(String s) {
        if (s.isEmpty() || s.length() > 255) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.endsWith("-") || !isLetDig(label.charAt(0))) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                if (!isLetDig(label.charAt(i)) && label.charAt(i) != '-') {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code address-literal = "[" ( IPv4 / "IPv6:" IPv6 ) "]"}; unregistered general tags are refused. */
    static boolean isAddressLiteral(String s) {
        if (s.length() < 3 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ']') {
            return false;
        }
        String inner = s.substring(1, s.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            return isIpv6(inner.substring(5));
        }
        return isIpv4(inner);
    }

    /** {@code Dot-string = Atom *("." Atom)}. */
    static boolean isDotString(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (String atom : s.split("\\.", -1)) {
            if (atom.isEmpty() || !atom.chars().allMatch(AddressSyntax::isAtext)) {
                return false;
            }
        }
        return true;
    }

    /** {@code Quoted-string = DQUOTE *(qtextSMTP / quoted-pair) DQUOTE}, printable ASCII only. */
    static boolean isQuotedString(String s) {
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= s.length() - 1 || s.charAt(i) < 32 || s.charAt(i) > 126) {
                    return false;
                }
            } else if (c < 32 || c > 126 || c == '"') {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(AddressSyntax::isDigit)
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    // Full, compressed ("::") and IPv4-tail forms of RFC 5321 §4.1.3.
    static boolean isIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int groups = countGroups(head, doubleColon < 0);
        int tailGroups = doubleColon >= 0 ? countGroups(tail, true) : 0;
        if (groups < 0 || tailGroups < 0) {
            return false;
        }
        int total = groups + tailGroups;
        // "::" stands for at least two zero groups, so at most 6 may be written beside it.
        return doubleColon >= 0 ? total <= 6 : total == 8;
    }

    /** Counts 16-bit groups in a colon list (an IPv4 tail counts 2), or -1 when malformed. */
    private static int countGroups(String s, boolean mayEndWithIpv4) {
        if (s.isEmpty()) {
            return 0;
        }
        String[] parts = s.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            boolean last = i == parts.length - 1;
            if (last && mayEndWithIpv4 && p.contains(".")) {
                if (!isIpv4(p)) {
                    return -1;
                }
                count += 2;
            } else if (!p.isEmpty() && p.length() <= 4 && p.chars().allMatch(AddressSyntax::isHex)) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }

    private static boolean isAtext(int c) {
        return isLetDig(c) || ATEXT_SPECIALS.indexOf(c) >= 0;
    }

    private static boolean isLetDig(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
