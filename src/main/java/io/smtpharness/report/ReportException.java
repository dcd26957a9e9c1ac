package io.smtpharness.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A report file or directory could not be written. Names the path, because the usual cause is a
 * {@code --report-dir} the user can fix.
 */
public final class ReportException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /** Wraps {@code cause}, naming the path that could not be written. */
    public ReportException(Path path, IOException cause) {
        super("cannot write report " + Objects.requireNonNull(path, "path == null") + ": " + describe(cause),
                cause);
        this.path = path;
    }

    /** The file or directory that could not be written. */
    public Path path() {
        return path;
    }

    // Many NIO exceptions carry only the path as their message; the class name says what went wrong.
    private static String describe(IOException cause) {
        String message = cause.getMessage();
        String kind = cause.getClass().getSimpleName();
        return message == null ? kind : kind + " (" + message + ")";
    }
}
