package io.smtpharness.dialogue;

import java.util.Objects;

/**
 * The account {@code auth} steps log in with (RFC 4954). Never printed: {@link #toString()} hides
 * the password, and the runner registers every form of it with the transcript for redaction.
 */
public record AuthCredentials(String user, String password) {

    public AuthCredentials {
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(password, "password == null");
        if (user.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("AUTH user and password must not be empty");
        }
    }

    @Override
    public String toString() {
        return "AuthCredentials[user=" + user + ", password=<redacted>]";
    }
}
