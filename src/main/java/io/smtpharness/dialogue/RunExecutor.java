package io.smtpharness.dialogue;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunListener;
import io.smtpharness.result.RunStop;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Tool;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Transcript;
import io.smtpharness.transcript.TranscriptBudget;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a list of dialogues against one target with at most {@code maxConnections} at once (so a
 * run cannot become a denial of service), tells listeners as cases finish, and returns the summary
 * with results in the order the dialogues were given. Dialogues that only send and expect are
 * driven by their replies on the client's event loop ({@link EventDrivenRun}); the others each take
 * a thread of a pool while they run.
 */
public final class RunExecutor {

    private final SmtpClient client;
    private final RunnerOptions options;
    private final int maxConnections;
    private final List<RunListener> listeners;

    public RunExecutor(SmtpClient client, RunnerOptions options, int maxConnections, List<RunListener> listeners) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections < 1: " + maxConnections);
        }
        this.client = client;
        this.options = options;
        this.maxConnections = maxConnections;
        this.listeners = List.copyOf(listeners);
    }

    /** Runs every dialogue; {@code targetLabel} is how reports name the target. */
    public RunSummary run(List<Dialogue> dialogues, InetSocketAddress target, String targetLabel, String version) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        listeners.forEach(l -> l.runStarted(targetLabel));
        DialogueRunner runner = new DialogueRunner(client, target, options);
        ExecutorService pool = Executors.newFixedThreadPool(maxConnections, r -> {
            Thread t = new Thread(r, "smtp-case");
            t.setDaemon(true);
            return t;
        });
        CircuitBreaker breaker = new CircuitBreaker();
        TranscriptBudget budget = new TranscriptBudget();
        Semaphore slots = new Semaphore(maxConnections);
        try {
            List<CompletableFuture<CaseResult>> futures = new ArrayList<>();
            dialogues.forEach(d -> futures.add(new CompletableFuture<>()));
            for (int index : startOrder(dialogues)) {
                Dialogue dialogue = dialogues.get(index);
                acquire(slots);
                CompletableFuture<CaseResult> future = futures.get(index);
                AtomicBoolean once = new AtomicBoolean();
                Consumer<DialogueRunner.Outcome> ended = outcome -> {
                    if (!once.compareAndSet(false, true)) {
                        return; // a bug reported after the case had ended must not free its slot twice
                    }
                    try {
                        CaseResult result = keep(outcome.result(), budget);
                        breaker.record(result.qualifiedId(), outcome.contact(), result.message(), outcome.startedNanos(),
                                outcome.endedNanos());
                        listeners.forEach(l -> l.caseFinished(result));
                        future.complete(result);
                    } catch (RuntimeException | Error e) {
                        future.completeExceptionally(e); // a listener throwing, against its contract
                    } finally {
                        slots.release();
                    }
                };
                Optional<String> stopped = breaker.reason();
                if (stopped.isPresent()) {
                    CaseResult result = notTried(dialogue, stopped.get());
                    ended.accept(new DialogueRunner.Outcome(result, DialogueExecution.Contact.NOT_TRIED, System.nanoTime()));
                } else if (runner.eventDriven(dialogue)) {
                    started(dialogue);
                    runSafely(dialogue, ended, () -> runner.runCaseThen(dialogue, ended)); // returns at once
                } else {
                    pool.execute(() -> {
                        started(dialogue);
                        runSafely(dialogue, ended, () -> ended.accept(runner.runCase(dialogue)));
                    });
                }
            }
            List<CaseResult> results = new ArrayList<>();
            for (Future<CaseResult> future : futures) {
                results.add(await(future));
            }
            Optional<RunStop> stop = breaker.reason().map(why -> new RunStop(RunStop.Kind.TARGET_LOST, why, List.of()));
            if (stop.isPresent()) {
                results = markCrashCases(results, breaker.crashCases());
            }
            RunSummary summary = new RunSummary(Tool.NAME, version, targetLabel, startedAt,
                    (System.nanoTime() - start) / 1_000_000, results, stop);
            listeners.forEach(l -> l.runFinished(summary));
            return summary;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The order cases start in: those that listen for a reply that may not come go last, so that by
     * then the server has shown how promptly it answers and their windows can be cut to fit it
     * ({@link ReplyPace}); early in a run, a cold or busy server (and harness) answers slowly.
     * Results keep the dialogues' own order.
     */
    static List<Integer> startOrder(List<Dialogue> dialogues) {
        List<Integer> order = new ArrayList<>();
        for (boolean listening : new boolean[] {false, true}) {
            for (int i = 0; i < dialogues.size(); i++) {
                if (listensForSilence(dialogues.get(i)) == listening) {
                    order.add(i);
                }
            }
        }
        return order;
    }

    private static boolean listensForSilence(Dialogue dialogue) {
        return dialogue.steps().stream().anyMatch(step -> step instanceof Step.ExpectNoReply
                || step instanceof Step.StartTls startTls && startTls.inject().isPresent());
    }

    private void started(Dialogue dialogue) {
        listeners.forEach(l -> l.caseStarted(dialogue.suite(), dialogue.id()));
    }

    /** Waits for a free connection slot. */
    private static void acquire(Semaphore slots) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("run interrupted", e);
        }
    }

    /**
     * Starts one case; a harness bug in it becomes that case's {@code error} with the stack trace in
     * its transcript, so one crash neither ends the run nor loses the other results. (Once a case is
     * event-driven, a bug in a callback ends it through {@link Conversation#onBug}.)
     */
    private static void runSafely(Dialogue dialogue, Consumer<DialogueRunner.Outcome> ended, Runnable start) {
        try {
            start.run();
        } catch (RuntimeException | Error e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            Transcript transcript = new Transcript();
            transcript.note("harness bug while running this case (please report):\n" + trace);
            ended.accept(new DialogueRunner.Outcome(new CaseResult(dialogue.suite(), dialogue.id(), dialogue.title(),
                    dialogue.rules(), dialogue.tags(), Status.ERROR, "harness bug: " + e, List.of(), 0,
                    transcript.events()), DialogueExecution.Contact.NOT_TRIED, System.nanoTime()));
        }
    }

    /** The result with its transcript as the run's budget lets it keep it (whole, or both ends). */
    private static CaseResult keep(CaseResult c, TranscriptBudget budget) {
        List<TranscriptEvent> kept = budget.admit(c.transcript());
        return kept == c.transcript() ? c : new CaseResult(c.suite(), c.id(), c.title(), c.rules(), c.tags(), c.status(),
                c.message(), c.findings(), c.durationMs(), kept, c.startedAt());
    }

    /** A case not started because the target had stopped answering: {@code error}, without waiting. */
    private static CaseResult notTried(Dialogue dialogue, String why) {
        Transcript transcript = new Transcript();
        transcript.note("not run: " + why);
        return new CaseResult(dialogue.suite(), dialogue.id(), dialogue.title(), dialogue.rules(), dialogue.tags(),
                Status.ERROR, why, List.of(), 0, transcript.events());
    }

    /**
     * The cases whose connection the server dropped just before it stopped answering say so first in
     * their message: that is the evidence of a crash, and which input preceded it.
     */
    private static List<CaseResult> markCrashCases(List<CaseResult> results, List<String> crashCases) {
        return results.stream().map(c -> !crashCases.contains(c.qualifiedId()) ? c : new CaseResult(c.suite(), c.id(),
                c.title(), c.rules(), c.tags(), c.status(), "the server dropped this connection and then stopped"
                + " answering new ones (a crash?): " + c.message(), c.findings(), c.durationMs(), c.transcript(),
                c.startedAt()))
                .toList();
    }

    private static CaseResult await(Future<CaseResult> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("run interrupted", e);
        } catch (ExecutionException e) {
            // runSafely catches everything a case throws; this is a listener throwing, against its contract
            throw new IllegalStateException("a run listener failed", e.getCause());
        }
    }
}
