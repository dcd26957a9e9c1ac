package io.smtpharness.report;

/**
 * HTML escaping for index.html. Everything shown there may come from a hostile server, so every
 * string goes through {@link #text} (also safe inside double-quoted attributes); nothing else here
 * emits user data.
 */
final class Html {

    private Html() {
    }

    /** Escapes {@code & < > " '} and makes control characters visible ({@link SafeText#oneLine}). */
    static String text(String raw) {
        String safe = SafeText.oneLine(raw);
        StringBuilder out = new StringBuilder(safe.length() + 16);
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Escapes transcript text and wraps each escape sequence of the transcript format
     * ({@code \r}, {@code \n}, {@code \t}, {@code \\}, {@code \xNN}), or each run of them, in {@code <span class="esc">},
     * so a bare LF stands out from the text around it.
     */
    static String transcript(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length() + 32);
        int plainFrom = 0;
        int i = 0;
        while (i < escaped.length()) {
            int len = escapeLength(escaped, i);
            if (len == 0) {
                i++;
                continue;
            }
            // a run of escapes is one span: a line of 78 NULs is one element, not 78
            int end = i + len;
            for (int next; end < escaped.length() && (next = escapeLength(escaped, end)) > 0; ) {
                end += next;
            }
            out.append(text(escaped.substring(plainFrom, i)))
                    .append("<span class=\"esc\">").append(text(escaped.substring(i, end)))
                    .append("</span>");
            i = end;
            plainFrom = i;
        }
        return out.append(text(escaped.substring(plainFrom))).toString();
    }

    /** A string usable as an element id: letters, digits, '-' and '_' only. */
    static String id(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            out.append(plain ? c : '_');
        }
        return out.toString();
    }

    private static int escapeLength(String s, int i) {
        if (s.charAt(i) != '\\' || i + 1 >= s.length()) {
            return 0;
        }
        char next = s.charAt(i + 1);
        if (next == 'r' || next == 'n' || next == 't' || next == '\\') {
            return 2;
        }
        if (next == 'x' && i + 3 < s.length() && isHex(s.charAt(i + 2)) && isHex(s.charAt(i + 3))) {
            return 4;
        }
        return 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
