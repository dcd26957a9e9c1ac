package io.smtpharness.suite;

/**
 * A suite file that cannot be used: unreadable, not YAML, or not a valid suite. The message always
 * reads {@code file:line: what is wrong} (or {@code file: what is wrong} when no line applies), so
 * the CLI can print it as is and map it to exit code 2.
 */
public final class SuiteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final int line;
    private final String problem;

    /**
     * Creates the error.
     *
     * @param path    the file as the user named it (or {@code test-suites/NAME.yaml} for built-in ones)
     * @param line    1-based line, or 0 when the problem has no line (file too large, missing file)
     * @param problem what is wrong, without the location
     */
    public SuiteException(String path, int line, String problem) {
        this(path, line, problem, null);
    }

    /** Creates the error with the exception that revealed it. */
    public SuiteException(String path, int line, String problem, Throwable cause) {
        super(format(path, line, problem), cause);
        this.path = path;
        this.line = Math.max(0, line);
        this.problem = problem;
    }

    /** The file the problem is in, as named to the loader. */
    public String path() {
        return path;
    }

    /** The 1-based line of the problem, or 0 when unknown or not applicable. */
    public int line() {
        return line;
    }

    /** What is wrong, without the {@code file:line:} prefix. */
    public String problem() {
        return problem;
    }

    private static String format(String path, int line, String problem) {
        return line > 0 ? path + ":" + line + ": " + problem : path + ": " + problem;
    }
}
