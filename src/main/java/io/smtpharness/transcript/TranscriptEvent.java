package io.smtpharness.transcript;

import java.util.Objects;

/**
 * One transcript entry.
 *
 * @param tMs       milliseconds since the transcript started
 * @param direction client, server or note
 * @param text      the bytes, escaped by {@link Escaping} (notes are plain text)
 */
public record TranscriptEvent(long tMs, Direction direction, String text) {

    public TranscriptEvent {
        Objects.requireNonNull(direction, "direction == null");
        Objects.requireNonNull(text, "text == null");
    }

    @Override
    public String toString() {
        return String.format("%6d %-4s %s", tMs, direction == Direction.NOTE ? "--" : direction.name(), text);
    }
}
