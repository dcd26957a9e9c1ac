package io.smtpharness.transcript;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How AUTH lines (RFC 4954) appear in transcripts: the verb and mechanism stay readable, every
 * initial response and every response line is replaced by its length, except the cancel line
 * {@code *}, which carries nothing secret. Nothing of the original octets survives.
 */
public final class AuthRedaction {

    private AuthRedaction() {
    }

    /** The transcript text for one AUTH line as sent (octets with its CRLF). */
    public static String redact(byte[] octets) {
        String line = new String(octets, StandardCharsets.ISO_8859_1);
        String end = line.endsWith("\r\n") ? "\r\n" : "";
        String body = line.substring(0, line.length() - end.length());
        String[] words = body.split(" ", -1);
        if (words.length >= 2 && words[0].toUpperCase(Locale.ROOT).equals("AUTH")) {
            String shown = words[0] + " " + words[1];
            int secret = body.length() - shown.length() - (words.length > 2 ? 1 : 0);
            return Escaping.escapeOctets(shown + (words.length > 2 ? " <initial response, " + secret
                    + " octets, redacted>" : "") + end);
        }
        if (body.equals("*")) {
            return Escaping.escapeOctets(line);
        }
        return "<AUTH response, " + body.length() + " octets, redacted>" + Escaping.escapeOctets(end);
    }
}
