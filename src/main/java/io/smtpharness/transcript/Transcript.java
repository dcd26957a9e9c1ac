package io.smtpharness.transcript;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only, thread-safe record of one dialogue: every octet sent and received, with
 * millisecond offsets from its creation, plus the harness's notes. Events are escaped when added,
 * so no raw bytes are kept.
 *
 * <p>Bounded: after {@link #MAX_EVENTS} events further ones are counted but not stored, so a
 * hostile server that floods lines cannot exhaust memory through the transcript.
 */
public final class Transcript {

    /** Most events stored; a normal dialogue has a few dozen. */
    public static final int MAX_EVENTS = 5_000;
    /** Longest text kept per event; the rest is summarised. */
    public static final int MAX_EVENT_TEXT = 4_096;

    private final long startNanos = System.nanoTime();
    private final List<TranscriptEvent> events = new ArrayList<>();
    private long dropped;
    private final List<String> secrets = new ArrayList<>();

    /**
     * Records octets sent by the client. Only the octets that are kept are escaped: a message of the
     * server's SIZE limit (32 MiB for some) would otherwise be copied several times over into a heap
     * that runs cases in parallel.
     */
    public void client(byte[] bytes) {
        if (bytes.length <= MAX_EVENT_TEXT) {
            add(Direction.C, Escaping.escape(bytes));
            return;
        }
        String head = scrub(Escaping.escape(bytes, 0, MAX_EVENT_TEXT));
        store(Direction.C, head.substring(0, Math.min(head.length(), MAX_EVENT_TEXT)) + "... (" + bytes.length
                + " octets in all)");
    }

    /** Records one AUTH line the client sent, its credentials redacted ({@link AuthRedaction}). */
    public void clientAuth(byte[] octets) {
        add(Direction.C, AuthRedaction.redact(octets));
    }

    /**
     * Registers a secret (a password, the base64 forms of credentials) that must never appear in
     * this transcript: from now on every event, whatever its source (a server that echoes what it
     * got, a note), has each occurrence replaced by {@code <redacted>}. Secrets shorter than 4
     * characters are ignored (they would blank out ordinary text).
     */
    public synchronized void secret(String secret) {
        if (secret != null && secret.length() >= 4 && !secrets.contains(secret)) {
            secrets.add(secret);
            secrets.sort((a, b) -> b.length() - a.length());
        }
    }

    /** {@code text} with every registered secret replaced, for messages derived from this dialogue. */
    public synchronized String scrub(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, "<redacted>");
        }
        return out;
    }

    /** Records a secret the client sent, without its content (AUTH credentials). */
    public void clientSecret(int length, String what) {
        add(Direction.C, "<" + what + ": " + length + " octets redacted>");
    }

    /** Records octets received from the server, given as ISO-8859-1 chars. */
    public void server(String octets) {
        add(Direction.S, Escaping.escapeOctets(octets));
    }

    /** Records a plain-text note of the harness (connect, close, timeout, verdict reasons). */
    public void note(String text) {
        add(Direction.NOTE, text);
    }

    /** A copy of the events so far. */
    public synchronized List<TranscriptEvent> events() {
        List<TranscriptEvent> copy = new ArrayList<>(events);
        if (dropped > 0) {
            copy.add(new TranscriptEvent(elapsedMs(), Direction.NOTE,
                    dropped + " further events not kept (transcript cap " + MAX_EVENTS + ")"));
        }
        return List.copyOf(copy);
    }

    /** Milliseconds since the transcript started. */
    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void add(Direction direction, String text) {
        String scrubbed = scrub(text);
        store(direction, scrubbed.length() > MAX_EVENT_TEXT
                ? scrubbed.substring(0, MAX_EVENT_TEXT) + "... (" + scrubbed.length() + " chars in all)"
                : scrubbed);
    }

    private synchronized void store(Direction direction, String kept) {
        if (events.size() >= MAX_EVENTS) {
            dropped++;
            return;
        }
        events.add(new TranscriptEvent(elapsedMs(), direction, kept));
    }
}
