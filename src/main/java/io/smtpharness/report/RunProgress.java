package io.smtpharness.report;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunListener;
import io.smtpharness.result.Status;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The status of a scripted run for {@link Progress}: cases done of the total, the verdicts that
 * are not passes so far, and the case that has been running longest (the one to look at when a run
 * seems stuck). With --verbose, each case's verdict as it finishes.
 */
public final class RunProgress implements RunListener {

    private final int total;
    private volatile Progress progress;
    private int done;
    private final Map<Status, Integer> counts = new EnumMap<>(Status.class);
    /** Running cases, oldest first: suite/id → when it started. */
    private final Map<String, Long> running = new LinkedHashMap<>();

    /** The status of a run of {@code total} cases; {@link #showOn} says where it goes. */
    public RunProgress(int total) {
        this.total = total;
    }

    /** Shows this run's status and events through {@code progress}. */
    public void showOn(Progress progress) {
        this.progress = progress;
    }

    @Override
    public synchronized void runStarted(String target) {
        done = 0; // one run per MX host with --all-mx: each counts from zero
        counts.clear();
        running.clear();
    }

    @Override
    public synchronized void caseStarted(String suite, String id) {
        running.put(suite + "/" + id, System.nanoTime());
    }

    @Override
    public void caseFinished(CaseResult result) {
        synchronized (this) {
            done++;
            counts.merge(result.status(), 1, Integer::sum);
            running.remove(result.qualifiedId());
        }
        if (progress != null && progress.verbose()) {
            progress.event(verdictLine(result));
        }
    }

    /** One finished case: its verdict, id, rules and time, and why when it did not pass. */
    public static String verdictLine(CaseResult c) {
        return String.format(Locale.ROOT, "%-7s %s %s (%d ms)%s", c.status().label().toUpperCase(Locale.ROOT),
                c.qualifiedId(), c.rules(), c.durationMs(), c.status() == Status.PASSED ? "" : ": " + c.message());
    }

    /** The status now, e.g. {@code run: 57/202 cases, 2 failed, 1 warning · running smtp/x (1.2 s) and 3 more}. */
    public synchronized String status() {
        StringBuilder text = new StringBuilder("run: ").append(done).append('/').append(total).append(" cases, ")
                .append(counts.getOrDefault(Status.FAILED, 0)).append(" failed");
        for (Status s : new Status[] {Status.WARNING, Status.ERROR}) {
            int n = counts.getOrDefault(s, 0);
            if (n > 0) {
                text.append(", ").append(n).append(' ').append(s == Status.WARNING ? (n == 1 ? "warning" : "warnings")
                        : (n == 1 ? "error" : "errors"));
            }
        }
        running.entrySet().stream().findFirst().ifPresent(oldest -> {
            text.append(String.format(Locale.ROOT, " · running %s (%.1f s)", oldest.getKey(),
                    (System.nanoTime() - oldest.getValue()) / 1e9));
            if (running.size() > 1) {
                text.append(" and ").append(running.size() - 1).append(" more");
            }
        });
        return text.toString();
    }
}
