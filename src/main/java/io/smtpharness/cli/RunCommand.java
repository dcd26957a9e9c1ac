package io.smtpharness.cli;

import io.smtpharness.client.Target;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.client.TlsSettings;
import io.smtpharness.dialogue.AuthCredentials;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.process.TargetControl;
import io.smtpharness.report.BaselineReport;
import io.smtpharness.report.Progress;
import io.smtpharness.report.ReportException;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.report.RunProgress;
import io.smtpharness.report.TerminalSummary;
import io.smtpharness.result.Baseline;
import io.smtpharness.result.RunListener;
import io.smtpharness.result.RunRecorder;
import io.smtpharness.result.RunStop;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Shard;
import io.smtpharness.result.Sharding;
import io.smtpharness.result.Status;
import io.smtpharness.result.Tool;
import io.smtpharness.server.AuthAccount;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.service.RunService;
import io.smtpharness.service.RunSettings;
import io.smtpharness.service.TargetPolicy;
import io.smtpharness.suite.SuiteLoader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: scripted suites against a target, or against the embedded reference server. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run scripted suites against a server (default: the embedded reference server).")
final class RunCommand implements Callable<Integer> {

    /** Gentle on someone's server by default. */
    private static final int TARGET_CONNECTIONS = 4;
    /** Our own server in this JVM: most cases just wait out a quiet window, so run many at once. */
    private static final int EMBEDDED_CONNECTIONS = 32;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private ExecOptions exec;

    @CommandLine.Mixin
    private TargetOptions t;

    @Option(names = "--all-mx", description = "With --domain: test every reachable MX host, each under suite@host.")
    private boolean allMx;

    @CommandLine.Mixin
    private DnsOptions dns;

    @Option(names = "--suite", paramLabel = "PATH",
            description = "Suite file or directory (repeatable). Default: ./test-suites if present, else the suites in the jar.")
    private List<Path> suites = List.of();

    @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Run only cases with one of these tags.")
    private Set<String> tags = Set.of();

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Cases run at once (default: " + TARGET_CONNECTIONS + " against a target, "
                    + EMBEDDED_CONNECTIONS + " against the embedded server).")
    private Integer maxConnections;

    @Option(names = "--rate", paramLabel = "N",
            description = "At most N new connections per second (0: no limit). Default: no limit on loopback, "
                    + TargetPolicy.DEFAULT_RATE + " for any other target.")
    private Integer rate;

    @Option(names = "--allow-delivery", description = "Let cases complete messages to a non-loopback target.")
    private boolean allowDelivery;

    @Option(names = "--tls", description = "Implicit TLS: TLS from the first octet, before the greeting (port 465 "
            + "style, RFC 8314). Needs --target.")
    private boolean implicitTls;

    @Option(names = "--tls-verify", description = "Check the server's certificate chain and host name (off by "
            + "default: test servers mostly have self-signed certificates).")
    private boolean tlsVerify;

    @Option(names = "--auth-user", paramLabel = "USER",
            description = "Account for the AUTH cases (RFC 4954); the password comes from the environment variable "
                    + AuthOptions.PASSWORD_VARIABLE + " or --auth-password-file, never from the command line. "
                    + "Without it the AUTH cases are skipped (the embedded server's test account is used automatically).")
    private String authUser;

    @Option(names = "--auth-password-file", paramLabel = "FILE",
            description = "File whose first line is the AUTH password (instead of " + AuthOptions.PASSWORD_VARIABLE + ").")
    private Path authPasswordFile;

    @CommandLine.Mixin
    private ShardOptions shards;

    @CommandLine.Mixin
    private OutputOptions output;

    @CommandLine.ParentCommand
    private Main main;

    @Option(names = "--full-windows", description = "Listen for every expect-none window as long as the suite "
            + "wrote it; by default a window is cut to 5x the server's slowest recent reply (at least 250 ms) once it "
            + "has shown it answers at once.")
    private boolean fullWindows;

    /** The least severe verdict that makes the exit code 1; each includes the ones after it. */
    enum FailOn {
        warning(Status.WARNING, Status.ERROR, Status.FAILED),
        error(Status.ERROR, Status.FAILED),
        failed(Status.FAILED);

        private final Set<Status> failing;

        FailOn(Status... failing) {
            this.failing = Set.of(failing);
        }
    }

    @Option(names = "--fail-on", defaultValue = "failed", paramLabel = "warning|error|failed",
            description = "Exit 1 when a case is failed (default); 'error' adds cases the harness could not judge "
                    + "(e.g. a server that never greets), 'warning' adds warnings too.")
    private FailOn failOn;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Deviations accepted for now: a report directory or its summary.json (every deviation of "
                    + "that run), or a YAML file of accepted deviations, each with a reason. The exit code then counts "
                    + "only deviations not in it; " + BaselineReport.FILE_NAME + " and index.html mark new, still "
                    + "present and fixed ones.")
    private Path baselineFile;

