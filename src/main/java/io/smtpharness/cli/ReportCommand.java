package io.smtpharness.cli;

import io.smtpharness.report.BaselineReport;
import io.smtpharness.report.CompareReport;
import io.smtpharness.report.ReportException;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.report.ServerComparison;
import io.smtpharness.report.SummaryJson;
import io.smtpharness.report.TerminalSummary;
import io.smtpharness.result.Baseline;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Shard;
import io.smtpharness.result.ShardJoin;
import io.smtpharness.result.Sharding;
import io.smtpharness.result.Status;
import io.smtpharness.result.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report}: work on report directories that runs wrote. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Work on report directories written by run.",
        subcommands = {ReportCommand.Merge.class, ReportCommand.Diff.class, ReportCommand.Compare.class,
                CommandLine.HelpCommand.class})
final class ReportCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: merge, diff or compare");
    }

    /** {@code report merge DIR... --out DIR}. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Merge the summary.json of several report directories into one report "
                    + "(summary.json, junit.xml, index.html, allure-results/) in --out.")
    static final class Merge implements Callable<Integer> {

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "DIR", description = "Report directories, each with a summary.json.")
        private List<Path> inputs;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the merged report goes.")
        private Path out;

        @Override
        public Integer call() throws Exception {
            List<RunSummary> runs = new ArrayList<>();
            List<ShardJoin.Part> parts = new ArrayList<>();
            List<FuzzMerge.Input> fuzzShards = new ArrayList<>();
            for (Path input : inputs) {
                RunSummary run = read(input);
                runs.add(run);
                parts.add(new ShardJoin.Part(input.toString(), run));
                fuzzOf(input).ifPresent(fuzz -> fuzzShards.add(new FuzzMerge.Input(input,
                        run.sharding().map(Sharding::shard).orElse(Shard.WHOLE), fuzz)));
            }
            RunSummary merged = merge(runs, Version.value());
            boolean sharded = ShardJoin.anySharded(runs);
            try {
                if (sharded && !fuzzShards.isEmpty()) {
                    ShardJoin.checkShards(parts);
                    if (fuzzShards.size() < runs.size()) {
                        throw new IllegalArgumentException("some of the parts are fuzz runs and some are not");
                    }
                    return mergeFuzz(fuzzShards, merged);
                }
                if (sharded) {
                    merged = withCases(merged, ShardJoin.join(parts));
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException("cannot merge: " + e.getMessage());
            }
            ReportWriter reports = Main.reportWriter(out, spec, System.getenv());
            reports.prepare();
            reports.write(merged);
            spec.commandLine().getOut().print(TerminalSummary.render(merged, System.console() != null));
            spec.commandLine().getOut().println("merged " + runs.size() + " reports: " + out.toAbsolutePath());
            return ExitCodes.OK;
        }

        /** The fuzz shards as the whole fuzz run: its findings once each, their replay files, its counts. */
        private Integer mergeFuzz(List<FuzzMerge.Input> shards, RunSummary merged) throws Exception {
            FuzzMerge.check(shards);
            ReportWriter reports = Main.reportWriter(out, spec, System.getenv());
            reports.prepare();
            FuzzReport fuzz = FuzzMerge.merge(shards, out);
            RunSummary summary = FuzzCommand.summaryOf(fuzz, merged.target(), merged.startedAt(), Shard.WHOLE);
            reports.write(summary, Optional.of(fuzz));
            spec.commandLine().getOut().print(TerminalSummary.render(summary, System.console() != null));
            spec.commandLine().getOut().println("merged " + shards.size() + " fuzz shards (" + fuzz.tries() + " tries, "
                    + fuzz.findings().size() + " finding(s)): " + out.toAbsolutePath());
            return ExitCodes.OK;
        }

        /** The fuzz run an input's summary.json holds, if it is a fuzz run's. */
        private static Optional<FuzzReport> fuzzOf(Path dir) {
            Path file = dir.resolve(SummaryJson.FILE_NAME);
            try {
                return SummaryJson.fuzzFromTree(SummaryJson.readTree(file));
            } catch (IOException | RuntimeException e) {
                throw new UsageException("cannot read " + file + ": " + e.getMessage());
            }
        }

        private static RunSummary read(Path dir) {
            return ReportCommand.read(dir, dir.resolve(SummaryJson.FILE_NAME));
        }
    }

    /** One input's summary; a missing directory or an unreadable summary.json is an input error (exit 2). */
    private static RunSummary read(Path dir, Path file) {
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UsageException("report directory " + dir + " does not exist or is not a directory");
        }
        if (!Files.isReadable(file)) {
            throw new UsageException(dir != null ? "report directory " + dir + " has no readable " + SummaryJson.FILE_NAME
                    : file + " does not exist or is not readable");
        }
        try {
            return SummaryJson.read(file);
        } catch (IOException | RuntimeException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** {@code report diff OLD NEW}: what changed between two runs, deviation by deviation. */
    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compare two runs: the deviations NEW has that OLD had not (new), those gone (fixed), and "
                    + "how many remain. Exit 1 when a new one is a failure.")
    static final class Diff implements Callable<Integer> {

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OLD",
                description = "The earlier run: a report directory or its summary.json (or a file of accepted deviations).")
        private Path old;

        @Parameters(index = "1", paramLabel = "NEW", description = "The later run: a report directory or its summary.json.")
        private Path now;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the comparison as JSON to FILE.")
        private Path json;

        @Override
        public Integer call() throws Exception {
            Baseline baseline = BaselineFile.read(old);
            RunSummary later = Files.isDirectory(now) ? read(now, now.resolve(SummaryJson.FILE_NAME)) : read(null, now);
            Baseline.Check check = baseline.check(later);
            if (json != null) {
                try {
                    BaselineReport.write(check, json);
                } catch (IOException e) {
                    throw new ReportException(json, e);
                }
            }
            spec.commandLine().getOut().print(BaselineReport.render(check));
            spec.commandLine().getOut().flush();
            return check.failsOn(Set.of(Status.FAILED)) ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }

    /** {@code report compare [NAME=]DIR... --out DIR}: several servers side by side. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Put the runs of several servers side by side: a rule x server matrix (the worst verdict "
                    + "per cell, linked to the evidence), the rules where they differ first, in --out as "
                    + CompareReport.HTML + ", " + CompareReport.JSON + " and " + CompareReport.MARKDOWN + ".")
    static final class Compare implements Callable<Integer> {

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "2..*", paramLabel = "[NAME=]DIR",
                description = "Report directories, one per server; NAME names the column (default: the directory's name).")
        private List<String> inputs;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the comparison goes.")
        private Path out;

        @Override
        public Integer call() throws Exception {
            List<ServerComparison.Server> servers = new ArrayList<>();
            for (String input : inputs) {
                int eq = input.indexOf('=');
                Path dir = Path.of(eq > 0 ? input.substring(eq + 1) : input);
                String name = eq > 0 ? input.substring(0, eq) : String.valueOf(dir.toAbsolutePath().normalize().getFileName());
                servers.add(new ServerComparison.Server(name, read(dir, dir.resolve(SummaryJson.FILE_NAME)), dir.toString()));
            }
            ServerComparison comparison;
            try {
                comparison = ServerComparison.of(servers);
            } catch (IllegalArgumentException e) {
                throw new UsageException("cannot compare: " + e.getMessage());
            }
            try {
                CompareReport.write(comparison, out);
            } catch (IOException e) {
                throw new ReportException(out, e);
            }
            spec.commandLine().getOut().println("compared " + servers.size() + " servers on " + comparison.rows().size()
                    + " rules, " + comparison.disagreements().size() + " where they differ: "
                    + out.resolve(CompareReport.HTML).toAbsolutePath());
            return ExitCodes.OK;
        }
    }

    /** The merged run with its cases in the whole run's order (the parts were shards of one run). */
    private static RunSummary withCases(RunSummary merged, List<CaseResult> cases) {
        return new RunSummary(merged.tool(), merged.version(), merged.target(), merged.startedAt(), merged.durationMs(),
                cases, merged.complete());
    }

    /**
     * The runs as one: every case in input order with its suite and id, the targets listed (distinct,
     * in order, ", " between), the earliest start, the durations added, complete only if all were.
     */
    static RunSummary merge(List<RunSummary> runs, String version) {
        Set<String> targets = new LinkedHashSet<>();
        List<CaseResult> cases = new ArrayList<>();
        long durationMs = 0;
        boolean complete = true;
        for (RunSummary run : runs) {
            targets.add(run.target());
            cases.addAll(run.cases());
            durationMs += run.durationMs();
            complete &= run.complete();
        }
        Instant startedAt = runs.stream().map(RunSummary::startedAt).min(Comparator.naturalOrder()).orElseThrow();
        String tool = runs.get(0).tool().isEmpty() ? Tool.NAME : runs.get(0).tool();
        return new RunSummary(tool, version, String.join(", ", targets), startedAt, durationMs, cases, complete);
    }
}
