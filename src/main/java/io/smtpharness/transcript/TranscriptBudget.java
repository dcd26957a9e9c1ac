package io.smtpharness.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transcript volume one run may keep in memory for its report. A {@link Transcript} is bounded
 * per case; this bounds the sum, so a suite of thousands of cases against a server that fills every
 * transcript still fits a small heap. Once a run has kept {@link #RUN_CHARS}, each further case
 * keeps only its first and last {@link #TRIMMED_END_CHARS} characters. Thread-safe.
 */
public final class TranscriptBudget {

    /** Transcript characters a run keeps in full: about 250 cases with full transcripts. */
    public static final long RUN_CHARS = 32L * 1024 * 1024;
    /** Characters kept at each end of a transcript once the run's budget is spent. */
    public static final int TRIMMED_END_CHARS = 4 * 1024;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** A budget of {@link #RUN_CHARS}. */
    public TranscriptBudget() {
        this(RUN_CHARS);
    }

    /** A budget of {@code limit} characters (tests use small ones). */
    public TranscriptBudget(long limit) {
        this.limit = limit;
    }

    /** {@code events} as the run may keep them: whole while the budget lasts, else trimmed to both ends. */
    public List<TranscriptEvent> admit(List<TranscriptEvent> events) {
        long size = events.stream().mapToLong(e -> e.text().length()).sum();
        if (used.addAndGet(size) <= limit) {
            return events;
        }
        List<TranscriptEvent> trimmed = trim(events);
        used.addAndGet(trimmed.stream().mapToLong(e -> e.text().length()).sum() - size);
        return trimmed;
    }

    private List<TranscriptEvent> trim(List<TranscriptEvent> events) {
        int first = 0;
        for (long chars = 0; first < events.size() && chars + events.get(first).text().length() <= TRIMMED_END_CHARS; first++) {
            chars += events.get(first).text().length();
        }
        int last = events.size();
        for (long chars = 0; last > first && chars + events.get(last - 1).text().length() <= TRIMMED_END_CHARS; last--) {
            chars += events.get(last - 1).text().length();
        }
        if (last == first) {
            return events;
        }
        long leftOut = events.subList(first, last).stream().mapToLong(e -> e.text().length()).sum();
        List<TranscriptEvent> kept = new ArrayList<>(events.subList(0, first));
        kept.add(new TranscriptEvent(events.get(first).tMs(), Direction.NOTE, (last - first) + " events (" + leftOut
                + " characters) left out here: the run's transcripts passed " + limit
                + " characters, so later cases keep " + TRIMMED_END_CHARS / 1024 + " KiB at each end"));
        kept.addAll(events.subList(last, events.size()));
        return List.copyOf(kept);
    }
}