    @Override
    public Integer call() throws Exception {
        t.checkOneTarget();
        exec.check(t);
        output.check();
        if (t.domain == null) {
            // options that only steer an MX lookup must not be dropped without a word
            for (String option : new String[] {"--dns-server", "--dns-timeout", "--dns-retries", "--seed", "--port",
                "--all-mx"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new UsageException(option + " applies only with --domain");
                }
            }
        }
        if (maxConnections == null) {
            maxConnections = t.embedded() ? EMBEDDED_CONNECTIONS : TARGET_CONNECTIONS;
        }
        if (maxConnections < 1 || maxConnections > 64) {
            throw new UsageException("--max-connections must be between 1 and 64, not " + maxConnections);
        }
        if (rate != null && (rate < 0 || rate > 1000)) {
            throw new UsageException("--rate must be between 0 and 1000, not " + rate);
        }
        if (implicitTls && t.embedded()) {
            throw new UsageException("--tls needs --target or --domain: the embedded server offers STARTTLS, not implicit TLS");
        }
        Target parsed = t.parsedTarget();
        Optional<AuthCredentials> credentials = AuthOptions.credentials(authUser, authPasswordFile);
        if (credentials.isEmpty() && t.embedded()) {
            credentials = Optional.of(new AuthCredentials(AuthAccount.TEST.user(), AuthAccount.TEST.password()));
        }
        AuthAccount embeddedAccount = credentials.map(c -> new AuthAccount(c.user(), c.password())).orElse(AuthAccount.TEST);
        // STARTTLS with a certificate made now, and AUTH for the test account, so every suite runs
        Supplier<ServerConfig> embedded = t.embedded()
                ? EmbeddedServer.secureInBackground(ServerConfig.defaults(), embeddedAccount) : null;
        Map<String, String> environment = main != null ? main.environment() : System.getenv();
        Shard shard = shards.shard(environment);
        List<Dialogue> whole = loadDialogues();
        Optional<Baseline> baseline = baselineFile == null ? Optional.empty() : Optional.of(BaselineFile.read(baselineFile));
        List<Dialogue> dialogues = shard.isWhole() ? whole
                : whole.stream().filter(d -> shard.ownsCase(d.suite(), d.id())).toList();
        Optional<Sharding> sharding = shard.isWhole() ? Optional.empty() : Optional.of(new Sharding(shard,
                whole.stream().map(d -> d.suite() + "/" + d.id()).toList()));
        sharding.ifPresent(part -> spec.commandLine().getErr().println("shard " + shard + ": " + dialogues.size()
                + " of the " + whole.size() + " cases"));
        // without --timeout the runner waits per command; the client's own limit then only bounds
        // the greeting of extra connections, for which RFC 5321 §4.5.3.2.1 also says 5 minutes
        RunSettings settings = t.settings(Duration.ofMinutes(5), true)
                .withRate(rate == null ? OptionalInt.empty() : OptionalInt.of(rate))
                .withMaxConnections(maxConnections).withAllowDelivery(allowDelivery)
                .withTls(new TlsSettings(implicitTls, tlsVerify)).withCredentials(credentials)
                .withFullWindows(fullWindows);
        // every usage and input error is out of the way: only now is the report directory made
        Instant startedAt = Instant.now();
        ReportWriter reports = Main.reportWriter(t.reportDirectory(startedAt), spec, environment);
        reports.prepare();
        List<RunStop.PlannedCase> planned = dialogues.stream()
                .map(d -> new RunStop.PlannedCase(d.suite(), d.id(), d.title(), d.rules())).toList();
        RunRecorder recorder = new RunRecorder(Tool.NAME, Tool.version(), planned);
        Thread reportOnInterrupt = new Thread(() -> writeQuietly(reports, sharded(recorder.snapshot(), sharding)),
                "partial-report");
        Runtime.getRuntime().addShutdownHook(reportOnInterrupt);
        RunProgress status = new RunProgress(dialogues.size());
        RunSummary summary;
        try (Progress progress = output.start(environment, spec.commandLine().getOut(), spec.commandLine().getErr(),
                status::status)) {
            status.showOn(progress);
            summary = sharded(execute(dialogues, parsed, settings, List.of(recorder, status), embedded), sharding);
        } catch (TargetUnreachableException e) {
            // exit 3, and a report that says why no case ran, listing them all
            reports.write(sharded(new RunSummary(Tool.NAME, Tool.version(), targetLabel(parsed), startedAt,
                    Duration.between(startedAt, Instant.now()).toMillis(), List.of(),
                    Optional.of(new RunStop(RunStop.Kind.PREFLIGHT, e.getMessage(), planned))), sharding));
            spec.commandLine().getErr().println("report: " + reports.directory().toAbsolutePath());
            throw e;
        } finally {
            Runtime.getRuntime().removeShutdownHook(reportOnInterrupt);
        }
        RunSummary run = summary;
        Optional<Baseline.Check> check = baseline.map(b -> b.check(run));
        check.map(reports::against).orElse(reports).write(summary);
        spec.commandLine().getOut().print(TerminalSummary.render(summary, System.console() != null));
        check.ifPresent(c -> spec.commandLine().getOut().print(BaselineReport.render(c)));
        spec.commandLine().getOut().println("report: " + reports.directory().toAbsolutePath());
        if (summary.stop().isPresent()) {
            spec.commandLine().getErr().println("error: " + summary.stop().get().reason());
        }
        return check.isPresent() ? exitCode(summary, failOn, check.get()) : exitCode(summary, failOn);
    }

