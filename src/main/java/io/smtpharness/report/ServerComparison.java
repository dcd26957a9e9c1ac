package io.smtpharness.report;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Several runs side by side, one per server: a rule × server matrix whose cell is the worst verdict
 * of that rule on that server (as in each run's by-rule matrix), the rules where the servers
 * disagree first. Pure: the writers are in {@link CompareReport}.
 */
public final class ServerComparison {

    /**
     * One server's run.
     *
     * @param name   the column's name
     * @param run    its summary
     * @param report its report directory, to link cells to the evidence
     */
    public record Server(String name, RunSummary run, String report) {
        public Server {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(run, "run == null");
            Objects.requireNonNull(report, "report == null");
        }
    }

    /**
     * One cell: the worst verdict of a rule on a server, with the cases citing it there and the
     * evidence of the first case that got that verdict.
     */
    public record Cell(Status worst, int cases, String evidence) {
    }

    /**
     * One rule across the servers.
     *
     * @param ruleId   the rule
     * @param cells    server name → cell, absent where no case of that run cited the rule
     * @param disagree true when the servers that were tested on the rule (not skipped) got different verdicts
     */
    public record Row(String ruleId, Map<String, Cell> cells, boolean disagree) {
        public Row {
            cells = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cells));
        }
    }

    private final List<Server> servers;
    private final List<Row> rows;

    private ServerComparison(List<Server> servers, List<Row> rows) {
        this.servers = List.copyOf(servers);
        this.rows = List.copyOf(rows);
    }

    /** The servers compared, each name once. */
    public static ServerComparison of(List<Server> servers) {
        Set<String> names = new LinkedHashSet<>();
        servers.forEach(s -> {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("two runs are named '" + s.name() + "'; name them NAME=DIR");
            }
        });
        Map<String, Map<String, Cell>> byRule = new LinkedHashMap<>();
        for (Server server : servers) {
            for (RuleMatrix.Row row : RuleMatrix.of(server.run())) {
                byRule.computeIfAbsent(row.ruleId(), k -> new LinkedHashMap<>())
                        .put(server.name(), new Cell(row.worst(), row.cases().size(), evidence(row)));
            }
        }
        List<Row> rows = new ArrayList<>();
        // skipped is "not tested here": it neither agrees nor disagrees
        byRule.forEach((rule, cells) -> rows.add(new Row(rule, cells, cells.values().stream().map(Cell::worst)
                .filter(status -> status != Status.SKIPPED).distinct().count() > 1)));
        rows.sort(Comparator.comparing((Row r) -> !r.disagree())
                .thenComparing(r -> RuleMatrix.groupOf(r.ruleId()).replace("Gray zones", "~"))
                .thenComparing(r -> RuleMatrix.sectionKey(r.ruleId())).thenComparing(Row::ruleId));
        return new ServerComparison(servers, rows);
    }

    /** The first finding on the row's rule at the row's worst verdict, or the case's message. */
    private static String evidence(RuleMatrix.Row row) {
        for (CaseResult c : row.cases()) {
            if (RuleMatrix.statusFor(row.ruleId(), c) == row.worst()) {
                Optional<Finding> finding = c.findings().stream().filter(f -> f.ruleId().equals(row.ruleId())
                        && f.severity().toStatus() == row.worst()).findFirst();
                return c.qualifiedId() + ": " + finding.map(Finding::message).orElse(c.message());
            }
        }
        return "";
    }

    public List<Server> servers() {
        return servers;
    }

    /** Every rule, those where the servers disagree first, then by RFC and section. */
    public List<Row> rows() {
        return rows;
    }

    /** The rules where the servers disagree. */
    public List<Row> disagreements() {
        return rows.stream().filter(Row::disagree).toList();
    }

    /** The rules {@code server} failed, in row order. */
    public List<String> failedRules(String server) {
        return rows.stream().filter(r -> r.cells().containsKey(server)
                && r.cells().get(server).worst() == Status.FAILED).map(Row::ruleId).toList();
    }
}
