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

    /** "MAIL FROM:<> got 250 OK in state GREETED", for finding messages. */
    public String describe() {
        String what = sent.map(Sent::text).orElse("(nothing pending)");
        return what + " got \"" + reply.summary() + "\" in state " + before.state();
    }
}
