package io.smtpharness.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a fuzz run adds to its report: the findings, the seeds of its batches, how much it did, and
 * which command was sent in which session state how often (RFC 5321 §4.1.4 states).
 *
 * @param seed       the run's seed ({@code --seed})
 * @param batchSeeds the seed of each batch of tries, derived from {@code seed}, in order
 * @param tries      generated dialogues run (shrinking runs not counted)
 * @param dialogues  all dialogues run, shrinking included
 * @param durationMs wall time of the fuzzing
 * @param findings   the shrunk findings
 * @param coverage   state → command kind → how many replies were judged for that pair
 * @param stopped    why the run ended before its tries or time were used up ("" when it did not)
 */
public record FuzzReport(long seed, List<Long> batchSeeds, long tries, long dialogues, long durationMs,
                         List<FuzzFinding> findings, Map<String, Map<String, Long>> coverage, String stopped) {

    public FuzzReport {
        Objects.requireNonNull(stopped, "stopped == null");
        batchSeeds = List.copyOf(batchSeeds);
        findings = List.copyOf(findings);
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(coverage, "coverage == null").forEach((k, v) -> copy.put(k,
                Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        coverage = Collections.unmodifiableMap(copy);
    }

    /** Dialogues per second, shrinking included. */
    public double dialoguesPerSecond() {
        return durationMs <= 0 ? 0 : dialogues * 1000.0 / durationMs;
    }
}
