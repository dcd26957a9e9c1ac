package io.smtpharness.dialogue;

import io.smtpharness.client.Connector;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Transcript;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs dialogues against one target, each on a fresh connection, and turns each into a
 * {@link CaseResult}. Thread-safe: cases may run concurrently. One runner is one run: what a case
 * learns about the server's traits ({@link ServerTraits}) spares the later cases the same wait.
 */
public final class DialogueRunner {

    private final Connector client;
    private final InetSocketAddress target;
    private final RunnerOptions options;
    /** What the cases run by this runner have learned about the server, so each trait costs its wait once. */
    private final ServerTraits traits = new ServerTraits();

    public DialogueRunner(Connector client, InetSocketAddress target, RunnerOptions options) {
        this.client = Objects.requireNonNull(client, "client == null");
        this.target = Objects.requireNonNull(target, "target == null");
        this.options = Objects.requireNonNull(options, "options == null");
    }

    /** Runs one dialogue and judges every reply it gets. */
    public CaseResult run(Dialogue dialogue) {
        return runCase(dialogue).result();
    }

    /**
     * Runs one dialogue and hands its result to {@code then}. A dialogue whose steps only send and
     * expect ({@link EventDrivenRun}) is driven by its replies on the event loop, and this returns at
     * once; {@code then} runs there. Any other is run on this thread before this returns.
     */
    public void runThen(Dialogue dialogue, Consumer<CaseResult> then) {
        runCaseThen(dialogue, outcome -> then.accept(outcome.result()));
    }

    /** As {@link #runThen}, with what the run's circuit breaker needs. */
    void runCaseThen(Dialogue dialogue, Consumer<Outcome> then) {
        if (!eventDriven(dialogue)) {
            then.accept(runCase(dialogue));
            return;
        }
        long start = System.nanoTime();
        DialogueExecution execution = new DialogueExecution(dialogue, client, target, options, traits);
        EventDrivenRun.start(execution, dialogue, options,
                () -> then.accept(new Outcome(judge(dialogue, execution, start), execution.contact(), start)));
    }

    /** True when {@link #runCaseThen} drives the dialogue by events: it returns at once. */
    boolean eventDriven(Dialogue dialogue) {
        return EventDrivenRun.handles(dialogue) && !(dialogue.deliversMessage() && !options.allowDelivery() && !isLoopback());
    }

    /**
     * A case's result, how far its connection got, and when it started and ended (System.nanoTime),
     * for the run's circuit breaker.
     */
    record Outcome(CaseResult result, DialogueExecution.Contact contact, long startedNanos, long endedNanos) {
        Outcome(CaseResult result, DialogueExecution.Contact contact, long startedNanos) {
            this(result, contact, startedNanos, System.nanoTime());
        }
    }

    Outcome runCase(Dialogue dialogue) {
        long start = System.nanoTime();
        if (dialogue.deliversMessage() && !options.allowDelivery() && !isLoopback()) {
            Transcript transcript = new Transcript();
            transcript.note("not run: it would deliver a message to " + target);
            return new Outcome(result(dialogue, Status.SKIPPED, "would deliver a message to a non-loopback target; "
                    + "pass --allow-delivery to run it", List.of(), start, transcript), DialogueExecution.Contact.NOT_TRIED,
                    start);
        }
        DialogueExecution execution = new DialogueExecution(dialogue, client, target, options, traits);
        execution.run();
        return new Outcome(judge(dialogue, execution, start), execution.contact(), start);
    }

    private CaseResult judge(Dialogue dialogue, DialogueExecution execution, long start) {
        CaseLog.Verdict verdict = execution.verdict();
        return result(dialogue, verdict.status(), verdict.message(), execution.findings(), start, execution.transcript());
    }

    private boolean isLoopback() {
        return target.getAddress() != null && target.getAddress().isLoopbackAddress();
    }

    private static CaseResult result(Dialogue d, Status status, String message, List<Finding> findings,
                                     long startNanos, Transcript transcript) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        return new CaseResult(d.suite(), d.id(), d.title(), d.rules(), d.tags(), status, message, findings, ms,
                transcript.events(), Optional.of(Instant.now().minusMillis(ms)));
    }
}
