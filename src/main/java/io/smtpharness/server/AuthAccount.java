package io.smtpharness.server;

import java.util.Objects;

/**
 * The one account the reference server authenticates (RFC 4954: PLAIN, LOGIN, CRAM-MD5). A test
 * account: the password is held as given so CRAM-MD5 can be checked; {@link #toString()} hides it.
 */
public record AuthAccount(String user, String password) {

    /** The documented account of {@code serve} and of the embedded server of {@code run}. */
    public static final AuthAccount TEST = new AuthAccount("harness", "harness-test-password");

    public AuthAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("user and password must not be empty");
        }
    }

    @Override
    public String toString() {
        return "AuthAccount[user=" + user + ", password=<redacted>]";
    }
}
