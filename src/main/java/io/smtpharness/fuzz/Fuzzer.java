package io.smtpharness.fuzz;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.Step;
import io.smtpharness.process.TargetControl;
import io.smtpharness.result.FuzzFinding;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.suite.SuiteWriter;
import io.smtpharness.transcript.Transcript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Fuzzes one target: jqwik generates dialogues (lists of {@link FuzzActions}) from seeds derived
 * from the run's seed, in batches, until the tries or the time are used up; they are performed on
 * {@link FuzzOptions#connections()} connections at once. Each failure is shrunk ({@link Shrinker})
 * and becomes a {@link FuzzFinding} and a suite file in the findings directory that
 * {@code run --suite} replays; a failure of a kind and rule already found is not reported again.
 * One run at a time per JVM.
 */
public final class Fuzzer {

    private static final Object ONE_RUN_AT_A_TIME = new Object();

    private final SmtpClient client;
    private final InetSocketAddress target;
    private final FuzzOptions options;
    private final Consumer<FuzzFinding> found;
    private final Optional<TargetControl> control;
    private List<List<String>> recorded = List.of();
    private int openAtMost;
    /** The run in progress, for {@link #sofar}; null before and after. */
    private volatile Live live;

    private record Live(FuzzRun run, List<Long> seeds, List<FuzzFinding> findings, long start) {
    }

    /** A fuzzer of {@code target}. */
    public Fuzzer(SmtpClient client, InetSocketAddress target, FuzzOptions options) {
        this(client, target, options, Optional.empty(), finding -> { });
    }

    /**
     * A fuzzer that brings the target back after a crash through {@code control} (--exec, --restart)
     * and tells {@code found} of each finding as it is made (quickly: the run waits for it).
     */
    public Fuzzer(SmtpClient client, InetSocketAddress target, FuzzOptions options, Optional<TargetControl> control,
                  Consumer<FuzzFinding> found) {
        this.client = client;
        this.target = target;
        this.options = options;
        this.control = control;
        this.found = found;
    }

    /** The seed of batch {@code i} of a run seeded {@code seed} (batch 0 uses the seed itself). */
    public static long batchSeed(long seed, int i) {
        if (i == 0) {
            return seed;
        }
        long z = seed + i * 0x9E3779B97F4A7C15L; // splitmix64
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fuzzes until the tries or the duration are used up; returns what it found. */
    public FuzzReport run() throws TargetUnreachableException {
        synchronized (ONE_RUN_AT_A_TIME) {
            client.connect(target, new Transcript()).close(); // an unreachable target is exit 3, not a finding
            long start = System.nanoTime();
            long deadline = options.duration().map(d -> start + d.toNanos()).orElse(Long.MAX_VALUE);
            FuzzRun run = new FuzzRun(options, client, target, deadline, control);
            List<Long> seeds = new CopyOnWriteArrayList<>();
            List<FuzzFinding> findings = new CopyOnWriteArrayList<>();
            live = new Live(run, seeds, findings, start);
            // a target that is restarted after a crash would take the other dialogues down with it
            int connections = control.isPresent() ? 1 : options.connections();
            JqwikSession.start(); // jqwik generates and shrinks values only inside a session, on this thread
            try (TryPipeline tries = new TryPipeline(options, run, connections, seeds)) {
                for (Optional<TryPipeline.Outcome> next; (next = tries.next()).isPresent(); ) {
                    judge(run, next.get(), tries, findings);
                }
            } finally {
                JqwikSession.finish();
            }
            recorded = run.recorded();
            openAtMost = run.openAtMost();
            live = null;
            long ms = (System.nanoTime() - start) / 1_000_000;
            String stopped = run.unreachableReason() == null ? ""
                    : "the target stopped accepting connections: " + run.unreachableReason();
            return new FuzzReport(options.seed(), seeds, run.tries.get(), run.dialogues.get(), ms, findings,
                    run.coverage(), stopped);
        }
    }

    /**
     * Takes one try's outcome, in try order: the first failure of each kind and rule is shrunk, once
     * the tries still running have ended, and becomes a finding; later ones of that key are not
     * reported again.
     */
    private void judge(FuzzRun run, TryPipeline.Outcome outcome, TryPipeline tries, List<FuzzFinding> findings) {
        run.record(outcome.attempt().steps());
        Optional<FuzzFailure> failure = outcome.attempt().failure()
                .filter(f -> f.kind != FuzzFailure.Kind.UNREACHABLE && !run.isKnown(f.key()));
        if (failure.isPresent()) {
            tries.awaitIdle();
            FuzzFailure smallest = new Shrinker(run).shrink(outcome.actions(), failure.get());
            run.known(smallest.key());
            FuzzFinding finding = finding(run, smallest, outcome.seed(), findings.size() + 1);
            findings.add(finding);
            found.accept(finding);
        }
    }

    /** The run in progress, for a progress line: tries, findings and pace so far; empty when none is going on. */
    public Optional<String> status() {
        Live now = live;
        if (now == null) {
            return Optional.empty();
        }
        double seconds = (System.nanoTime() - now.start()) / 1e9;
        return Optional.of(String.format(Locale.ROOT, "fuzz: %d tries, %d finding(s), %.0f dialogues/s%s",
                now.run().tries.get(), now.findings().size(), now.run().dialogues.get() / Math.max(seconds, 0.001),
                now.run().shrinking() ? ", shrinking a failure" : ""));
    }

    /**
     * What the run in progress has done so far (tries, findings, coverage), marked stopped for
     * {@code why}: an interrupted fuzz run still reports its findings. Empty when no run is going on.
     */
    public Optional<FuzzReport> sofar(String why) {
        Live now = live;
        if (now == null) {
            return Optional.empty();
        }
        return Optional.of(new FuzzReport(options.seed(), now.seeds(), now.run().tries.get(), now.run().dialogues.get(),
                (System.nanoTime() - now.start()) / 1_000_000, now.findings(), now.run().coverage(), why));
    }

    /** The client side of every generated try of the last run, when {@link FuzzOptions#recordDialogues()}. */
    public List<List<String>> recordedDialogues() {
        return recorded;
    }

    /** The most dialogues the last run had open at once: at most its connections (a failure is shrunk alone). */
    public int dialoguesAtOnce() {
        return openAtMost;
    }

    /** Turns a shrunk failure into a finding and writes its suite file. */
    private FuzzFinding finding(FuzzRun run, FuzzFailure failure, long seed, int number) {
        String id = failure.kind.label() + "-" + number + "-" + failure.ruleId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("-$", "");
        String message = failure.detail();
        Optional<String> evidence = run.evidence(failure);
        if (evidence.isPresent()) {
            message += "; " + evidence.get();
        } else if (failure.kind == FuzzFailure.Kind.CRASH) {
            message += run.stillGreets() ? "; a fresh connection still gets a greeting (server still greets)"
                    : "; a fresh connection gets no greeting (server no longer greets)";
        }
        String title = (failure.kind.label() + ": " + message).replaceAll("[\\r\\n]+", " ");
        Dialogue dialogue = new Dialogue("fuzz-" + id, "replay", title.length() > 300 ? title.substring(0, 297) + "..." : title,
                List.of(failure.ruleId), List.of("fuzz"), Optional.empty(), List.of(), replaySteps(failure), "fuzz seed " + seed);
        String file = "findings/" + id + ".yaml";
        List<String> header = List.of("smtp-harness fuzz finding " + id + " (" + failure.kind.label() + ", rule " + failure.ruleId + ")",
                message, "found with fuzz --seed " + options.seed() + " (batch seed " + seed + "), shrunk to "
                        + failure.commands + " command(s)",
                "replay: java -jar smtp-harness.jar run --target HOST:PORT --suite " + file);
        String yaml = SuiteWriter.write("fuzz-" + id, "fuzz finding " + id, header, List.of(dialogue));
        try {
            Files.createDirectories(options.findingsDir());
            Files.writeString(options.findingsDir().resolve(id + ".yaml"), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FuzzFinding(id, failure.kind.label(), List.of(failure.ruleId), message, seed, file, failure.commands,
                failure.transcript);
    }

    /**
     * The steps a finding's replay performs: those of the shrunk dialogue, the unanswered expect of a
     * hang citing 5321-4.2-ONE-REPLY (so its silence is the breach, not a harness error), and after a
     * hang or a crash a fresh connection that must be greeted: a replay fails the same way as the
     * finding when the server still hangs or dies, and passes on a server without the fault.
     */
    private List<Step> replaySteps(FuzzFailure failure) {
        List<Step> steps = new ArrayList<>(failure.steps);
        if (failure.kind == FuzzFailure.Kind.HANG && !steps.isEmpty() && steps.get(steps.size() - 1) instanceof Step.Expect last) {
            steps.set(steps.size() - 1, new Step.Expect(last.matcher(), Optional.of(failure.ruleId), last.origin()));
        }
        if (failure.kind == FuzzFailure.Kind.HANG || failure.kind == FuzzFailure.Kind.CRASH) {
            steps.add(new Step.ExpectGreeting(client.options().replyTimeout(), Optional.of(failure.ruleId),
                    "liveness after the " + failure.kind.label()));
        }
        return steps;
    }
}
