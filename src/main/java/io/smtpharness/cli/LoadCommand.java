package io.smtpharness.cli;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.Target;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.load.LoadRun;
import io.smtpharness.load.WarmUp;
import io.smtpharness.report.Progress;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.report.RunProgress;
import io.smtpharness.result.LoadReport;
import io.smtpharness.result.RunSummary;
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
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load}: many full sessions against a target, every reply judged as in {@code run}: sessions
 * per second and each stage's latency percentiles. Loopback only, unless --allow-delivery and an
 * explicit --rate say the user means it.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Run many full sessions (EHLO, MAIL, RCPT, DATA 1 KiB, QUIT) against a server, every reply "
                + "judged; print sessions/s and latency percentiles per stage (default: the embedded reference server).")
final class LoadCommand implements Callable<Integer> {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private TargetOptions t;

    @Option(names = "--sessions", defaultValue = "1000", paramLabel = "N",
            description = "Measured sessions (default: ${DEFAULT-VALUE}), after a warm-up that is not measured: a tenth "
                    + "of them (at least --concurrency, at most 500), then more until the JVM's JIT compiler has settled.")
    private int sessions;

    @Option(names = "--warm-up-limit", defaultValue = "20s", paramLabel = "TIME", converter = LimitConverter.class,
            description = "The longest the warm-up goes on waiting for the JIT compiler to settle (default: "
                    + "${DEFAULT-VALUE}); 0s: only the fixed part.")
    private Duration warmUpLimit;

