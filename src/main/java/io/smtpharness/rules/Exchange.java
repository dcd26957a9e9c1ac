package io.smtpharness.rules;

import io.smtpharness.protocol.Reply;
import java.util.Objects;
import java.util.Optional;

/**
 * One reply in context: the model before it, what it answers (empty when nothing was pending:
 * an unsolicited or extra reply), and the reply itself.
 */
public record Exchange(SessionModel before, Optional<Sent> sent, Reply reply) {

    public Exchange {
        Objects.requireNonNull(before, "before == null");
        Objects.requireNonNull(sent, "sent == null");
        Objects.requireNonNull(reply, "reply == null");
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
