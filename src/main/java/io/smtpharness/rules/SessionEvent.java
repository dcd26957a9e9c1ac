package io.smtpharness.rules;

import io.smtpharness.protocol.Reply;
import java.util.List;

/**
 * Something a dialogue saw that is not one reply paired with its command: a silence, a close, a
 * handshake, a reply where none may be, a script expectation not met. {@link SessionEvents} judges
 * each; the dialogue only reports what happened.
 */
public sealed interface SessionEvent {

    /** A reply the script did not expect on {@code rule}; costed as the case says. */
    record Mismatch(String rule, String message) implements SessionEvent {
    }

    /**
     * The connection stayed open for {@code withinMs} where the script ({@code scripted}) or the
     * harness's own closing QUIT expected a close.
     */
    record NotClosed(String rule, long withinMs, String origin, boolean scripted) implements SessionEvent {
    }

    /** An earlier case waited in full for a close after 221 that never came; this one did not wait. */
    record KeptOpenAfterQuit(String seenInCase) implements SessionEvent {
    }

    /** A command sent pipelined got no reply within {@code waitedMs}; {@code flushCheck}: the step tests the flush. */
    record PipelinedUnanswered(String command, long waitedMs, String origin, boolean flushCheck) implements SessionEvent {
    }

    /** STARTTLS was advertised, yet refused with something other than 454. */
    record StartTlsRefused(Reply reply, String origin) implements SessionEvent {
    }

    /** After 220 to STARTTLS the handshake did not happen, for the reason given. */
    record HandshakeFailed(String why, String origin) implements SessionEvent {
    }

    /** A reply came inside TLS before any command was sent over TLS; {@code injected}: plaintext was pipelined behind STARTTLS. */
    record ReplyInsideTls(Reply reply, String origin, boolean injected) implements SessionEvent {
    }

    /** A reply after the reply to {@code lastAnswered}, before the next command (its code {@code lastAnsweredCode}). */
    record StrayReply(Sent lastAnswered, int lastAnsweredCode, Reply reply) implements SessionEvent {
    }

    /** The server closed the connection after {@code idleMs} of idleness in {@code state}. */
    record IdleClose(SessionState state, long idleMs) implements SessionEvent {
    }

    /**
     * A reply inside message content after an end-of-data look-alike that the step citing {@code rule}
     * sent: {@code after} are the replies to the lines that followed it, {@code closed} whether the
     * server then closed (RFC 5321 §4.1.1.4).
     */
    record ReplyInsideData(String rule, Reply reply, List<Reply> after, boolean closed, String origin)
            implements SessionEvent {
        public ReplyInsideData {
            after = List.copyOf(after);
        }

        /**
         * True when a reply inside message content refuses the message or the session (421, 45x, 55x):
         * the server may then answer the lines that followed. 500-504 answer a command (syntax,
         * sequence), never message content: the server read what followed the look-alike as commands
         * (OpenSMTPD: "500 5.5.1 Invalid command: Pipelining not supported").
         */
        public static boolean refuses(Reply reply) {
            return (reply.codeClass() == 4 || reply.codeClass() == 5) && (reply.code() < 500 || reply.code() > 504);
        }
    }

    /**
     * A 421 to a bare NOOP or RSET sent to probe the session ({@code got} says which and where), after
     * {@code errors} error replies; {@code rule}: the case's rule it breaks, when it is no defence.
     */
    record ProbeClosing(String rule, String got, int errors) implements SessionEvent {
    }
}
