package io.smtpharness.cli;

/** Bad user input found after parsing: a malformed target, no matching cases, and the like. Exit 2. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
