package io.smtpharness.result;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished run: what was tested, when, for how long, and every case result in a stable order.
 *
 * @param tool      the tool name
 * @param version   the tool version
 * @param target    how the target was reached, e.g. {@code 127.0.0.1:2525} or {@code embedded 127.0.0.1:40123}
 * @param startedAt when the run started
 * @param durationMs wall time of the whole run
 * @param cases     results, ordered by suite then case as loaded
 * @param stop      why the run stopped short (pre-flight, target lost, interrupted), if it did
 * @param sharding  the part of a whole run this was ({@code --shard}), if it was one
 */
public record RunSummary(String tool, String version, String target, Instant startedAt, long durationMs,
                         List<CaseResult> cases, Optional<RunStop> stop, Optional<Sharding> sharding) {

    /** A summary of a whole run, not a shard of one. */
    public RunSummary(String tool, String version, String target, Instant startedAt, long durationMs,
                      List<CaseResult> cases, Optional<RunStop> stop) {
        this(tool, version, target, startedAt, durationMs, cases, stop, Optional.empty());
    }

    /** A summary of a run that finished. */
    public RunSummary(String tool, String version, String target, Instant startedAt, long durationMs,
                      List<CaseResult> cases) {
        this(tool, version, target, startedAt, durationMs, cases, Optional.empty());
    }

    /** A summary read back or merged, where only "complete or not" is known. */
    public RunSummary(String tool, String version, String target, Instant startedAt, long durationMs,
                      List<CaseResult> cases, boolean complete) {
        this(tool, version, target, startedAt, durationMs, cases, complete ? Optional.empty()
                : Optional.of(new RunStop(RunStop.Kind.INTERRUPTED, "the run was interrupted", List.of())));
    }

    /** False when some planned case has no verdict: the run was interrupted or never got going. */
    public boolean complete() {
        return stop.map(s -> s.kind() == RunStop.Kind.TARGET_LOST && s.everyCaseJudged()).orElse(true);
    }

    public RunSummary {
        Objects.requireNonNull(tool, "tool == null");
        Objects.requireNonNull(version, "version == null");
        Objects.requireNonNull(target, "target == null");
        Objects.requireNonNull(startedAt, "startedAt == null");
        cases = List.copyOf(cases);
        Objects.requireNonNull(stop, "stop == null");
        Objects.requireNonNull(sharding, "sharding == null");
    }

    /** This summary as the part {@code part} of a whole run. */
    public RunSummary withSharding(Sharding part) {
        return new RunSummary(tool, version, target, startedAt, durationMs, cases, stop, Optional.of(part));
    }

    /** How many cases ended in each status; every status is present, zero if unused. */
    public Map<Status, Integer> counts() {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        cases.forEach(c -> counts.merge(c.status(), 1, Integer::sum));
        return counts;
    }

    /**
     * The findings made outside what their cases test, warnings and failures only, one entry per
     * rule and severity (worst first, then in order of first appearance), each naming its cases.
     */
    public List<RunWideFinding> incidentalFindings() {
        return grouped(Finding.Reach.INCIDENTAL);
    }

    /**
     * The deviations in how the server writes replies (a malformed or endless reply), which also
     * decided their cases, grouped like {@link #incidentalFindings()}.
     */
    public List<RunWideFinding> serverWideFindings() {
        return grouped(Finding.Reach.SERVER_WIDE);
    }

    private List<RunWideFinding> grouped(Finding.Reach reach) {
        Map<String, List<String>> cases = new LinkedHashMap<>();
        Map<String, Finding> first = new LinkedHashMap<>();
        for (CaseResult c : this.cases) {
            for (Finding f : c.findings()) {
                if (f.reach() == reach && f.severity() != Severity.NOTE) {
                    String key = f.severity() + " " + f.ruleId();
                    first.putIfAbsent(key, f);
                    List<String> where = cases.computeIfAbsent(key, k -> new ArrayList<>());
                    if (!where.contains(c.qualifiedId())) {
                        where.add(c.qualifiedId());
                    }
                }
            }
        }
        return first.entrySet().stream()
                .map(e -> new RunWideFinding(e.getValue().ruleId(), e.getValue().severity(),
                        e.getValue().message(), cases.get(e.getKey())))
                .sorted(Comparator.comparing(RunWideFinding::severity).reversed())
                .toList();
    }

    /** True when some case failed. */
    public boolean hasFailures() {
        return cases.stream().anyMatch(c -> c.status() == Status.FAILED);
    }
}
