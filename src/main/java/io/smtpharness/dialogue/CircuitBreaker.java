package io.smtpharness.dialogue;

import io.smtpharness.dialogue.DialogueExecution.Contact;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stops a run whose target stopped answering: after {@link #THRESHOLD} cases in a row whose
 * connection got no greeting (refused, reset, silent), the cases not yet started end {@code error}
 * at once instead of each waiting out its own deadline. A greeting resets the count. The cases
 * whose connection the server dropped just before that are the crash evidence: they are named.
 * Thread-safe. Cases may report in another order than they ran (threads): only a case that
 * started after a drop and was served normally shows the server survived it and clears the drop;
 * one that was already running when it came shows nothing.
 */
final class CircuitBreaker {

    /** Cases in a row without a greeting that open the breaker. */
    static final int THRESHOLD = 3;

    private int silentInARow;
    private String lastGreeted;
    /** Cases greeted and then dropped by the server since the last case that ended normally. */
    private final List<String> dropped = new ArrayList<>();
    /** When the last dropped case's session ended (System.nanoTime). */
    private long lastDropNanos;
    /** The failure that opened the breaker; null while it is shut. */
    private String lastFailure;

    /** Counts one finished case, whose session started and ended at the given System.nanoTime values. */
    synchronized void record(String caseId, Contact contact, String message, long startedNanos, long endedNanos) {
        if (contact == Contact.LOST) {
            // after opening too: a dropped case may finish after the refusals that opened the breaker
            dropped.add(caseId);
            lastDropNanos = dropped.size() == 1 ? endedNanos : Math.max(lastDropNanos, endedNanos);
            return;
        }
        if (lastFailure != null || contact == Contact.NOT_TRIED) {
            return;
        }
        if (contact == Contact.GREETED) {
            silentInARow = 0;
            lastGreeted = caseId;
            if (dropped.isEmpty() || startedNanos - lastDropNanos > 0) {
                dropped.clear(); // a connection made after the drops was served normally: they were no crash
            }
        } else if (++silentInARow >= THRESHOLD) {
            lastFailure = message;
        }
    }

    /** Why the run stops, once it does; it names the cases known by now to have been dropped. */
    synchronized Optional<String> reason() {
        if (lastFailure == null) {
            return Optional.empty();
        }
        String silence = THRESHOLD + " connections in a row got no greeting (the last: " + lastFailure + ")";
        if (dropped.isEmpty()) {
            return Optional.of("the target stopped answering after " + (lastGreeted != null ? "case " + lastGreeted
                    : "the pre-flight check") + ": " + silence);
        }
        // every case whose connection it dropped was running when it went; one of them did it
        return Optional.of("the target stopped answering during case " + dropped.get(0) + (dropped.size() == 1 ? ""
                : " (also running: " + String.join(", ", dropped.subList(1, dropped.size())) + ")")
                + ": the server dropped " + (dropped.size() == 1 ? "its connection" : "their connections")
                + ", then " + silence);
    }

    /** The cases whose connection the server dropped just before it stopped answering. */
    synchronized List<String> crashCases() {
        return lastFailure == null ? List.of() : List.copyOf(dropped);
    }
}
