package io.smtpharness.fuzz;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.Step;
import io.smtpharness.result.FuzzFinding;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.suite.SuiteWriter;
import io.smtpharness.process.TargetControl;
import io.smtpharness.transcript.Transcript;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the fuzz property against one target through the JUnit Platform Launcher, in batches with
 * seeds derived from the run's seed, until the tries or the time are used up. Each failure jqwik
 * shrinks becomes a {@link FuzzFinding} and a suite file in the findings directory that
 * {@code run --suite} replays; a finding already made is not reported again (later batches look
 * for other ones). One run at a time per JVM.
 */
public final class Fuzzer {

    private static final Object ONE_RUN_AT_A_TIME = new Object();
    /** How long jqwik may shrink one failure. */
    private static final int SHRINKING_SECONDS = 60;
    private static final Pattern SEED_LINE = Pattern.compile("(?m)^seed = (-?\\d+)");

    private final SmtpClient client;
    private final InetSocketAddress target;
    private final FuzzOptions options;
    private final Optional<PrintWriter> progress;
    private final Optional<TargetControl> control;
    private List<List<String>> recorded = List.of();
    /** The run in progress, for {@link #sofar}; null before and after. */
    private volatile Live live;

    private record Live(FuzzRun run, List<Long> seeds, List<FuzzFinding> findings, long start) {
    }

    /** A fuzzer; {@code progress} gets a status line every second (empty: quiet). */
    public Fuzzer(SmtpClient client, InetSocketAddress target, FuzzOptions options, Optional<PrintWriter> progress) {
        this(client, target, options, progress, Optional.empty());
    }

    /** A fuzzer that brings the target back after a crash through {@code control} (--exec, --restart). */
    public Fuzzer(SmtpClient client, InetSocketAddress target, FuzzOptions options, Optional<PrintWriter> progress,
                  Optional<TargetControl> control) {
        this.client = client;
        this.target = target;
        this.options = options;
        this.progress = progress;
        this.control = control;
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
            FuzzRun.install(run);
            List<Long> seeds = new CopyOnWriteArrayList<>();
            List<FuzzFinding> findings = new CopyOnWriteArrayList<>();
            live = new Live(run, seeds, findings, start);
            ScheduledExecutorService ticker = progress.map(out -> startProgress(out, run, findings, start)).orElse(null);
            Path database;
            try {
                database = Files.createTempFile("smtp-harness-jqwik", ".database");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                for (int batch = 0; ; batch++) {
                    long left = options.tries() - run.tries.get();
                    if (options.duration().isPresent() ? run.overtime() : left <= 0) {
                        break;
                    }
                    if (run.unreachableReason() != null) {
                        break;
                    }
                    long seed = batchSeed(options.seed(), batch);
                    seeds.add(seed);
                    int tries = (int) Math.min(options.batchTries(), options.duration().isPresent() ? options.batchTries() : left);
                    run.startBatch(seed, tries);
                    long before = run.tries.get();
                    launch(database, seed, shrinkingSeconds(run));
                    FuzzFailure best = run.best();
                    if (best != null) {
                        best = new Minimizer(run).minimize(best);
                        run.known(best.key());
                        findings.add(finding(run, best, seed, findings.size() + 1));
                    } else if (run.tries.get() == before && run.unreachableReason() == null) {
                        break; // nothing ran: out of time
                    }
                }
            } finally {
                if (ticker != null) {
                    ticker.shutdownNow();
                    progress.get().print("\r\033[K");
                    progress.get().flush();
                }
                FuzzRun.install(null);
                try {
                    Files.deleteIfExists(database);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
            recorded = run.recorded();
            live = null;
            long ms = (System.nanoTime() - start) / 1_000_000;
            String stopped = run.unreachableReason() == null ? ""
                    : "the target stopped accepting connections: " + run.unreachableReason();
            return new FuzzReport(options.seed(), seeds, run.tries.get(), run.dialogues.get(), ms, findings,
                    run.coverage(), stopped);
        }
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

    /** jqwik's shrinking bound: at most SHRINKING_SECONDS, and no further than what --duration leaves. */
    private static long shrinkingSeconds(FuzzRun run) {
        return Math.max(1, Math.min(SHRINKING_SECONDS, run.nanosLeft() / 1_000_000_000L));
    }

    private void launch(Path database, long seed, long shrinkingSeconds) {
        try {
            Files.deleteIfExists(database); // no memory of earlier batches: each starts from its own seed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(FuzzProperties.class))
                .filters(EngineFilter.includeEngines("jqwik"))
                .configurationParameter("jqwik.database", database.toString())
                .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                .configurationParameter("jqwik.reporting.onlyfailures", "false")
                .configurationParameter("jqwik.failures.after.default", "RANDOM_SEED")
                .configurationParameter("jqwik.shrinking.bounded.seconds", String.valueOf(shrinkingSeconds))
                .configurationParameter("jqwik.failures.runfirst", "false")
                .build();
        Launcher launcher = LauncherFactory.create();
        List<Throwable> unexpected = new ArrayList<>();
        List<String> seedsUsed = new ArrayList<>();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                entry.getKeyValuePairs().values().forEach(text -> {
                    Matcher m = SEED_LINE.matcher(text);
                    if (m.find()) {
                        seedsUsed.add(m.group(1));
                    }
                });
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                result.getThrowable().filter(t -> FuzzFailure.in(t).isEmpty()).ifPresent(unexpected::add);
            }
        });
        if (!unexpected.isEmpty()) {
            throw new IllegalStateException("the fuzz property failed unexpectedly: " + unexpected.get(0), unexpected.get(0));
        }
        // same seed, same dialogues: a jqwik that picked another seed would break that promise
        if (seedsUsed.stream().anyMatch(used -> !used.equals(Long.toString(seed)))) {
            throw new IllegalStateException("jqwik ran with seed " + seedsUsed + " instead of " + seed);
        }
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

    private ScheduledExecutorService startProgress(PrintWriter out, FuzzRun run, List<FuzzFinding> findings, long start) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fuzz-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            out.print(String.format(Locale.ROOT, "\r\033[Kfuzz: %d tries, %d finding(s), %.0f dialogues/s%s",
                    run.tries.get(), findings.size(), run.dialogues.get() / Math.max(seconds, 0.001),
                    run.shrinking() ? ", shrinking a failure" : ""));
            out.flush();
        }, 1, 1, TimeUnit.SECONDS);
        return ticker;
    }
}
