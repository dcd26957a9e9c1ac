package io.smtpharness.load;

import io.smtpharness.result.LoadReport.StageLatency;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Latencies per stage of a session, recorded from many threads (HdrHistogram, 3 significant digits). */
final class StageLatencies {

    private static final List<String> SESSION_ORDER = List.of(TimedConnector.CONNECT, TimedConnector.GREETING, "EHLO",
            "MAIL", "RCPT", "DATA", TimedConnector.END_OF_DATA, "QUIT");

    private final Map<String, Histogram> byStage = new ConcurrentHashMap<>();

    void record(String stage, long nanos) {
        byStage.computeIfAbsent(stage, s -> new ConcurrentHistogram(3)).recordValue(Math.max(0, nanos));
    }

    /** Forgets everything recorded so far (after the warm-up). */
    void reset() {
        byStage.clear();
    }

    /** Each stage's percentiles, in the order of a session; stages outside it (AUTH, say) after, by name. */
    Map<String, StageLatency> snapshot() {
        Map<String, StageLatency> out = new LinkedHashMap<>();
        Comparator<String> sessionOrder = Comparator.comparingInt((String stage) -> SESSION_ORDER.contains(stage)
                ? SESSION_ORDER.indexOf(stage) : SESSION_ORDER.size()).thenComparing(Comparator.naturalOrder());
        byStage.keySet().stream().sorted(sessionOrder).forEach(stage -> out.put(stage,
                latency(byStage.get(stage))));
        return out;
    }

    private static StageLatency latency(Histogram h) {
        return new StageLatency(h.getTotalCount(), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0; // microsecond resolution, in milliseconds
    }
}
