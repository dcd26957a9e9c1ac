package io.smtpharness.transcript;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only, thread-safe record of one dialogue: every octet sent and received, with
 * millisecond offsets from its creation, plus the harness's notes. Events are escaped when added,
 * so no raw bytes are kept.
 *
 * <p>Bounded for any server: the first {@link #HEAD_CHARS} characters (at most {@link #HEAD_EVENTS}
 * events) are kept, then a sliding window of the last {@link #TAIL_CHARS} characters (at most
 * {@link #TAIL_EVENTS} events); what falls out between them is counted and shown as one note of
 * how many events and octets were left out. The start of a dialogue says what led up to a flood,
 * its end how the harness got out of it; the middle of a flood is repetition. A single event keeps
 * at most {@link #MAX_EVENT_TEXT} characters.
 */
public final class Transcript {

    /** The note after a line the harness tried to send once the connection was gone. */
    public static final String NOT_SENT = "not sent: the connection is closed";

    /** Characters of the dialogue's beginning always kept; a normal dialogue fits with room to spare. */
    public static final int HEAD_CHARS = 64 * 1024;
    /** Characters of the dialogue's most recent events kept once the head is full. */
    public static final int TAIL_CHARS = 32 * 1024;
    /** Most events in the head: a flood of empty lines is bounded by count, not size. */
    public static final int HEAD_EVENTS = 1_000;
    /** Most events in the tail. */
    public static final int TAIL_EVENTS = 500;
    /** Longest text kept per event; the rest is summarised. */
    public static final int MAX_EVENT_TEXT = 4_096;

    private final long startNanos = System.nanoTime();
    private final List<TranscriptEvent> head = new ArrayList<>();
    private final ArrayDeque<Kept> tail = new ArrayDeque<>();
    private long headChars;
    private long tailChars;
    private long omittedEvents;
    private long omittedOctets;
    private long firstOmittedMs = -1;
    private final List<String> secrets = new ArrayList<>();

    /** A tail event and the octets it stands for (what the note counts when it falls out). */
    private record Kept(TranscriptEvent event, long octets) {
    }

    /**
     * Records octets sent by the client. Only the octets that are kept are escaped: a message of the
     * server's SIZE limit (32 MiB for some) would otherwise be copied several times over into a heap
     * that runs cases in parallel.
     */
    public void client(byte[] bytes) {
        if (bytes.length <= MAX_EVENT_TEXT) {
            add(Direction.C, Escaping.escape(bytes), bytes.length);
            return;
        }
        String start = scrub(Escaping.escape(bytes, 0, MAX_EVENT_TEXT));
        store(Direction.C, start.substring(0, Math.min(start.length(), MAX_EVENT_TEXT)) + "... (" + bytes.length
                + " octets in all)", bytes.length);
    }

    /** Records one AUTH line the client sent, its credentials redacted ({@link AuthRedaction}). */
    public void clientAuth(byte[] octets) {
        add(Direction.C, AuthRedaction.redact(octets), octets.length);
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
        add(Direction.C, "<" + what + ": " + length + " octets redacted>", length);
    }

    /** Records octets received from the server, given as ISO-8859-1 chars. */
    public void server(String octets) {
        add(Direction.S, Escaping.escapeOctets(octets), octets.length());
    }

    /** Records a plain-text note of the harness (connect, close, timeout, verdict reasons). */
    public void note(String text) {
        add(Direction.NOTE, text, text.length());
    }

    /** A copy of the events so far: the head, a note of what was left out (if anything), the tail. */
    public synchronized List<TranscriptEvent> events() {
        List<TranscriptEvent> copy = new ArrayList<>(head.size() + tail.size() + 1);
        copy.addAll(head);
        if (omittedEvents > 0) {
            copy.add(new TranscriptEvent(firstOmittedMs, Direction.NOTE, omittedEvents + " events (" + omittedOctets
                    + " octets) left out here: a transcript keeps its first " + HEAD_CHARS / 1024 + " KiB and its last "
                    + TAIL_CHARS / 1024 + " KiB"));
        }
        tail.forEach(k -> copy.add(k.event()));
        return List.copyOf(copy);
    }

    /** True once events were left out between the head and the tail. */
    public synchronized boolean cut() {
        return omittedEvents > 0;
    }

    /** Milliseconds since the transcript started. */
    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void add(Direction direction, String text, long octets) {
        String scrubbed = scrub(text);
        store(direction, scrubbed.length() > MAX_EVENT_TEXT
                ? scrubbed.substring(0, MAX_EVENT_TEXT) + "... (" + scrubbed.length() + " chars in all)"
                : scrubbed, octets);
    }

    private synchronized void store(Direction direction, String kept, long octets) {
        TranscriptEvent event = new TranscriptEvent(elapsedMs(), direction, kept);
        if (tail.isEmpty() && headChars + kept.length() <= HEAD_CHARS && head.size() < HEAD_EVENTS) {
            head.add(event);
            headChars += kept.length();
            return;
        }
        tail.addLast(new Kept(event, octets));
        tailChars += kept.length();
        while (tailChars > TAIL_CHARS || tail.size() > TAIL_EVENTS) {
            Kept out = tail.removeFirst();
            tailChars -= out.event().text().length();
            if (firstOmittedMs < 0) {
                firstOmittedMs = out.event().tMs();
            }
            omittedEvents++;
            omittedOctets += out.octets();
        }
    }
}
