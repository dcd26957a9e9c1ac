package io.smtpharness.transcript;

/**
 * Renders octets as printable text: printable ASCII stays, backslash doubles, CR, LF and HT become
 * {@code \r}, {@code \n}, {@code \t}, every other octet {@code \xNN}. So a bare LF in a reply or a
 * NUL in a command is visible in every report.
 */
public final class Escaping {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Escaping() {
    }

    /** Escapes {@code length} octets of {@code bytes} from {@code offset}. */
    public static String escape(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length + 8);
        for (int i = offset; i < offset + length; i++) {
            appendEscaped(out, bytes[i] & 0xff);
        }
        return out.toString();
    }

    /** Escapes all of {@code bytes}. */
    public static String escape(byte[] bytes) {
        return escape(bytes, 0, bytes.length);
    }

    /** Escapes a string whose chars are octets (ISO-8859-1), as the client frames them. */
    public static String escapeOctets(String octets) {
        StringBuilder out = new StringBuilder(octets.length() + 8);
        for (int i = 0; i < octets.length(); i++) {
            appendEscaped(out, octets.charAt(i) & 0xff);
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int b) {
        switch (b) {
            case '\r': out.append("\\r"); break;
            case '\n': out.append("\\n"); break;
            case '\t': out.append("\\t"); break;
            case '\\': out.append("\\\\"); break;
            default:
                if (b >= 32 && b < 127) {
                    out.append((char) b);
                } else {
                    out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
                }
        }
    }
}
