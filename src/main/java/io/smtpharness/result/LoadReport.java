package io.smtpharness.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@code load} run measured.
 *
 * @param sessions     sessions run
 * @param concurrency  sessions at once, at most
 * @param ratePerSecond sessions started per second (open model); 0: each starts when one ends (closed model)
 * @param durationMs   wall time of the measured sessions
 * @param statuses     sessions by verdict
 * @param lateStarts   open model: sessions that started after they were due, all --concurrency slots busy
 * @param stages       stage → its latencies, in the order of a session (connect, greeting, EHLO, MAIL, RCPT,
 *                     DATA, end-of-data, QUIT)
 * @param warmUp       the unmeasured sessions that ran first
 */
public record LoadReport(int sessions, int concurrency, int ratePerSecond, long durationMs,
                         Map<Status, Integer> statuses, int lateStarts, Map<String, StageLatency> stages,
                         WarmUp warmUp) {

    public LoadReport {
        Objects.requireNonNull(warmUp, "warmUp");
        statuses = Map.copyOf(statuses);
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(stages)));
    }

    /** Sessions per second over the measured wall time. */
    public double sessionsPerSecond() {
        return durationMs == 0 ? 0 : sessions * 1000.0 / durationMs;
    }

    /** Sessions that ended passed. */
    public int passed() {
        return statuses.getOrDefault(Status.PASSED, 0);
    }

    /**
     * The warm-up: sessions run before the measured ones, unreported.
     *
     * @param settled the JIT compiler had settled at its end (else it hit its time limit, or had none)
     */
    public record WarmUp(int sessions, long durationMs, boolean settled) {
    }

    /**
     * One stage's latency, from the harness's last write to the arrival of the reply's last line
     * (connect: from the connect call to the established connection; greeting: from then to the 220).
     *
     * @param count how many were measured
     */
    public record StageLatency(long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }
}
