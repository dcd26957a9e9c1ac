package io.smtpharness.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SASL encodings of an AUTH exchange (RFC 4954 §4): base64 lines, PLAIN's message (RFC 4616)
 * and CRAM-MD5's response (RFC 2195). The client and the reference server encode alike.
 */
public final class Sasl {

    private Sasl() {
    }

    /** {@code text} as UTF-8, base64-encoded: what a 334 line and an AUTH response carry. */
    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The text a 334 line's base64 stands for; the line itself when it is not base64 (a broken server's). */
    public static String decodeLenient(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return base64;
        }
    }

    /** PLAIN's message, base64: no authorisation identity, NUL, the user, NUL, the password (RFC 4616 §2). */
    public static String plain(String user, String password) {
        return base64("\0" + user + "\0" + password);
    }

    /** CRAM-MD5's response to a decoded challenge, base64: the user, a space, the keyed digest (RFC 2195 §2). */
    public static String cramMd5(String user, String password, String challenge) {
        return base64(cramMd5Text(user, password, challenge));
    }

    /** CRAM-MD5's response before base64: the user, a space, the hex HMAC-MD5 of the challenge keyed with the password. */
    public static String cramMd5Text(String user, String password, String challenge) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            return user + " " + HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 unavailable", e);
        }
    }
}
