package io.smtpharness.cli;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.Target;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dns.MxResult;
import io.smtpharness.fuzz.FuzzOptions;
import io.smtpharness.fuzz.Fuzzer;
import io.smtpharness.process.RestartCommand;
import io.smtpharness.process.TargetControl;
import io.smtpharness.report.Progress;
import io.smtpharness.report.ReportException;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.FuzzFinding;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.result.RunStop;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Shard;
import io.smtpharness.result.Sharding;
import io.smtpharness.result.Status;
import io.smtpharness.result.Tool;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.service.RunService;
import io.smtpharness.service.RunSettings;
import io.smtpharness.service.TargetPolicy;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fuzz}: property-generated dialogues against a target (default: the embedded reference
 * server); each finding shrunk and written as a replayable suite file under {@code findings/}.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Fuzz a server with generated dialogues (default: the embedded reference server). "
                + "--seed N reproduces a run; each finding is shrunk and written to findings/<id>.yaml in the "
                + "report directory, which 'run --suite' replays.")
final class FuzzCommand implements Callable<Integer> {

    /** Without --timeout, a command without a complete reply within this is a hang finding. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Dialogues at once on loopback without --connections: each waits on the server most of its
     * time, so several per core keep the cores busy (bench/run.sh measures 1 against this).
     */
    static final int LOOPBACK_CONNECTIONS = Math.min(16, 4 * Runtime.getRuntime().availableProcessors());

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private TargetOptions t;

    /** Its --seed seeds the dialogues too (and the MX order with --domain): one seed per command. */
    @CommandLine.Mixin
    private DnsOptions dns;

    @Option(names = "--tries", paramLabel = "N", description = "Generated dialogues to run (default: 1000). Not with --duration.")
    private Integer tries;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Fuzz for this long instead, e.g. 60s or 10m, in batches of tries with seeds derived from --seed.")
    private Duration duration;

    @Option(names = "--max-actions", defaultValue = "16", paramLabel = "N",
            description = "Actions per generated dialogue (default: ${DEFAULT-VALUE}).")
    private int maxActions;

    @CommandLine.Mixin
    private ShardOptions shards;

    @CommandLine.Mixin
    private OutputOptions output;

    /** The run's progress, once the fuzzer starts; findings are shown through it (--verbose). */
    private Progress progress;

    @CommandLine.ParentCommand
    private Main main;

    @Option(names = "--connections", paramLabel = "N",
            description = "Dialogues performed at once (default: 4 per core, at most 16, on loopback; 1 elsewhere;"
                    + " always 1 with --exec or --restart). The dialogues a --seed gives do not depend on it.")
    private Integer connections;

    @CommandLine.Mixin
    private ExecOptions exec;

    @Option(names = "--restart", paramLabel = "COMMAND",
            description = "For a target managed elsewhere (a service manager, a container): after a crash or hang"
                    + " that left it silent, run this shell command and wait for the greeting again. Needs --target;"
                    + " not with --exec.")
    private String restart;

    @Option(names = "--allow-delivery", description = "Let generated dialogues complete messages to a non-loopback "
            + "target (without it, the connection is dropped after 354).")
    private boolean allowDelivery;

