package io.smtpharness.client;

import io.smtpharness.protocol.Reply;
import java.util.Objects;

/** What waiting for a reply produced: a reply, nothing in time, or the end of the connection. */
public sealed interface Received {

    /** A complete reply (possibly malformed: see its deviations). */
    record Got(Reply reply) implements Received {
        public Got {
            Objects.requireNonNull(reply, "reply == null");
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
