package io.smtpharness.dialogue;

import io.smtpharness.client.Received;
import io.smtpharness.protocol.Reply;
import io.smtpharness.rules.CommandKind;
import io.smtpharness.rules.SessionEvent;
import io.smtpharness.rules.Sent;
import java.time.Duration;
import java.util.Optional;

/**
 * One reply read for a step, however it is waited for: it may take more than one wait (a stray
 * reply first, a reply whose lines are still arriving), and what comes is judged here.
 */
final class ReplyRead {
    private final Conversation conv;
    private final String origin;
    private final Silence silence;
    private final boolean flushCheck;
    private Duration wait;
    private Optional<String> knownSilent;
    /** The one extra wait for a reply whose lines are still arriving has been given. */
    private boolean extended;
    /** What the read produced: the judged reply, or null (the case ended: timeout or close). */
    private Reply reply;

    ReplyRead(Conversation conv, String origin, Silence silence) {
        this.conv = conv;
        this.origin = origin;
        this.silence = silence;
        this.flushCheck = silence == Silence.FLUSH_BREACH;
        plan();
    }

    private void plan() {
        wait = conv.plannedWait(flushCheck);
        // a command the server already left unanswered in this run costs its full wait only once (where
        // silence is the step's own finding, it gets the full wait every time)
        knownSilent = silence != Silence.ERROR ? Optional.empty()
                : silenceKey(conv.owed()).flatMap(conv.traits()::leftUnanswered);
        if (knownSilent.isPresent() && wait.compareTo(Conversation.KNOWN_SILENCE_WAIT) > 0) {
            wait = Conversation.KNOWN_SILENCE_WAIT;
        }
    }

    /** How long the next wait is. */
    Duration waitFor() {
        return wait;
    }

    /** The judged reply, or null (the case ended: timeout or close), once {@link #took} said done. */
    Reply reply() {
        return reply;
    }

    String onSilence() {
        return "no complete reply within " + wait.toMillis() + " ms";
    }

    /** Takes what a wait produced; false when another wait of {@link #wait} is needed. */
    boolean took(Received received) {
        if (received instanceof Received.TimedOut timedOut && timedOut.partialLines() > 0 && !flushCheck
                && !extended) {
            // lines of the reply are still arriving: slow (a tarpit: Postfix delays every line after a few
            // errors), not silent. One more wait for its end, so a trickle stays bounded
            conv.note(timedOut.partialLines() + " line(s) of the reply had arrived: waiting "
                    + wait.toMillis() + " ms more for its end");
            extended = true;
            return false;
        }
        // a reply already there before the command it would be paired with was sent cannot answer it:
        // it is one too many to an earlier one (arrival times decide, not when this thread reads)
        if (received instanceof Received.Got got && conv.tracker().arrivedBeforeItsCommand(got.receivedNanos())) {
            conv.strayReply(got.reply());
            if (conv.over()) {
                return true;
            }
            extended = false;
            plan();
            return false;
        }
        reply = judged(received);
        return true;
    }

    private Reply judged(Received received) {
        if (received instanceof Received.Got got) {
            Reply reply = got.reply();
            conv.tracker().delayOfReplyAt(got.receivedNanos())
                    .ifPresent(delay -> conv.traits().replyPace().record(delay, got.receivedNanos()));
            Optional<Sent> sent = conv.judgeAnswer(reply);
            if (conv.scripted() && sent.filter(s -> s.kind() == CommandKind.BDAT).isPresent() && reply.codeClass() >= 4
                    && conv.tracker().owed().isEmpty()) {
                conv.settleStrays(Conversation.STRAY_SETTLE); // a server that ran the refused chunk as commands answers it now, or soon
            }
            return reply;
        } else if (received instanceof Received.TimedOut && conv.tracker().owedIsPipelined()
                && conv.model().advertised("PIPELINING")) {
            conv.report(new SessionEvent.PipelinedUnanswered(conv.owed().text(), ((Received.TimedOut) received).waitedMs(),
                    origin, flushCheck));
            conv.hangUp("a pipelined command went unanswered; the rest of the dialogue is not judged");
        } else if (received instanceof Received.TimedOut timedOut && silence == Silence.ONE_REPLY_BREACH) {
            Sent waiting = conv.owed();
            conv.report(new SessionEvent.Mismatch(Conversation.ONE_REPLY, "no complete reply to " + (waiting == null ? "anything"
                    : waiting.text()) + " within " + timedOut.waitedMs() + " ms (" + origin + ")"));
            conv.hangUp("the reply never came; the rest of the dialogue is not sent");
        } else if (received instanceof Received.TimedOut && knownSilent.isPresent()) {
            conv.fail(true, "no complete reply to " + conv.owed().text() + " within " + ((Received.TimedOut) received).waitedMs()
                    + " ms (" + origin + "); the server already left " + silenceKey(conv.owed()).orElseThrow()
                    + " unanswered for a full deadline in case " + knownSilent.get() + ", so this case did not wait"
                    + " that long again");
        } else if (received instanceof Received.TimedOut) {
            Sent waiting = conv.owed();
            silenceKey(waiting).ifPresent(key -> conv.traits().leftUnanswered(key, conv.caseId()));
            conv.fail(true, "no complete reply to " + (waiting == null ? "anything" : waiting.text()) + " within "
                    + ((Received.TimedOut) received).waitedMs() + " ms" + (conv.rfcReplyWaits()
                    ? ", the RFC 5321 §4.5.3.2 minimum" : "") + " (" + origin + ")");
        } else {
            conv.serverClosed();
        }
        return null;
    }

    /**
     * What a command left unanswered is known by: its verb, or the end of data; none for the
     * greeting (a target that stops greeting is the run's circuit breaker's business).
     */
    private static Optional<String> silenceKey(Sent waiting) {
        if (waiting == null || waiting.kind() == CommandKind.GREETING) {
            return Optional.empty();
        }
        return Optional.of(waiting.verb().isEmpty() ? waiting.text() : waiting.verb());
    }
}
