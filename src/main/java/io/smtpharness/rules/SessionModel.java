package io.smtpharness.rules;

import io.smtpharness.protocol.Reply;
import java.util.Objects;

/**
 * The immutable client-side model of an SMTP session (RFC 5321 §4.1.4, RFC-RULES.md §1.16): the
 * state the server should be in, moved only by the replies the server actually gave, so a
 * rejected command never changes it. Pure: no I/O.
 *
 * @param state          the current state
 * @param greeted        whether a HELO/EHLO was ever accepted (RSET returns to GREETED, not CONNECTED)
 */
public record SessionModel(SessionState state, boolean greeted) {

    public SessionModel {
        Objects.requireNonNull(state, "state == null");
    }

    /** The model right after connecting, before the greeting is judged. */
    public static SessionModel connected() {
        return new SessionModel(SessionState.CONNECTED, false);
    }

    /** The model after the server answered {@code sent} with {@code reply}. */
    public SessionModel after(Sent sent, Reply reply) {
        int code = reply.code();
        if (code == 421) {
            return new SessionModel(SessionState.CLOSED, greeted);
        }
        boolean ok = reply.isPositive();
        switch (sent.kind()) {
            case GREETING:
                return this; // 220 or 554: either way the session stays open until QUIT (§3.1)
            case EHLO: case HELO:
                return ok ? new SessionModel(SessionState.GREETED, true) : this;
            case MAIL:
                return ok && (state == SessionState.GREETED || state == SessionState.CONNECTED
                        || state == SessionState.MAIL || state == SessionState.RCPT)
                        ? with(SessionState.MAIL) : this;
            case RCPT:
                return ok && (state == SessionState.MAIL || state == SessionState.RCPT) ? with(SessionState.RCPT) : this;
            case DATA:
                return code == 354 ? with(SessionState.DATA) : this;
            case END_OF_DATA:
                return with(greeted ? SessionState.GREETED : SessionState.CONNECTED);
            case RSET:
                return ok ? with(greeted ? SessionState.GREETED : SessionState.CONNECTED) : this;
            case QUIT:
                return code == 221 ? with(SessionState.CLOSED) : this;
            default:
                return this;
        }
    }

    /** The model once the connection is gone. */
    public SessionModel closed() {
        return with(SessionState.CLOSED);
    }

    /** True while message content, not commands, is what the client sends. */
    public boolean inData() {
        return state == SessionState.DATA;
    }

    private SessionModel with(SessionState next) {
        return new SessionModel(next, greeted);
    }
}
