package io.smtpharness.client;

import io.smtpharness.protocol.Reply;
import java.util.Objects;

/** What waiting for a reply produced: a reply, nothing in time, or the end of the connection. */
public sealed interface Received {

    /**
     * A complete reply (possibly malformed: see its deviations), with the {@link System#nanoTime()}
     * at which its last line arrived: a reply there before a command was sent cannot answer it.
     */
    record Got(Reply reply, long receivedNanos) implements Received {
        public Got {
            Objects.requireNonNull(reply, "reply == null");
        }

        /** A reply that arrived now. */
        public Got(Reply reply) {
            this(reply, System.nanoTime());
        }
    }

    /** No complete reply before the deadline; {@code partialLines} lines of one had arrived. */
    record TimedOut(long waitedMs, int partialLines) implements Received {
    }

    /** The connection is closed and every reply received before that has been read. */
    record Closed(String how) implements Received {
        public Closed {
            Objects.requireNonNull(how, "how == null");
        }
    }
}
