package io.smtpharness.dialogue;

import io.smtpharness.protocol.Command;
import io.smtpharness.rules.Scope;
import io.smtpharness.rules.SessionEvent;
import io.smtpharness.rules.SessionState;
import io.smtpharness.rules.SessionTracker;
import java.time.Duration;
import java.util.Optional;

/**
 * How a case's session ends, whatever ended its steps: the replies still owed are read, then QUIT,
 * and the server must close after its 221. Thread-driven ({@link #finish}) and event-driven
 * ({@link #finishThen}) runs end alike: the two differ only in how they wait.
 */
final class SessionEnd {

    private static final String QUIT_CLOSE = "5321-4.1.1.10-QUIT-221";

    private final DialogueExecution execution;
    private final Conversation conv;
    private final SessionTracker tracker;
    private final ServerTraits traits;
    private final Scope scope;
    private final RunnerOptions options;

    SessionEnd(DialogueExecution execution, Conversation conv, SessionTracker tracker, ServerTraits traits, Scope scope,
               RunnerOptions options) {
        this.execution = execution;
        this.conv = conv;
        this.tracker = tracker;
        this.traits = traits;
        this.scope = scope;
        this.options = options;
    }

    /** Ends the session as a client should: collect owed replies, QUIT, see the server close. */
    void finish() {
        while (tracker.owed().isPresent() && !conv.over() && execution.error() == null) {
            execution.readOne(Optional.empty(), ReplyMatcher.ANY, "end of dialogue");
        }
        if (alreadyOver()) {
            return;
        }
        // replies beyond those owed: after a pipelined group they may still be on their way, so wait
        // a little for them, or they would be paired with the QUIT in some runs and not in others
        // (scripted cases only: a fuzzer pipelines nearly every dialogue and cannot pay that per try)
        conv.settleStrays(!tracker.anyPipelined() || !conv.scripted() ? Duration.ZERO : Conversation.STRAY_SETTLE);
        if (tracker.model().inData() || !conv.connection().isOpen()) {
            return;
        }
        conv.send(new Command("QUIT", "").toWire());
        execution.readOne(Optional.empty(), ReplyMatcher.ANY, "closing QUIT");
        if (tracker.model().state() == SessionState.CLOSED && !conv.over()) {
            awaitCloseAfterQuit();
        }
        conv.end();
    }

    /** The non-blocking {@link #finish}: the same ending, each wait a callback; {@code then} runs at its end. */
    void finishThen(Runnable then) {
        if (tracker.owed().isPresent() && !conv.over() && execution.error() == null) {
            execution.readOneThen(Optional.empty(), ReplyMatcher.ANY, "end of dialogue", () -> finishThen(then));
            return;
        }
        if (alreadyOver()) {
            then.run();
            return;
        }
        conv.settleStraysThen(!tracker.anyPipelined() ? Duration.ZERO : Conversation.STRAY_SETTLE, () -> {
            if (tracker.model().inData() || !conv.connection().isOpen()) {
                then.run();
                return;
            }
            conv.send(new Command("QUIT", "").toWire());
            execution.readOneThen(Optional.empty(), ReplyMatcher.ANY, "closing QUIT", () -> {
                Runnable ended = () -> {
                    conv.end();
                    then.run();
                };
                if (tracker.model().state() == SessionState.CLOSED && !conv.over()) {
                    awaitCloseAfterQuitThen(ended);
                } else {
                    ended.run();
                }
            });
        });
    }

    /** The session ended some other way: nothing more to say to the server. */
    private boolean alreadyOver() {
        return conv.over() || execution.error() != null || !conv.connection().isOpen()
                || tracker.model().state() == SessionState.CLOSED;
    }

    /** The non-blocking {@link #awaitCloseAfterQuit}. */
    private void awaitCloseAfterQuitThen(Runnable then) {
        Optional<String> known = traits.keptOpenAfterQuit();
        if (known.isPresent() && !scope.tests(QUIT_CLOSE)) {
            noteKeptOpenAlready(known.get());
            then.run();
            return;
        }
        WaitSteps.awaitCloseThen(options.closeWait(), QUIT_CLOSE, false, "after 221 to QUIT", conv, () -> {
            if (!conv.over()) {
                traits.keptOpenAfterQuit(conv.caseId());
            }
            then.run();
        });
    }

    /**
     * After 221 to the harness's own closing QUIT (not a step of the case) the server must close
     * (RFC 5321 §4.1.1.10). The rule's level, whatever the case's; outside the cases that test it the
     * finding is incidental (one entry per run, listing its cases), and once a case of the run has
     * waited in full for a close that never came, later cases do not wait again.
     */
    private void awaitCloseAfterQuit() {
        boolean tested = scope.tests(QUIT_CLOSE);
        Optional<String> known = traits.keptOpenAfterQuit();
        if (known.isPresent() && !tested) {
            noteKeptOpenAlready(known.get());
            return;
        }
        WaitSteps.awaitClose(options.closeWait(), QUIT_CLOSE, false, "after 221 to QUIT", conv);
        if (!conv.over()) {
            traits.keptOpenAfterQuit(conv.caseId());
        }
    }

    /** An earlier case of the run waited in full for this close in vain: say so instead of waiting again. */
    private void noteKeptOpenAlready(String earlierCase) {
        conv.note("not waiting for the close after 221: the server kept the connection open after 221"
                + " for " + options.closeWait().toMillis() + " ms in case " + earlierCase);
        conv.report(new SessionEvent.KeptOpenAfterQuit(earlierCase));
    }
}
