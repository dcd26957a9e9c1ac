package io.smtpharness.cli;

import io.smtpharness.dialogue.AuthCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * AUTH credentials from the command line: the user from {@code --auth-user}, the password from the
 * environment or a file, never from an argument (arguments show in process lists and shell history).
 */
final class AuthOptions {

    /** The environment variable that holds the AUTH password. */
    static final String PASSWORD_VARIABLE = "SMTP_HARNESS_AUTH_PASSWORD";

    private AuthOptions() {
    }

    /** The credentials, or empty without {@code --auth-user}; a user without a password is a usage error. */
    static Optional<AuthCredentials> credentials(String user, Path passwordFile) {
        if (user == null) {
            if (passwordFile != null) {
                throw new UsageException("--auth-password-file needs --auth-user");
            }
            return Optional.empty();
        }
        String password;
        if (passwordFile != null) {
            try {
                List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                password = lines.isEmpty() ? "" : lines.get(0);
            } catch (IOException e) {
                throw new UsageException("--auth-password-file: cannot read " + passwordFile + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        } else {
            password = System.getenv(PASSWORD_VARIABLE);
        }
        if (password == null || password.isEmpty() || user.isEmpty()) {
            throw new UsageException("--auth-user needs a password: set " + PASSWORD_VARIABLE
                    + " or give --auth-password-file");
        }
        return Optional.of(new AuthCredentials(user, password));
    }
}
