package io.smtpharness.load;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long a load run warms up before it measures. The JVM compiles the harness's hot paths (client,
 * tracker, oracles) while it runs: for the first seconds the JIT compiler takes a large share of
 * the CPU, so a measurement taken then says more about the compiler than about the server or
 * the harness. So warm-up goes on, in rounds, until a round spends little time compiling, or until
 * {@code limit}: the same practice as a JMH warm-up, stated in the report.
 *
 * @param minSessions sessions that warm up in any case
 * @param round       sessions per later round
 * @param limit       the longest the warm-up may go on; zero: {@code minSessions} only
 */
public record WarmUp(int minSessions, int round, Duration limit) {

    /** A round that spends less than this share of its wall time compiling is a quiet one. */
    static final double SETTLED_SHARE = 0.03;
    /** Quiet rounds in a row that end the warm-up: compiling comes in bursts. */
    static final int QUIET_ROUNDS = 2;

    public WarmUp {
        if (minSessions < 0 || round < 1) {
            throw new IllegalArgumentException("minSessions < 0 or round < 1: " + minSessions + ", " + round);
        }
    }

    /**
     * A tenth of the measured sessions (at least one per concurrent slot, at most 500), then rounds
     * until the compiler has settled, for at most {@code limit}.
     */
    public static WarmUp forRun(int sessions, int concurrency, Duration limit) {
        return new WarmUp(Math.min(500, Math.max(concurrency, sessions / 10)), Math.max(concurrency, 1000), limit);
    }

    /** Only {@code sessions} sessions, however busy the compiler is. */
    public static WarmUp fixed(int sessions) {
        return new WarmUp(sessions, 1, Duration.ZERO);
    }

    /** What a warm-up did: sessions run, its wall time, and whether the compiler had settled at its end. */
    public record Done(int sessions, long durationMs, boolean settled) {
    }

    /** Runs {@code n} sessions, returning when they have all ended. */
    interface Sessions {
        void run(int n) throws InterruptedException;
    }

    Done run(Sessions sessions) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean observable = jit != null && jit.isCompilationTimeMonitoringSupported();
        return run(sessions, observable ? jit::getTotalCompilationTime : null);
    }

    /** @param compiledMs the JVM's total compiling time so far in ms; null when it cannot be observed */
    Done run(Sessions sessions, LongSupplier compiledMs) throws InterruptedException {
        boolean observable = compiledMs != null;
        long start = System.nanoTime();
        sessions.run(minSessions);
        int done = minSessions;
        int quiet = limit.isZero() || !observable ? QUIET_ROUNDS : 0;
        while (quiet < QUIET_ROUNDS && System.nanoTime() - start < limit.toNanos()) {
            long compiledBefore = compiledMs.getAsLong();
            long roundStart = System.nanoTime();
            sessions.run(round);
            done += round;
            long roundMs = Math.max(1, (System.nanoTime() - roundStart) / 1_000_000);
            quiet = compiledMs.getAsLong() - compiledBefore < SETTLED_SHARE * roundMs ? quiet + 1 : 0;
        }
        return new Done(done, (System.nanoTime() - start) / 1_000_000, quiet >= QUIET_ROUNDS);
    }
}
