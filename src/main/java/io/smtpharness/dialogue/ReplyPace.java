package io.smtpharness.dialogue;

import java.time.Duration;
import java.util.Optional;

/**
 * How promptly one run's server answers commands: the delays of its most recent replies. A window in
 * which no reply may come (an {@code expect-none} step) only has to outlast the reply the server
 * would give if it did answer, and a suite writes its windows for any server. Against a server that
 * has shown it answers at once, a window is cut to a generous multiple of its slowest recent reply,
 * never below {@link #FLOOR} and never beyond what the suite wrote. No RFC rule puts a time on these
 * windows (RFC-RULES: the rules they cite say what may not be answered, not how long to listen), so
 * the cut only decides how long the harness listens; a server that slows down lengthens the windows
 * again at once. Thread-safe.
 */
final class ReplyPace {

    /** Replies a server must have given before any window is cut. */
    static final int MIN_REPLIES = 20;
    /**
     * How fast a slow reply is forgotten: its weight halves every this long. A stall (a cold or busy
     * server, or harness) lengthens the windows that follow it, and less so the longer ago it was.
     */
    static final Duration HALF_LIFE = Duration.ofMillis(500);
    /** A cut window lasts this many times the slowest recent reply. */
    static final int FACTOR = 5;
    /** No window is cut below this, however prompt the server. */
    static final Duration FLOOR = Duration.ofMillis(250);

    private long replies;
    /** The slowest reply so far, each weighed down by its age, as of {@link #asOfNanos}. */
    private double slowestNanos;
    private long asOfNanos;

    /** A reply to a command arrived at {@code atNanos}, {@code delayNanos} after the last octets sent before it. */
    synchronized void record(long delayNanos, long atNanos) {
        slowestNanos = Math.max(slowestAt(atNanos), Math.max(delayNanos, 0));
        asOfNanos = Math.max(asOfNanos, atNanos);
        replies++;
    }

    /**
     * The window to listen for at {@code nowNanos} instead of {@code written}: empty when the suite's
     * own window stands (too few replies seen yet, or the server not prompt enough for a cut).
     */
    synchronized Optional<Cut> cut(Duration written, long nowNanos) {
        if (replies < MIN_REPLIES) {
            return Optional.empty();
        }
        double slowest = slowestAt(nowNanos);
        Duration window = Duration.ofNanos((long) Math.max(FLOOR.toNanos(), Math.min(slowest * FACTOR, Long.MAX_VALUE)));
        return window.compareTo(written) >= 0 ? Optional.empty()
                : Optional.of(new Cut(window, written, Duration.ofNanos((long) slowest)));
    }

    private double slowestAt(long nowNanos) {
        long age = Math.max(nowNanos - asOfNanos, 0);
        return replies == 0 ? 0 : slowestNanos * Math.pow(0.5, (double) age / HALF_LIFE.toNanos());
    }

    /**
     * A window cut short.
     *
     * @param window  how long the harness listens
     * @param written the window the suite wrote
     * @param slowest the server's slowest reply, weighed down by its age
     */
    record Cut(Duration window, Duration written, Duration slowest) {

        /** The transcript's account of the cut. */
        String note() {
            return "listening " + window.toMillis() + " ms, not the suite's " + written.toMillis() + " ms: the"
                    + " server's replies in this run took " + millis(slowest) + " at most (a slow reply's weight halves"
                    + " every " + HALF_LIFE.toMillis() + " ms; windows last " + FACTOR + "x that, at least "
                    + FLOOR.toMillis() + " ms; --full-windows waits in full)";
        }

        private static String millis(Duration d) {
            return d.toMillis() > 0 ? d.toMillis() + " ms" : "under 1 ms";
        }
    }
}
