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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs {@code sessions} full sessions (EHLO, MAIL, RCPT, DATA with 1 KiB of content, QUIT) against
 * one target, {@code concurrency} at a time, each judged by the same runner and oracles as
 * {@code run}. A {@link WarmUp} goes first, unmeasured, until the JIT compiler has settled.
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
    private final Consumer<CaseResult> problem;
    /** The sessions under way, for {@link #status}: the warm-up's, then the measured ones; null before. */
    private volatile Tally live;
    private volatile boolean measuring;
    private volatile int planned;

    public LoadRun(Connector client, InetSocketAddress target, RunnerOptions options, int concurrency) {
        this(client, target, options, concurrency, result -> { });
    }

    /** A load run that tells {@code problem} of each session that did not pass, as it ends (quickly). */
    public LoadRun(Connector client, InetSocketAddress target, RunnerOptions options, int concurrency,
                   Consumer<CaseResult> problem) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency < 1: " + concurrency);
        }
        this.client = client;
        this.target = target;
        this.options = options;
        this.concurrency = concurrency;
        this.problem = problem;
    }

    /** The run now, for a progress line: the warm-up's sessions, or the measured ones done of all. */
    public String status() {
        Tally now = live;
        if (now == null) {
            return "load: starting";
        }
        int done = now.done();
        int notPassed = done - now.statuses().getOrDefault(Status.PASSED, 0);
        return (measuring ? "load: " + done + "/" + planned + " sessions" : "load: warm-up, " + done + " sessions")
                + (notPassed == 0 ? "" : ", " + notPassed + " not passed");
    }

    /** What was measured, and the sessions kept whole (the first one, then those that did not pass). */
    public record Result(LoadReport report, List<CaseResult> kept) {
        public Result {
            kept = List.copyOf(kept);
        }
    }

    /**
     * Runs the warm-up (closed model, as {@code warmUp} says), then {@code sessions} measured sessions: with
     * {@code ratePerSecond} 0, each starts when one ends (closed model); otherwise session i is due
     * at i / rate seconds (open model), and one due while {@code concurrency} are in flight starts
     * late, counted in the report.
     */
    public Result run(int sessions, int ratePerSecond, WarmUp warmUp) throws InterruptedException {
        StageLatencies latencies = new StageLatencies();
        DialogueRunner runner = new DialogueRunner(new TimedConnector(client, latencies), target, options);
        Dialogue session = session();
        Tally warming = new Tally(runner, session, problem);
        live = warming;
        WarmUp.Done warm = warmUp.run(n -> closed(warming, n));
        latencies.reset();
        Tally tally = new Tally(runner, session, problem);
        planned = sessions;
        live = tally;
        measuring = true;
        long start = System.nanoTime();
        int late = ratePerSecond == 0 ? closed(tally, sessions) : open(tally, sessions, ratePerSecond);
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        return new Result(new LoadReport(sessions, concurrency, ratePerSecond, durationMs, tally.statuses(), late,
                latencies.snapshot(), new LoadReport.WarmUp(warm.sessions(), warm.durationMs(), warm.settled())),
                List.copyOf(tally.kept.values()));
    }

    /**
     * Closed model: {@code concurrency} sessions in flight, each started when one ends. This thread
     * only starts them; each is driven by its replies on the client's event loop.
     */
    private int closed(Tally tally, int sessions) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        for (int n = 1; n <= sessions; n++) {
            slots.acquire();
            tally.start(n, slots::release);
        }
        slots.acquire(concurrency); // every session has ended
        return 0;
    }

    /** Open model: sessions due at a fixed rate; returns how many started late (all slots busy). */
    private int open(Tally tally, int sessions, int ratePerSecond) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        int late = 0;
        long start = System.nanoTime();
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
            tally.start(n, slots::release);
        }
        slots.acquire(concurrency); // every session has ended
        return late;
    }

    /** Runs sessions and counts them by verdict, keeping the first and the first problems whole. */
    private static final class Tally {
        private final DialogueRunner runner;
        private final Dialogue session;
        /** Session number → the session kept whole, in session order. */
        private final Map<Integer, CaseResult> kept = new ConcurrentSkipListMap<>();
        private final Map<Status, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final AtomicInteger problems = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final Consumer<CaseResult> problem;

        Tally(DialogueRunner runner, Dialogue session, Consumer<CaseResult> problem) {
            this.runner = runner;
            this.session = session;
            this.problem = problem;
        }

        int done() {
            return done.get();
        }

        /** Starts session {@code n}; {@code ended} runs once it is counted. */
        void start(int n, Runnable ended) {
            runner.runThen(session, result -> {
                try {
                    count(n, result);
                } finally {
                    ended.run();
                }
            });
        }

        private void count(int n, CaseResult result) {
            counts.computeIfAbsent(result.status(), s -> new AtomicInteger()).incrementAndGet();
            boolean keptProblem = result.status() != Status.PASSED && problems.incrementAndGet() <= KEPT_PROBLEMS;
            if (n == 1 || keptProblem) {
                kept.put(n, numbered(result, n));
            }
            if (result.status() != Status.PASSED) {
                problem.accept(numbered(result, n));
            }
            done.incrementAndGet();
        }

        Map<Status, Integer> statuses() {
            Map<Status, Integer> out = new EnumMap<>(Status.class);
            counts.forEach((status, n) -> out.put(status, n.get()));
            return out;
        }
    }

    private static CaseResult numbered(CaseResult r, int n) {
        return new CaseResult(r.suite(), "session-" + n, r.title() + " #" + n, r.rules(), r.tags(), r.status(),
                r.message(), r.findings(), r.durationMs(), r.transcript(), r.startedAt());
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