    @Override
    public Integer call() throws Exception {
        t.checkOneTarget();
        if (tries != null && duration != null) {
            throw new UsageException("--tries and --duration are mutually exclusive: give one of them");
        }
        if (t.domain == null) {
            for (String option : new String[] {"--dns-server", "--dns-timeout", "--dns-retries", "--port"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new UsageException(option + " applies only with --domain");
                }
            }
        }
        exec.check(t);
        output.check();
        if (restart != null && (exec.exec != null || t.target == null)) {
            throw new UsageException(exec.exec != null ? "--restart and --exec are mutually exclusive: --exec restarts"
                    + " the server it started" : "--restart needs --target HOST:PORT, the address of the target it restarts");
        }
        int count = tries == null ? 1000 : tries;
        if (count < 1 || count > 10_000_000) {
            throw new UsageException("--tries must be between 1 and 10000000, not " + count);
        }
        if (maxActions < 1 || maxActions > 100) {
            throw new UsageException("--max-actions must be between 1 and 100, not " + maxActions);
        }
        if (connections != null && (connections < 1 || connections > 64)) {
            throw new UsageException("--connections must be between 1 and 64, not " + connections);
        }
        Map<String, String> environment = main != null ? main.environment() : System.getenv();
        Shard shard = shards.shard(environment);
        Target parsed = t.parsedTarget();
        RunSettings settings = t.settings(DEFAULT_TIMEOUT, false).withAllowDelivery(allowDelivery)
                .withMaxConnections(connections != null ? connections : 1); // the default off loopback
        long seed = dns.seed();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant startedAt = Instant.now();
        ReportWriter reports = Main.reportWriter(t.reportDirectory(startedAt), spec, environment);
        reports.prepare();
        FuzzOptions options = FuzzOptions.of(seed, count, reports.directory().resolve("findings"))
                .withMaxActions(maxActions)
                .withRunnerOptions(settings.runnerOptions())
                .withShard(shard);
        if (duration != null) {
            options = options.withDuration(duration);
        }
        out.println("fuzz: seed " + seed + (shard.isWhole() ? "" : ", shard " + shard + " (its batches of "
                + options.batchTries() + " tries)") + (duration != null ? ", for " + duration.toSeconds() + " s"
                : ", " + count + " tries" + (shard.isWhole() ? "" : " in all shards")));
        out.flush();
        FuzzReport report;
        String target;
        try (RunService service = new RunService(settings, err::println)) {
            SmtpClient client = service.client();
            if (t.embedded()) {
                RunService.Destination embedded = service.embedded(ServerConfig.defaults());
                target = embedded.label();
                report = runInterruptibly(new Fuzzer(client, embedded.address(), withConnections(options, true),
                        Optional.empty(), this::found), reports, target, startedAt, shard, environment);
            } else {
                InetSocketAddress address;
                if (t.domain != null) {
                    MxResult result;
                    try {
                        result = dns.resolver().resolve(t.domain, seed);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--domain: " + e.getMessage());
                    }
                    MxTargets.Chosen chosen = MxTargets.firstReachable(result, dns.port(), client, err);
                    address = chosen.address();
                    target = chosen.description();
                } else {
                    address = parsed.resolve();
                    target = parsed.toString();
                }
                service.guarded(address, target, TargetPolicy.Traffic.FUZZ);
                boolean loopback = TargetPolicy.of(address, target, settings.rate(), allowDelivery).loopback();
                Optional<TargetControl> control = restart != null
                        ? Optional.of(new RestartCommand(restart, address, client, exec.startTimeout))
                        : exec.start(client, address);
                try {
                    report = runInterruptibly(new Fuzzer(client, address, withConnections(options, loopback), control,
                            this::found), reports, target, startedAt, shard, environment);
                } finally {
                    control.ifPresent(TargetControl::close);
                }
                control.filter(c -> c.restarts() > 0).ifPresent(c -> out.println("fuzz: the target was restarted "
                        + c.restarts() + " time(s) after a crash or hang"));
            }
        }
        reports.write(summaryOf(report, target, startedAt, shard), Optional.of(report));
        out.println(String.format(Locale.ROOT, "fuzz: %d tries (%d dialogues with shrinking) in %.1f s, %.0f dialogues/s, "
                        + "%d finding(s), seed %d", report.tries(), report.dialogues(), report.durationMs() / 1000.0,
                report.dialoguesPerSecond(), report.findings().size(), seed));
        if (!report.stopped().isEmpty()) {
            err.println("note: fuzzing stopped early: " + report.stopped());
        }
        for (FuzzFinding f : report.findings()) {
            out.println("  " + f.kind() + " " + String.join(",", f.rules()) + ": " + f.message());
            out.println("    " + f.commands() + " command(s), replay: run --suite "
                    + reports.directory().resolve(f.file()));
        }
        out.println("report: " + reports.directory().toAbsolutePath());
        return report.findings().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** --connections, or its default for a target on loopback or elsewhere. */
    private FuzzOptions withConnections(FuzzOptions options, boolean loopback) {
        return options.withConnections(connections != null ? connections : loopback ? LOOPBACK_CONNECTIONS : 1);
    }

    /**
     * Runs the fuzzer; SIGTERM or Ctrl-C meanwhile writes a report of what it did so far (its
     * findings' files are already written) before the JVM exits.
     */
    private FuzzReport runInterruptibly(Fuzzer fuzzer, ReportWriter reports, String target, Instant startedAt,
                                        Shard shard, Map<String, String> environment) throws TargetUnreachableException {
        Thread reportOnInterrupt = new Thread(() -> fuzzer.sofar("interrupted (SIGTERM or Ctrl-C)").ifPresent(partial -> {
            try {
                reports.write(summaryOf(partial, target, startedAt, shard), Optional.of(partial));
                System.err.println("interrupted: partial fuzz report (" + partial.tries() + " tries, "
                        + partial.findings().size() + " finding(s)) in " + reports.directory().toAbsolutePath());
            } catch (ReportException e) {
                System.err.println("interrupted, and the partial report could not be written: " + e.getMessage());
            }
        }), "partial-fuzz-report");
        Runtime.getRuntime().addShutdownHook(reportOnInterrupt);
        progress = output.start(environment, spec.commandLine().getOut(), spec.commandLine().getErr(),
                () -> fuzzer.status().orElse("fuzz: starting"));
        try (Progress shown = progress) {
            return fuzzer.run();
        } finally {
            Runtime.getRuntime().removeShutdownHook(reportOnInterrupt);
        }
    }

    /** A finding as it is made: a line of its own with --verbose. */
    private void found(FuzzFinding f) {
        if (progress != null) {
            progress.event("FINDING " + f.kind() + " " + String.join(",", f.rules()) + ": " + f.message() + " ("
                    + f.commands() + " command(s) after shrinking)");
        }
    }

    /** The run as a summary: one case per finding, and one for the rest; a stopped run says why. */
    static RunSummary summaryOf(FuzzReport report, String target, Instant startedAt, Shard shard) {
        Optional<RunStop> stop = report.stopped().startsWith("interrupted")
                ? Optional.of(new RunStop(RunStop.Kind.INTERRUPTED, "the fuzz run was " + report.stopped(), List.of()))
                : Optional.empty();
        RunSummary summary = new RunSummary(Tool.NAME, Tool.version(), target, startedAt, report.durationMs(),
                cases(report), stop);
        return shard.isWhole() ? summary : summary.withSharding(new Sharding(shard, List.of()));
    }

    /** One failed case per finding, so junit.xml, index.html and Allure show them; one passed case for the rest. */
    private static List<CaseResult> cases(FuzzReport report) {
        List<CaseResult> cases = new ArrayList<>();
        for (FuzzFinding f : report.findings()) {
            cases.add(new CaseResult("fuzz", f.id(), f.kind() + ": " + f.message(), f.rules(), List.of("fuzz", f.kind()),
                    Status.FAILED, f.message(), List.of(f.asFinding()),
                    0, f.transcript()));
        }
        cases.add(new CaseResult("fuzz", "dialogues", report.tries() + " generated dialogues, seed " + report.seed(),
                List.of(), List.of("fuzz"), Status.PASSED, report.findings().size() + " finding(s); seeds "
                + report.batchSeeds(), List.of(), report.durationMs(), List.of()));
        return cases;
    }
}
