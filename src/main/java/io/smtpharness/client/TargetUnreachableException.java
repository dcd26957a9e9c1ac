package io.smtpharness.client;

import java.io.IOException;

/** The target could not be connected to at all (refused, unroutable, connect timeout). */
public final class TargetUnreachableException extends IOException {

    private static final long serialVersionUID = 1L;

    public TargetUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