    @Option(names = "--concurrency", defaultValue = "8", paramLabel = "C",
            description = "Sessions at once (default: ${DEFAULT-VALUE}); without --rate each starts when one ends "
                    + "(closed model).")
    private int concurrency;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "N",
            description = "Open model: start N sessions per second, each on a new connection, whether or not earlier "
                    + "ones ended (at most --concurrency at once; one due while all are busy starts late and is "
                    + "counted). Default 0: closed model. Required, with --allow-delivery, off loopback.")
    private int rate;

    @CommandLine.Mixin
    private OutputOptions output;

    @CommandLine.ParentCommand
    private Main main;

    @Option(names = "--allow-delivery", description = "Let the sessions complete messages to a non-loopback target "
            + "(with an explicit --rate).")
    private boolean allowDelivery;

    @Override
    public Integer call() throws Exception {
        output.check();
        if (t.domain != null) {
            throw new UsageException("load takes --target HOST:PORT (or nothing: the embedded server), not --domain");
        }
        if (sessions < 1 || sessions > 10_000_000) {
            throw new UsageException("--sessions must be between 1 and 10000000, not " + sessions);
        }
        if (concurrency < 1 || concurrency > 512) {
            throw new UsageException("--concurrency must be between 1 and 512, not " + concurrency);
        }
        if (rate < 0 || rate > 100_000) {
            throw new UsageException("--rate must be between 0 and 100000, not " + rate);
        }
        Target parsed = t.parsedTarget();
        InetSocketAddress address = parsed == null ? null : parsed.resolve();
        boolean offLoopback = address != null && !address.getAddress().isLoopbackAddress();
        // off loopback the rate also paces the client (the target's policy); on loopback only the open
        // model does, or a session started late would delay every later one
        RunSettings settings = t.settings(DEFAULT_TIMEOUT, false).withAllowDelivery(allowDelivery)
                .withMaxConnections(concurrency).withRate(offLoopback && rate > 0 ? OptionalInt.of(rate) : OptionalInt.empty());
        if (address != null) {
            // DESIGN "Safety": a load of completed messages to someone's server only when asked for twice
            Optional<String> refused = TargetPolicy.refusal(TargetPolicy.Traffic.LOAD, address, parsed.toString(),
                    settings.rate(), allowDelivery);
            if (refused.isPresent()) {
                throw new UsageException(refused.get());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Instant startedAt = Instant.now();
        ReportWriter reports = Main.reportWriter(t.reportDirectory(startedAt), spec,
                main != null ? main.environment() : System.getenv());
        reports.prepare();
        LoadRun.Result result;
        String target;
        try (RunService service = new RunService(settings, spec.commandLine().getErr()::println)) {
            RunService.Destination destination = address == null ? service.embedded(ServerConfig.defaults())
                    : service.guarded(address, parsed.toString(), TargetPolicy.Traffic.LOAD);
            if (address != null) {
                service.preflight(destination);
            }
            target = destination.label();
            result = measure(service.client(), destination.address(), settings.runnerOptions(), out);
        }
        LoadReport load = result.report();
        RunSummary summary = new RunSummary(Tool.NAME, Tool.version(), target, startedAt, load.durationMs(),
                result.kept(), Optional.empty());
        reports.write(summary, load);
        print(out, load);
        // what the sessions show outside the rule they test (the first session and those kept), once each
        summary.incidentalFindings().forEach(f -> out.println("  also seen: " + f.severity().toStatus().label()
                .toUpperCase(Locale.ROOT) + " " + f.ruleId() + ": " + f.evidence()));
        out.println("report: " + reports.directory().toAbsolutePath());
        boolean broken = load.statuses().getOrDefault(Status.FAILED, 0) + load.statuses().getOrDefault(Status.ERROR, 0) > 0;
        return broken ? ExitCodes.FAILED : RunCommand.exitCode(summary, RunCommand.FailOn.failed);
    }

    private LoadRun.Result measure(SmtpClient client, InetSocketAddress address, RunnerOptions options, PrintWriter out)
            throws TargetUnreachableException, InterruptedException {
        WarmUp warmUp = WarmUp.forRun(sessions, concurrency, warmUpLimit);
        out.println("load: " + sessions + " sessions, " + concurrency + " at once" + (rate > 0 ? ", " + rate
                + " started per second" : "") + ", after a warm-up of at least " + warmUp.minSessions() + " sessions"
                + (warmUpLimit.isZero() ? "" : " (until the JIT compiler settles, at most " + warmUpLimit.toSeconds() + " s)"));
        out.flush();
        Progress[] progress = new Progress[1]; // the run reports problems through the progress it feeds
        LoadRun run = new LoadRun(client, address, options, concurrency,
                problem -> progress[0].event(RunProgress.verdictLine(problem)));
        progress[0] = output.start(main != null ? main.environment() : System.getenv(), out,
                spec.commandLine().getErr(), run::status);
        try (Progress shown = progress[0]) {
            return run.run(sessions, rate, warmUp);
        }
    }

    /** A duration, or 0s: no limit is no adaptive warm-up at all. */
    static final class LimitConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.matches("0+[a-z]*") ? Duration.ZERO : new DurationConverter().convert(value);
        }
    }

    private static void print(PrintWriter out, LoadReport load) {
        out.println(String.format(Locale.ROOT, "warm-up: %d sessions in %.2f s%s", load.warmUp().sessions(),
                load.warmUp().durationMs() / 1000.0, load.warmUp().settled() ? "" : " (the JIT compiler was still busy)"));
        out.println(String.format(Locale.ROOT, "load: %d sessions in %.2f s: %.1f sessions/s; %s%s", load.sessions(),
                load.durationMs() / 1000.0, load.sessionsPerSecond(), byStatus(load), load.ratePerSecond() == 0 ? ""
                        : "; " + load.lateStarts() + " started late (all " + load.concurrency() + " busy)"));
        out.println(String.format(Locale.ROOT, "  %-12s %9s %9s %9s %9s %9s", "stage", "count", "p50 ms", "p95 ms",
                "p99 ms", "max ms"));
        load.stages().forEach((stage, l) -> out.println(String.format(Locale.ROOT, "  %-12s %9d %9.3f %9.3f %9.3f %9.3f",
                stage, l.count(), l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs())));
    }

    private static String byStatus(LoadReport load) {
        StringBuilder text = new StringBuilder();
        for (Status s : Status.values()) {
            int n = load.statuses().getOrDefault(s, 0);
            if (n > 0) {
                text.append(text.length() == 0 ? "" : ", ").append(n).append(' ').append(s.label());
            }
        }
        return text.toString();
    }
}
