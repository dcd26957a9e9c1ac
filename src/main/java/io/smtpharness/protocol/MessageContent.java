package io.smtpharness.protocol;

import java.nio.charset.StandardCharsets;

/** Message content as DATA sends it (RFC 5321 §4.1.1.4, §4.5.2). */
public final class MessageContent {

    private MessageContent() {
    }

    /**
     * The octets that send {@code content} after a 354: every line end (CRLF or LF) becomes CRLF, a
     * line starting with "." gets another (transparency, §4.5.2), and the end-of-data line follows. A
     * final line end is the last line's, not an empty line after it. A bare CR stays as it is.
     *
     * <p>Sized exactly in a first pass: a case sends a message over a server's SIZE limit (tens of
     * MiB), and growing a buffer by doubling would need several times that in a small heap.
     */
    public static byte[] encode(String content) {
        byte[] in = content.getBytes(StandardCharsets.UTF_8);
        int end = in.length;
        if (end >= 2 && in[end - 2] == '\r' && in[end - 1] == '\n') {
            end -= 2;
        } else if (end >= 1 && in[end - 1] == '\n') {
            end -= 1;
        }
        byte[] out = new byte[encode(in, end, null)];
        encode(in, end, out);
        return out;
    }

    /** Writes the encoding of {@code in[0, end)} into {@code out} (when not null); returns its length. */
    private static int encode(byte[] in, int end, byte[] out) {
        int n = 0;
        boolean lineStart = true;
        for (int i = 0; i < end; i++) {
            byte b = in[i];
            boolean crlf = b == '\r' && i + 1 < end && in[i + 1] == '\n';
            if (crlf || b == '\n') {
                n = put(out, n, (byte) '\r', (byte) '\n');
                i += crlf ? 1 : 0;
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') {
                n = put(out, n, (byte) '.');
            }
            n = put(out, n, b);
            lineStart = false;
        }
        if (end > 0) {
            n = put(out, n, (byte) '\r', (byte) '\n');
        }
        return put(out, n, (byte) '.', (byte) '\r', (byte) '\n');
    }

    private static int put(byte[] out, int at, byte... octets) {
        if (out != null) {
            System.arraycopy(octets, 0, out, at, octets.length);
        }
        return at + octets.length;
    }
}
