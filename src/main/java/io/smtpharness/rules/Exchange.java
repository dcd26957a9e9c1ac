package io.smtpharness.rules;

import io.smtpharness.protocol.Reply;
import java.util.Objects;
import java.util.Optional;

/**
 * One reply in context: the model before it, what it answers (empty when nothing was pending:
 * a stray reply, which moves no state), the reply itself, and the model it leaves. Oracles read
 * {@link #after()} rather than recomputing the transition, so the session moves in one place.
 *
 * @param before    the session model when the reply arrived
 * @param sent      the command it answers; empty for a reply no command asked for
 * @param reply     the reply
 * @param after     the model once the reply is taken ({@code before} for a stray reply)
 * @param pipelined whether {@code sent} went out in one write with other commands (RFC 2920)
 */
public record Exchange(SessionModel before, Optional<Sent> sent, Reply reply, SessionModel after, boolean pipelined) {

    public Exchange {
        Objects.requireNonNull(before, "before == null");
        Objects.requireNonNull(sent, "sent == null");
        Objects.requireNonNull(reply, "reply == null");
        Objects.requireNonNull(after, "after == null");
    }

    /** A reply to {@code sent} (or a stray one), not pipelined, moving the model as RFC 5321 says. */
    public Exchange(SessionModel before, Optional<Sent> sent, Reply reply) {
        this(before, sent, reply, sent.map(s -> before.after(s, reply)).orElse(before), false);
    }

    /** True when the reply is a 500 to a command line over 512 octets (RFC 5321 §4.5.3.1.4, §4.5.3.1.9). */
    public boolean refusesOverlongLine() {
        return reply.code() == 500 && sent.map(Sent::isOverlong).orElse(false);
    }

    /** "MAIL FROM:<> got 250 OK in state GREETED", for finding messages. */
    public String describe() {
        String what = sent.map(Sent::text).orElse("(nothing pending)");
        return what + " got \"" + reply.summary() + "\" in state " + before.state();
    }
}
