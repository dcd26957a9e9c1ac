package io.smtpharness.cli;

import io.smtpharness.report.Progress;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --verbose}: how much {@code run}, {@code fuzz} and {@code load} say while they work. */
final class OutputOptions {

    @Option(names = {"-q", "--quiet"}, description = "No progress while running (the summary at the end stays).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Each case's verdict (fuzz: each finding; load: each session "
            + "that did not pass) as a line of its own as it comes.")
    boolean verbose;

    /** Refuses --quiet with --verbose (before anything runs). */
    void check() {
        if (quiet && verbose) {
            throw new UsageException("--quiet and --verbose exclude each other");
        }
    }

    /**
     * Starts the progress of a command that writes its status and events to {@code err} and {@code out}:
     * a redrawn line on a terminal, plain lines every 10 s in CI, nothing with --quiet.
     */
    Progress start(Map<String, String> environment, PrintWriter out, PrintWriter err, Supplier<String> status) {
        check();
        Progress.Mode mode = Progress.mode(quiet, System.console() != null, environment);
        return Progress.start(mode, verbose, err, out, status, Progress.width(environment));
    }
}
