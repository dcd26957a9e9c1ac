package io.smtpharness.dialogue;

import io.smtpharness.client.Received;
import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.rules.SessionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps in which the harness only listens: a window in which no reply may come, a wait for the
 * server's close, and idling. What arrives meanwhile is judged through the {@link Conversation}.
 */
final class WaitSteps {

    /** After a refusal inside DATA, how long replies to the smuggled lines may take to show they ran. */
    private static final Duration SMUGGLED_REPLY_WINDOW = Duration.ofSeconds(1);
    private static final int MAX_REPLIES_AFTER_REFUSAL = 8;
    /** Idling reads in slices this long, so an unprompted reply is judged when it comes. */
    private static final Duration IDLE_SLICE = Duration.ofSeconds(1);

    private WaitSteps() {
    }

    /** No reply may arrive within the step's window; one that does is the step's finding. */
    static void expectNoReply(Step.ExpectNoReply step, Conversation conv) {
        Received received = conv.connection().readReply(conv.quietWindow(step.within()));
        if (received instanceof Received.Got got) {
            Reply reply = got.reply();
            String id = conv.ruleFor(step.ruleId());
            // judged for syntax, but its being there at all is the step's finding, not ONE-REPLY's
            List<Finding> syntax = conv.syntaxOf(reply);
            if (conv.model().inData()) {
                replyInsideData(id, reply, step.origin(), conv);
            } else {
                conv.report(new SessionEvent.Mismatch(id, "a reply arrived where none may (" + step.origin() + "): \""
                        + reply.summary() + "\" in state " + conv.model().state()));
                conv.tracker().resync();
            }
            conv.record(syntax);
        } else if (received instanceof Received.Closed) {
            conv.serverClosed();
        }
    }

    /**
     * A reply while message content is still being sent, after an end-of-data look-alike: after a
     * refusal, the replies to the lines that followed are read too (they show those lines ran as
     * commands). Either way the rest of the dialogue cannot be paired with replies, so the
     * connection is dropped.
     */
    private static void replyInsideData(String ruleId, Reply reply, String origin, Conversation conv) {
        boolean refusal = SessionEvent.ReplyInsideData.refuses(reply);
        List<Reply> after = new ArrayList<>();
        boolean closed = false;
        while (refusal && after.size() < MAX_REPLIES_AFTER_REFUSAL) {
            Received next = conv.connection().readReply(SMUGGLED_REPLY_WINDOW, "no reply to the lines after the"
                    + " refusal within " + SMUGGLED_REPLY_WINDOW.toMillis() + " ms");
            if (!(next instanceof Received.Got got)) {
                closed = next instanceof Received.Closed;
                break;
            }
            after.add(got.reply());
        }
        conv.report(new SessionEvent.ReplyInsideData(ruleId, reply, after, closed, origin));
        conv.hangUp("the server answered inside DATA; the rest of the dialogue is not sent");
    }

    /**
     * Reads until the server closes; replies meanwhile are judged as unsolicited. No close within
     * {@code within} breaks {@code ruleId} ({@code scripted}: a step of the case asked for the close).
     */
    static void awaitClose(Duration within, String ruleId, boolean scripted, String origin, Conversation conv) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!conv.over()) {
            long left = deadline - System.nanoTime();
            Received received = conv.connection().readReply(Duration.ofNanos(Math.max(left, 0)),
                    "the server had not closed the connection within " + within.toMillis() + " ms (" + origin + ")");
            if (received instanceof Received.Closed) {
                conv.closedAsDue();
                return;
            }
            if (received instanceof Received.TimedOut) {
                conv.report(new SessionEvent.NotClosed(ruleId, within.toMillis(), origin, scripted));
                return;
            }
            conv.judgeUnasked(((Received.Got) received).reply());
        }
    }

    /** The non-blocking {@link #awaitClose}: {@code then} runs once the close came or the wait ended. */
    static void awaitCloseThen(Duration within, String ruleId, boolean scripted, String origin, Conversation conv,
                               Runnable then) {
        awaitCloseThen(System.nanoTime() + within.toNanos(), within, ruleId, scripted, origin, conv, then);
    }

    private static void awaitCloseThen(long deadline, Duration within, String ruleId, boolean scripted, String origin,
                                       Conversation conv, Runnable then) {
        if (conv.over()) {
            then.run();
            return;
        }
        long left = Math.max(deadline - System.nanoTime(), 0);
        conv.connection().whenReply(Duration.ofNanos(left), "the server had not closed the connection within "
                + within.toMillis() + " ms (" + origin + ")", received -> conv.guarded(() -> {
                    if (received instanceof Received.Closed) {
                        conv.closedAsDue();
                    } else if (received instanceof Received.TimedOut) {
                        conv.report(new SessionEvent.NotClosed(ruleId, within.toMillis(), origin, scripted));
                    } else {
                        conv.judgeUnasked(((Received.Got) received).reply());
                        awaitCloseThen(deadline, within, ruleId, scripted, origin, conv, then);
                        return;
                    }
                    then.run();
                }));
    }

    /**
     * Stays idle, watching the connection: a server may close after its own timeout (§3.8), but
     * not before 5 minutes of idleness (§4.5.3.2.7, a SHOULD); a 421 may arrive unprompted.
     */
    static void pause(Duration duration, Conversation conv) {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        while (!conv.over()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Received received = conv.connection().readReply(Duration.ofNanos(Math.min(left, IDLE_SLICE.toNanos())));
            if (received instanceof Received.Got got) {
                conv.judgeUnasked(got.reply());
            } else if (received instanceof Received.Closed) {
                conv.report(new SessionEvent.IdleClose(conv.model().state(), (System.nanoTime() - start) / 1_000_000));
                conv.closedAsDue();
            }
        }
    }
}
