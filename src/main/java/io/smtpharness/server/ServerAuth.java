package io.smtpharness.server;

import io.smtpharness.protocol.Sasl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The SASL side of AUTH (RFC 4954 §4) for one connection: PLAIN (RFC 4616), LOGIN and CRAM-MD5
 * (RFC 2195) against one {@link AuthAccount}. The command-level checks (EHLO first, not in a
 * transaction, not twice, TLS first) are {@link SmtpCommands}'; this class runs the exchange.
 */
final class ServerAuth {

    /** The mechanisms offered, as the EHLO keyword lists them. */
    static final String MECHANISMS = "PLAIN LOGIN CRAM-MD5";

    private static final Base64.Decoder STRICT = Base64.getDecoder();

    private enum Stage { PLAIN, LOGIN_USER, LOGIN_PASSWORD, CRAM }

    private final AuthAccount account;
    private final String hostname;
    /** The {@link Misbehaviour.StrictPlain} field limit, or 0: malformed PLAIN gets 535 like bad credentials. */
    private final int strictPlainField;
    private Stage stage;
    private String loginUser;
    private String challenge;

    ServerAuth(AuthAccount account, String hostname, int strictPlainField) {
        this.account = account;
        this.hostname = hostname;
        this.strictPlainField = strictPlainField;
    }

    /** True while the server waits for the client's next response line. */
    boolean pending() {
        return stage != null;
    }

    /** Ends an exchange without a verdict (a line too long, TLS, ...). */
    void cancel() {
        stage = null;
        loginUser = null;
        challenge = null;
    }

    /** {@code AUTH mechanism [initial-response]}: 334, 235, 535, 501 or 504. */
    String start(String arg) {
        String[] parts = arg.split(" ", -1);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1] : null;
        if (parts.length > 2) {
            return Replies.S501_SYNTAX;
        }
        switch (mechanism) {
            case "PLAIN":
                if (initial == null) {
                    stage = Stage.PLAIN;
                    return "334 \r\n";
                }
                return plain(initial.equals("=") ? "" : initial);
            case "LOGIN":
                if (initial == null) {
                    stage = Stage.LOGIN_USER;
                    return "334 " + Sasl.base64("Username:") + "\r\n";
                }
                stage = Stage.LOGIN_USER;
                return respond(initial);
            case "CRAM-MD5":
                if (initial != null) {
                    return Replies.S501_NO_INITIAL_RESPONSE;
                }
                stage = Stage.CRAM;
                challenge = "<" + Long.toUnsignedString(new SecureRandom().nextLong()) + "." + System.currentTimeMillis()
                        + "@" + hostname + ">";
                return "334 " + Sasl.base64(challenge) + "\r\n";
            default:
                return Replies.S504_UNKNOWN_MECHANISM;
        }
    }

    /** One response line of the client during an exchange. */
    String respond(String line) {
        Stage current = stage;
        if (line.equals("*")) {
            cancel();
            return Replies.S501_AUTH_CANCELLED;
        }
        byte[] decoded;
        try {
            decoded = STRICT.decode(line);
        } catch (IllegalArgumentException e) {
            cancel();
            return Replies.S501_BAD_BASE64;
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        switch (current) {
            case PLAIN:
                cancel();
                return plainDecoded(text);
            case LOGIN_USER:
                loginUser = text;
                stage = Stage.LOGIN_PASSWORD;
                return "334 " + Sasl.base64("Password:") + "\r\n";
            case LOGIN_PASSWORD:
                String user = loginUser;
                cancel();
                return verdict(account.user().equals(user) && account.password().equals(text));
            default: // CRAM
                String expected = Sasl.cramMd5Text(account.user(), account.password(), challenge);
                cancel();
                return verdict(MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                        text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private String plain(String initial) {
        try {
            return plainDecoded(new String(STRICT.decode(initial), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Replies.S501_BAD_BASE64;
        }
    }

    // authzid NUL authcid NUL passwd (RFC 4616 §2); an authzid other than empty or the user is refused
    private String plainDecoded(String text) {
        String[] fields = text.split("\u0000", -1);
        if (strictPlainField > 0 && (fields.length != 3 || java.util.Arrays.stream(fields)
                .anyMatch(f -> f.getBytes(StandardCharsets.UTF_8).length > strictPlainField))) {
            return "500 5.5.2 Error: invalid userdata\r\n";
        }
        if (fields.length != 3) {
            return Replies.S535_BAD_CREDENTIALS;
        }
        boolean authzOk = fields[0].isEmpty() || fields[0].equals(fields[1]);
        return verdict(authzOk && account.user().equals(fields[1]) && account.password().equals(fields[2]));
    }

    private static String verdict(boolean ok) {
        return ok ? Replies.S235_AUTHENTICATED : Replies.S535_BAD_CREDENTIALS;
    }
}