    /**
     * Against a baseline: 3 when the target stopped answering mid-run; else 1 when a deviation the
     * baseline does not accept is as bad as {@code --fail-on} says (or a case ended in error and
     * {@code --fail-on} counts errors: an error is the harness's, no baseline accepts it); else 0.
     */
    static int exitCode(RunSummary summary, FailOn failOn, Baseline.Check check) {
        if (summary.stop().isPresent()) {
            return ExitCodes.UNREACHABLE;
        }
        boolean errors = failOn.failing.contains(Status.ERROR)
                && summary.cases().stream().anyMatch(c -> c.status() == Status.ERROR);
        return check.failsOn(failOn.failing) || errors ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /**
     * 3 when the target stopped answering mid-run; else 1 when a case ended in a verdict that
     * {@code --fail-on} counts as failing, or a finding made outside the cases that test it is that
     * bad (reported once, it still counts); else 0.
     */
    static int exitCode(RunSummary summary, FailOn failOn) {
        if (summary.stop().isPresent()) {
            return ExitCodes.UNREACHABLE; // the target stopped answering mid-run: not a whole verdict
        }
        boolean failing = summary.cases().stream().anyMatch(c -> failOn.failing.contains(c.status()))
                || summary.incidentalFindings().stream().anyMatch(f -> failOn.failing.contains(f.severity().toStatus()));
        return failing ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** Runs against --target, the MX of --domain, or an embedded server started for the run. */
    private RunSummary execute(List<Dialogue> dialogues, Target parsed, RunSettings settings,
                               List<RunListener> listeners, Supplier<ServerConfig> embedded)
            throws TargetUnreachableException {
        PrintWriter err = spec.commandLine().getErr();
        try (RunService service = new RunService(settings, err::println)) {
            if (t.embedded()) {
                return service.runCases(dialogues, service.embedded(embedded.get()), listeners, Version.value());
            }
            if (t.domain != null) {
                return new MxRun(t.domain, allMx, dns, err).run(service, dialogues, listeners);
            }
            InetSocketAddress address = parsed.resolve();
            RunService.Destination destination = service.guarded(address, parsed.toString(), TargetPolicy.Traffic.SCRIPTED);
            Optional<TargetControl> server = exec.start(service.client(), address);
            try {
                service.preflight(destination);
                RunSummary summary = service.runCases(dialogues, destination, listeners, Version.value());
                // a replay of a crash: what the server left behind is the evidence, next to the verdicts
                server.flatMap(TargetControl::downEvidence).ifPresent(evidence -> err.println("note: during the run, "
                        + evidence));
                return summary;
            } finally {
                server.ifPresent(TargetControl::close);
            }
        }
    }

    private static RunSummary sharded(RunSummary summary, Optional<Sharding> sharding) {
        return sharding.map(summary::withSharding).orElse(summary);
    }

    /** Ctrl-C or SIGTERM mid-run: report what finished, marked incomplete; nothing left to tell the user. */
    private static void writeQuietly(ReportWriter reports, RunSummary partial) {
        try {
            reports.write(partial);
            System.err.println("interrupted: partial report (" + partial.cases().size() + " cases) in "
                    + reports.directory().toAbsolutePath());
        } catch (ReportException e) {
            System.err.println("interrupted, and the partial report could not be written: " + e.getMessage());
        }
    }

    private List<Dialogue> loadDialogues() {
        SuiteLoader loader = new SuiteLoader();
        List<Dialogue> all = suites.isEmpty() ? loader.loadBuiltIn() : loader.loadAll(suites);
        List<Dialogue> selected = SuiteLoader.select(all, tags);
        long slow = all.stream().filter(d -> d.tags().contains(SuiteLoader.SLOW) && !selected.contains(d)).count();
        if (slow > 0) {
            spec.commandLine().getErr().println("note: " + slow + " slow case(s) not run (minutes each); "
                    + "--tags " + SuiteLoader.SLOW + " runs them");
        }
        if (selected.isEmpty()) {
            throw new UsageException(all.isEmpty() ? "no cases in the given suites" : "no case has the tags " + tags);
        }
        return selected;
    }

    /** How the report names the target before any run started. */
    private String targetLabel(Target parsed) {
        return parsed != null ? parsed.toString() : t.domain != null ? t.domain : "embedded reference server";
    }
}
