package io.smtpharness.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one client connection.
 *
 * @param connectTimeout  how long a TCP connect may take
 * @param replyTimeout    deadline for a whole reply (all its lines), not an idle timeout, so a
 *                        server that drips one byte a second cannot stretch it
 * @param maxLineOctets   hard cap per received line; the rest of a longer line is discarded unread
 * @param maxReplyLines   hard cap on lines per reply
 * @param maxQueuedReplies replies received but not yet read before the client hangs up on a flood
 * @param connectionsPerSecond most new connections per second, so a run cannot flood a target; 0
 *                        for no limit
 */
public record ClientOptions(Duration connectTimeout, Duration replyTimeout, int maxLineOctets,
                            int maxReplyLines, int maxQueuedReplies, int connectionsPerSecond) {

    public ClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout == null");
        Objects.requireNonNull(replyTimeout, "replyTimeout == null");
        if (connectionsPerSecond < 0) {
            throw new IllegalArgumentException("connectionsPerSecond < 0: " + connectionsPerSecond);
        }
        if (maxLineOctets < 512 || maxReplyLines < 1 || maxQueuedReplies < 1) {
            throw new IllegalArgumentException("caps too small: " + maxLineOctets + "/" + maxReplyLines
                    + "/" + maxQueuedReplies);
        }
    }

    /**
     * Octets one reply may take, skipped parts of over-long lines included, before it is cut off as
     * never ending: 1 000 lines at the line cap would otherwise be 16 MiB per connection to keep, and a
     * reply of 1 MB lines would be a gigabyte to read.
     */
    public long maxReplyOctets() {
        return 1024 * 1024;
    }

    /**
     * Defaults for interactive and CI use. RFC 5321 §4.5.3.2 lets a server take minutes; a
     * conformance run wants answers in seconds, and {@code --timeout} raises the limit.
     */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), 16 * 1024, 1_000, 256, 0);
    }

    /** A copy with another reply timeout. */
    public ClientOptions withReplyTimeout(Duration timeout) {
        return new ClientOptions(connectTimeout, timeout, maxLineOctets, maxReplyLines, maxQueuedReplies,
                connectionsPerSecond);
    }

    /** A copy with another connect timeout. */
    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(timeout, replyTimeout, maxLineOctets, maxReplyLines, maxQueuedReplies,
                connectionsPerSecond);
    }

    /** A copy with another connection rate limit (0: none). */
    public ClientOptions withConnectionsPerSecond(int rate) {
        return new ClientOptions(connectTimeout, replyTimeout, maxLineOctets, maxReplyLines, maxQueuedReplies, rate);
    }
}
