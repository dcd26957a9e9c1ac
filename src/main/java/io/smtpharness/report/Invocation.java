package io.smtpharness.report;

import java.util.Map;
import java.util.Objects;

/**
 * How the harness was started, for the reports that say so (Allure's environment and executor):
 * the command line as given (passwords never go on it) and the environment variables it ran with.
 *
 * @param command     e.g. {@code run --target 127.0.0.1:2525 --tags tls}; empty when not from the command line
 * @param environment the process's environment (CI services describe the build in it)
 */
public record Invocation(String command, Map<String, String> environment) {

    /** A run started from code: nothing to say. */
    public static final Invocation NONE = new Invocation("", Map.of());

    public Invocation {
        Objects.requireNonNull(command, "command == null");
        environment = Map.copyOf(environment);
    }
}
