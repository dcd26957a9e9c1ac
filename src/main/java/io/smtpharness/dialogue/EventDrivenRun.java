package io.smtpharness.dialogue;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a scripted dialogue with no thread waiting on it: the connect, each reply, the close and each
 * deadline, as they happen on the connection's event loop, perform the steps up to the next expect.
 * What is sent, read, paired and judged is the {@link DialogueExecution}'s, exactly as when a thread
 * drives it; only the waiting differs. A dialogue qualifies when its steps only send and expect
 * ({@link #handles}); the others (STARTTLS, AUTH, windows of silence, pauses, other connections)
 * are still driven by a thread.
 */
final class EventDrivenRun {

    private final DialogueExecution execution;
    private final List<Step> steps;
    private final long deadlineNanos;
    private final long caseTimeoutSeconds;
    private final Runnable done;

    private EventDrivenRun(DialogueExecution execution, Dialogue dialogue, RunnerOptions options, Runnable done) {
        this.execution = execution;
        this.steps = dialogue.steps();
        this.caseTimeoutSeconds = options.caseTimeout().toSeconds();
        this.deadlineNanos = System.nanoTime() + options.caseTimeout().toNanos();
        this.done = done;
    }

    /**
     * True when every step only sends or expects a reply. BDAT is left to a thread: after a refused
     * chunk the conversation waits for the replies of a server that ran the chunk as commands.
     */
    static boolean handles(Dialogue dialogue) {
        return dialogue.steps().stream().allMatch(step -> step instanceof Step.Expect
                || (step instanceof Step.Send || step instanceof Step.SendRaw || step instanceof Step.SendData)
                && !mentionsBdat(step));
    }

    private static boolean mentionsBdat(Step step) {
        String text = step instanceof Step.Send send ? send.line() : step instanceof Step.SendRaw raw ? raw.text() : "";
        return text.toUpperCase(Locale.ROOT).contains("BDAT");
    }

    /** Starts {@code execution} of {@code dialogue}; {@code done} runs once it has ended and its connection is closed. */
    static void start(DialogueExecution execution, Dialogue dialogue, RunnerOptions options, Runnable done) {
        if (!handles(dialogue)) {
            throw new IllegalArgumentException(dialogue.id() + " has steps that wait; run it on a thread");
        }
        AtomicBoolean ended = new AtomicBoolean();
        Runnable once = () -> {
            if (ended.compareAndSet(false, true)) {
                done.run();
            }
        };
        EventDrivenRun run = new EventDrivenRun(execution, dialogue, options, once);
        execution.driveByEvents();
        Conversation conv = execution.conversation();
        conv.onBug(bug -> {
            conv.fail("harness error: " + bug);
            if (conv.connection() != null) {
                conv.connection().close();
            }
            once.run();
        });
        conv.guarded(() -> execution.openThen(opened -> {
            if (opened) {
                run.advance(0);
            } else {
                once.run();
            }
        }));
    }

    /** Performs the steps from {@code from} on, up to the next expect, whose reply continues the run. */
    private void advance(int from) {
        Conversation conv = execution.conversation();
        for (int i = from; i < steps.size() && !stopped(); i++) {
            Step step = steps.get(i);
            if (System.nanoTime() > deadlineNanos) {
                conv.fail("case deadline of " + caseTimeoutSeconds + " s passed before " + step.origin());
                break;
            }
            if (step instanceof Step.Expect expect) {
                int next = i + 1;
                execution.readOneThen(expect.ruleId(), expect.matcher(), expect.origin(), () -> {
                    execution.checkRequirements();
                    advance(next);
                });
                return;
            }
            execution.perform(step);
            execution.checkRequirements();
        }
        wrapUp();
    }

    /** The session is over, a step ended the dialogue, or a refused setup step skipped the case. */
    private boolean stopped() {
        return execution.ended() || execution.endRequested() || execution.skipped() != null;
    }

    private void wrapUp() {
        Runnable closed = () -> {
            execution.checkExtensionsListed();
            execution.conversation().connection().close();
            done.run();
        };
        if (execution.conversation().over()) {
            closed.run();
        } else {
            execution.finishThen(closed);
        }
    }
}
