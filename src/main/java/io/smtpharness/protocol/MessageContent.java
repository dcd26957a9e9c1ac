package io.smtpharness.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Message content as DATA sends it (RFC 5321 §4.1.1.4, §4.5.2). */
public final class MessageContent {

    private MessageContent() {
    }

    /**
     * The octets that send {@code content} after a 354: every line end becomes CRLF, a line starting
     * with "." gets another (transparency, §4.5.2), and the end-of-data line follows.
     */
    public static byte[] encode(String content) {
        String normalized = content.replace("\r\n", "\n");
        if (normalized.endsWith("\n")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(normalized.length() + 16);
        if (!normalized.isEmpty()) {
            for (String line : normalized.split("\n", -1)) {
                byte[] bytes = ((line.startsWith(".") ? "." : "") + line + "\r\n").getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }
}
