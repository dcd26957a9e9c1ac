package io.smtpharness.report;

/**
 * Makes arbitrary text safe for one line of a report. Case messages may quote server replies
 * unescaped, so they can hold NUL, ESC, bare CR/LF or lone surrogates; transcripts are already
 * escaped by {@code io.smtpharness.transcript.Escaping} and pass through unchanged.
 */
final class SafeText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {
    }

    /**
     * Replaces every control character (C0, DEL, C1), CR, LF and tab with the transcript's escape
     * form ({@code \r}, {@code \n}, {@code \t}, {@code \xNN}) and every lone surrogate with U+FFFD.
     * The result is one line that XML 1.0 accepts and a terminal cannot interpret.
     */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                appendSafe(out, c);
            }
        }
        return out.toString();
    }

    private static void appendSafe(StringBuilder out, char c) {
        switch (c) {
            case '\r': out.append("\\r"); return;
            case '\n': out.append("\\n"); return;
            case '\t': out.append("\\t"); return;
            default:
                break;
        }
        if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
            out.append("\\x").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        } else if (Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
            out.append('\uFFFD'); // a lone surrogate cannot be encoded, and XML 1.0 forbids FFFE/FFFF
        } else {
            out.append(c);
        }
    }
}
