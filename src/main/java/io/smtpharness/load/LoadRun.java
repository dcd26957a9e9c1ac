package io.smtpharness.load;

import io.smtpharness.client.Connector;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.DialogueRunner;
import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Step;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.LoadReport;
import io.smtpharness.result.Status;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code sessions} full sessions (EHLO, MAIL, RCPT, DATA with 1 KiB of content, QUIT) against
 * one target, {@code concurrency} at a time, each judged by the same runner and oracles as
 * {@code run}. A warm-up of {@link #warmUpSessions} sessions goes first, unmeasured and unreported.
 * Memory stays bounded whatever the count: only the first session and the first
 * {@link #KEPT_PROBLEMS} that did not pass are kept whole, with their transcripts.
 */
public final class LoadRun {

    /** Sessions that did not pass kept whole for the report; the rest are only counted. */
    static final int KEPT_PROBLEMS = 20;
    /** The rule a session tests: a full transaction gets 354 to DATA and 250 after the content. */
    static final String RULE = "5321-3.3-DATA-354-250";

    private final Connector client;
    private final InetSocketAddress target;
    private final RunnerOptions options;
    private final int concurrency;

    public LoadRun(Connector client, InetSocketAddress target, RunnerOptions options, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency < 1: " + concurrency);
        }
        this.client = client;
        this.target = target;
        this.options = options;
        this.concurrency = concurrency;
    }

    /** What was measured, and the sessions kept whole (the first one, then those that did not pass). */
    public record Result(LoadReport report, List<CaseResult> kept) {
        public Result {
            kept = List.copyOf(kept);
        }
    }

    /** How many unmeasured sessions warm up the JIT and the server first. */
    public static int warmUpSessions(int sessions, int concurrency) {
        return Math.min(500, Math.max(concurrency, sessions / 10));
    }

    /**
     * Runs the warm-up (closed model), then {@code sessions} measured sessions: with
     * {@code ratePerSecond} 0, each starts when one ends (closed model); otherwise session i is due
     * at i / rate seconds (open model), and one due while {@code concurrency} are in flight starts
     * late, counted in the report.
     */
    public Result run(int sessions, int ratePerSecond) throws InterruptedException {
        StageLatencies latencies = new StageLatencies();
        DialogueRunner runner = new DialogueRunner(new TimedConnector(client, latencies), target, options);
        Dialogue session = session();
        closed(new Tally(runner, session), warmUpSessions(sessions, concurrency));
        latencies.reset();
        Tally tally = new Tally(runner, session);
        long start = System.nanoTime();
        int late = ratePerSecond == 0 ? closed(tally, sessions) : open(tally, sessions, ratePerSecond);
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        return new Result(new LoadReport(sessions, concurrency, ratePerSecond, durationMs, tally.statuses(), late,
                latencies.snapshot()), List.copyOf(tally.kept.values()));
    }

    /** Closed model: {@code concurrency} workers, each running sessions one after another. */
    private int closed(Tally tally, int sessions) throws InterruptedException {
        ExecutorService pool = pool();
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                workers.add(pool.submit(() -> {
                    for (int n; (n = next.incrementAndGet()) <= sessions; ) {
                        tally.runOne(n);
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a load session failed in the harness", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return 0;
    }

    /** Open model: sessions due at a fixed rate; returns how many started late (all slots busy). */
    private int open(Tally tally, int sessions, int ratePerSecond) throws InterruptedException {
        ExecutorService pool = pool();
        Semaphore slots = new Semaphore(concurrency);
        int late = 0;
        long start = System.nanoTime();
        try {
            for (int n = 1; n <= sessions; n++) {
                long due = start + (n - 1) * 1_000_000_000L / ratePerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (!slots.tryAcquire()) {
                    late++;
                    slots.acquire();
                }
                int number = n;
                pool.execute(() -> {
                    try {
                        tally.runOne(number);
                    } finally {
                        slots.release();
                    }
                });
            }
            slots.acquire(concurrency); // every session has ended
        } finally {
            pool.shutdownNow();
        }
        return late;
    }

    private ExecutorService pool() {
        return Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "load-session");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs sessions and counts them by verdict, keeping the first and the first problems whole. */
    private static final class Tally {
        private final DialogueRunner runner;
        private final Dialogue session;
        /** Session number → the session kept whole, in session order. */
        private final Map<Integer, CaseResult> kept = new ConcurrentSkipListMap<>();
        private final Map<Status, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final AtomicInteger problems = new AtomicInteger();

        Tally(DialogueRunner runner, Dialogue session) {
            this.runner = runner;
            this.session = session;
        }

        void runOne(int n) {
            CaseResult result = runner.run(session);
            counts.computeIfAbsent(result.status(), s -> new AtomicInteger()).incrementAndGet();
            boolean keptProblem = result.status() != Status.PASSED && problems.incrementAndGet() <= KEPT_PROBLEMS;
            if (n == 1 || keptProblem) {
                kept.put(n, numbered(result, n));
            }
        }

        Map<Status, Integer> statuses() {
            Map<Status, Integer> out = new EnumMap<>(Status.class);
            counts.forEach((status, n) -> out.put(status, n.get()));
            return out;
        }
    }

    private static CaseResult numbered(CaseResult r, int n) {
        return new CaseResult(r.suite(), "session-" + n, r.title() + " #" + n, r.rules(), r.tags(), r.status(),
                r.message(), r.findings(), r.durationMs(), r.transcript());
    }

    /** EHLO, MAIL, RCPT, DATA, 1 KiB of content; the runner ends it with QUIT. */
    static Dialogue session() {
        String content = "Subject: smtp-harness load\n\n" + ("x".repeat(63) + "\n").repeat(16);
        List<Step> steps = new ArrayList<>();
        for (String[] exchange : new String[][] {{"EHLO ${helo}", "250"}, {"MAIL FROM:<${sender}>", "250"},
                {"RCPT TO:<${recipient}>", "250"}, {"DATA", "354"}}) {
            steps.add(new Step.Send(exchange[0], "load"));
            steps.add(new Step.Expect(ReplyMatcher.of(exchange[1]), Optional.empty(), "load"));
        }
        steps.add(new Step.SendData(content, "load"));
        steps.add(new Step.Expect(ReplyMatcher.of("250"), Optional.empty(), "load"));
        return new Dialogue("load", "session", "a full session: EHLO, MAIL, RCPT, DATA with 1 KiB, QUIT",
                List.of(RULE), List.of(), Optional.empty(), List.of(), steps, "load");
    }
}
