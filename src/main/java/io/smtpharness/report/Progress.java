package io.smtpharness.report;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a long command shows while it works, as users know it from Maven, Gradle and pytest: on a
 * terminal one status line, redrawn in place and cleared at the end; in a CI log, where a redrawn
 * line would be noise, the same status as a plain line every so often; otherwise (output piped to a
 * file, or {@code --quiet}) nothing. With {@code --verbose} each event (a case's verdict, a finding)
 * is a line of its own on standard output, above the status line. The status itself comes from the
 * command, which knows what it is doing; this class only decides how and when to show it.
 *
 * <p>Status and events may quote suite or server text, so control characters are shown escaped.
 */
public final class Progress implements AutoCloseable {

    /** How the status is shown. */
    public enum Mode {
        /** Not at all. */
        NONE,
        /** One line, redrawn in place (a terminal). */
        LINE,
        /** A plain line every {@link #PLAIN_EVERY} (a CI log). */
        PLAIN
    }

    static final Duration LINE_EVERY = Duration.ofMillis(250);
    static final Duration PLAIN_EVERY = Duration.ofSeconds(10);
    /** Erases the current line: carriage return, then "erase to end of line". */
    private static final String CLEAR = "\r\u001b[K";

    private final Mode mode;
    private final boolean verbose;
    private final PrintWriter status;
    private final PrintWriter events;
    private final Supplier<String> line;
    private final int width;
    private final long startNanos = System.nanoTime();
    private ScheduledExecutorService ticker;
    private boolean drawn;

    /**
     * @param status where the status goes (standard error: it is not the command's output)
     * @param events where {@code --verbose} lines go (standard output)
     * @param line the status now, without the elapsed time (added here)
     * @param width the terminal's width: a redrawn line must not wrap
     */
    Progress(Mode mode, boolean verbose, PrintWriter status, PrintWriter events, Supplier<String> line, int width) {
        this.mode = mode;
        this.verbose = verbose;
        this.status = status;
        this.events = events;
        this.line = line;
        this.width = Math.max(20, width);
    }

    /**
     * The mode for this process: nothing when {@code quiet}; a redrawn line on a {@code terminal}
     * that can redraw (not {@code TERM=dumb}); plain lines when the environment says CI (the
     * variable {@code CI}, which GitHub, GitLab, Jenkins' plugins and most others set); else nothing.
     */
    public static Mode mode(boolean quiet, boolean terminal, Map<String, String> environment) {
        if (quiet) {
            return Mode.NONE;
        }
        if (terminal && !"dumb".equals(environment.get("TERM"))) {
            return Mode.LINE;
        }
        String ci = environment.getOrDefault("CI", "");
        return ci.isEmpty() || ci.equalsIgnoreCase("false") || ci.equals("0") ? Mode.NONE : Mode.PLAIN;
    }

    /** The terminal's width from {@code COLUMNS} where the shell exports it, else 80. */
    public static int width(Map<String, String> environment) {
        try {
            return Integer.parseInt(environment.getOrDefault("COLUMNS", "80").trim());
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /** Starts showing {@code line} as {@code mode} says, until {@link #close}. */
    public static Progress start(Mode mode, boolean verbose, PrintWriter status, PrintWriter events,
                                 Supplier<String> line, int width) {
        Progress progress = new Progress(mode, verbose, status, events, line, width);
        if (mode != Mode.NONE) {
            Duration every = mode == Mode.LINE ? LINE_EVERY : PLAIN_EVERY;
            progress.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            progress.ticker.scheduleAtFixedRate(progress::draw, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
        return progress;
    }

    /** Whether events are shown (--verbose): a caller can skip building them otherwise. */
    public boolean verbose() {
        return verbose;
    }

    /** With --verbose, {@code text} as a line of its own, the status line redrawn under it. */
    public synchronized void event(String text) {
        if (!verbose) {
            return;
        }
        if (drawn) {
            status.print(CLEAR);
            status.flush();
        }
        events.println(SafeText.oneLine(text));
        events.flush();
        if (drawn) {
            drawn = false;
            draw();
        }
    }

    /** Shows the status now (the ticker calls this). */
    synchronized void draw() {
        String text = SafeText.oneLine(line.get()) + " · " + elapsed();
        switch (mode) {
            case LINE -> {
                status.print(CLEAR + (text.length() < width ? text : text.substring(0, width - 2) + "…"));
                drawn = true;
            }
            case PLAIN -> status.println(text);
            case NONE -> {
                return;
            }
        }
        status.flush();
    }

    private String elapsed() {
        long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** Stops the ticker and clears the status line, leaving the terminal as it was for the summary. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(1, TimeUnit.SECONDS); // a draw under way ends before the line is cleared
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (drawn) {
                status.print(CLEAR);
                status.flush();
                drawn = false;
            }
        }
    }
}
