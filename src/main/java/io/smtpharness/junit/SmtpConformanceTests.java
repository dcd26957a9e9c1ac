package io.smtpharness.junit;

import io.smtpharness.client.Target;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.client.TlsSettings;
import io.smtpharness.dialogue.AuthCredentials;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.Variables;
import io.smtpharness.report.ReportException;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.report.TerminalSummary;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Tool;
import io.smtpharness.rules.Rule;
import io.smtpharness.rules.RuleCatalog;
import io.smtpharness.service.RunService;
import io.smtpharness.service.RunSettings;
import io.smtpharness.service.TargetPolicy;
import io.smtpharness.suite.SuiteLoader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * The harness's suites as JUnit 5 dynamic tests, one per case, for a {@code @TestFactory}.
 * Immutable; each {@code with...} returns a copy.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> conformance() {
 *     return SmtpConformanceTests.target("127.0.0.1:2525")
 *             .withSuites(Path.of("test-suites"))
 *             .withReportDir(Path.of("target/smtp-conformance"))
 *             .dynamicTests();
 * }
 * }</pre>
 *
 * <p>{@link #dynamicTests()} runs every case first, as the command line does (at most
 * {@code maxConnections} at once, reports written once), then returns one test per case whose
 * outcome is the case's verdict ({@link CaseTests#of(CaseResult)}). A target that cannot be reached
 * fails the factory itself, with one message instead of a test per case.
 */
public final class SmtpConformanceTests {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    /** Everything a run needs; each {@code with...} returns a copy with one part changed. */
    private record Settings(String host, int port, List<Path> suites, Set<String> tags, Optional<Path> reportDir,
                            RunSettings run, PrintStream out) {
        Settings {
            Objects.requireNonNull(host, "host == null");
            suites = List.copyOf(suites);
            tags = Set.copyOf(tags);
            Objects.requireNonNull(reportDir, "reportDir == null");
            Objects.requireNonNull(run, "run == null");
            Objects.requireNonNull(out, "out == null");
        }

        Settings with(RunSettings other) {
            return new Settings(host, port, suites, tags, reportDir, other, out);
        }
    }

    private final Settings settings;

    private SmtpConformanceTests(Settings settings) {
        this.settings = settings;
    }

    /** Tests against {@code HOST:PORT} ({@code [IPv6]:PORT}; a host alone means port 25), with the defaults. */
    public static SmtpConformanceTests target(String hostPort) {
        Target parsed = Target.parse(hostPort);
        return withDefaults(parsed.host(), parsed.port());
    }

    /** Tests against {@code address}, e.g. an embedded server's. */
    public static SmtpConformanceTests target(InetSocketAddress address) {
        Objects.requireNonNull(address, "address == null");
        return withDefaults(address.getHostString(), address.getPort());
    }

    /** Configured by the {@link SmtpConformance} annotation on {@code testClass} (or a superclass). */
    public static SmtpConformanceTests from(Class<?> testClass) {
        SmtpConformance config = testClass.getAnnotation(SmtpConformance.class);
        if (config == null) {
            throw new IllegalArgumentException(testClass.getName() + " has no @" + SmtpConformance.class.getSimpleName());
        }
        String reportDir = resolve(config.reportDir());
        return target(resolve(config.target()))
                .withSuites(Arrays.stream(config.suites()).map(s -> Path.of(resolve(s))).toArray(Path[]::new))
                .withTags(Arrays.stream(config.tags()).map(SmtpConformanceTests::resolve).toArray(String[]::new))
                .withVariables(resolve(config.helo()), resolve(config.sender()), resolve(config.recipient()))
                .withReportDir(reportDir.isEmpty() ? null : Path.of(reportDir))
                .withMaxConnections(config.maxConnections())
                .withReplyTimeout(Duration.ofSeconds(config.replyTimeoutSeconds()))
                .withAllowDelivery(config.allowDelivery());
    }

    private static SmtpConformanceTests withDefaults(String host, int port) {
        return new SmtpConformanceTests(new Settings(host, port, List.of(), Set.of(), Optional.empty(),
                RunSettings.defaults().withMaxConnections(4), System.out));
    }

    /** {@code ${name}} and {@code ${name:default}} replaced by system properties; a missing one without default is an error. */
    static String resolve(String value) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String property = System.getProperty(m.group(1), m.group(2));
            if (property == null) {
                throw new IllegalArgumentException("system property '" + m.group(1) + "' is not set (in '" + value + "')");
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(property));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    /** Suite files or directories; none: {@code ./test-suites/}, else the suites packed in the jar. */
    public SmtpConformanceTests withSuites(Path... paths) {
        Settings c = settings;
        return new SmtpConformanceTests(new Settings(c.host, c.port, List.of(paths), c.tags, c.reportDir, c.run, c.out));
    }

    /** Only cases with one of these tags; none: all (slow cases only when {@code slow} is named). */
    public SmtpConformanceTests withTags(String... selected) {
        Settings c = settings;
        return new SmtpConformanceTests(new Settings(c.host, c.port, c.suites, Set.of(selected), c.reportDir, c.run,
                c.out));
    }

    /** Our EHLO name, our reverse path and a mailbox the server accepts. */
    public SmtpConformanceTests withVariables(String helo, String sender, String recipient) {
        return new SmtpConformanceTests(settings.with(settings.run.withVariables(Variables.of(helo, sender, recipient))));
    }

    /** Where to write the report files ({@code summary.json}, {@code junit.xml}, ...); {@code null}: none. */
    public SmtpConformanceTests withReportDir(Path directory) {
        Settings c = settings;
        return new SmtpConformanceTests(new Settings(c.host, c.port, c.suites, c.tags, Optional.ofNullable(directory),
                c.run, c.out));
    }

    /** Cases run at once (1 to 64; default 4). */
    public SmtpConformanceTests withMaxConnections(int connections) {
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("maxConnections must be between 1 and 64, not " + connections);
        }
        return new SmtpConformanceTests(settings.with(settings.run.withMaxConnections(connections)));
    }

    /** Deadline for each whole reply (default 30 s). */
    public SmtpConformanceTests withReplyTimeout(Duration timeout) {
        return new SmtpConformanceTests(settings.with(settings.run.withReplyTimeout(timeout)));
    }

    /**
     * Waits for each reply as long as RFC 5321 §4.5.3.2 says a client must (minutes), as {@code run}
     * does without {@code --timeout}; {@code otherWaits} bounds the waits the RFC does not time.
     */
    public SmtpConformanceTests withRfcReplyWaits(Duration otherWaits) {
        return new SmtpConformanceTests(settings.with(settings.run.withRfcReplyWaits(otherWaits)));
    }

    /** Let cases complete messages against a non-loopback target (default: they are skipped). */
    public SmtpConformanceTests withAllowDelivery(boolean allow) {
        return new SmtpConformanceTests(settings.with(settings.run.withAllowDelivery(allow)));
    }

    /**
     * At most {@code perSecond} new connections per second (0: no limit). Default, as for {@code run}:
     * none on loopback, {@link TargetPolicy#DEFAULT_RATE} for any other target.
     */
    public SmtpConformanceTests withRate(int perSecond) {
        return new SmtpConformanceTests(settings.with(settings.run.withRate(OptionalInt.of(perSecond))));
    }

    /** The account for the AUTH cases (RFC 4954); without it they are skipped, as with {@code run}. */
    public SmtpConformanceTests withAuth(String user, String password) {
        return new SmtpConformanceTests(settings.with(settings.run.withCredentials(
                Optional.of(new AuthCredentials(user, password)))));
    }

    /** Implicit TLS from the first octet (port 465 style), and whether to check the server's certificate. */
    public SmtpConformanceTests withTls(boolean implicit, boolean verify) {
        return new SmtpConformanceTests(settings.with(settings.run.withTls(new TlsSettings(implicit, verify))));
    }

    /** Where the run summary and warnings are printed (default {@code System.out}). */
    public SmtpConformanceTests withOutput(PrintStream stream) {
        Settings c = settings;
        return new SmtpConformanceTests(new Settings(c.host, c.port, c.suites, c.tags, c.reportDir, c.run, stream));
    }

    /** The selected cases, loaded (a malformed suite file throws, naming file and line). */
    public List<Dialogue> dialogues() {
        SuiteLoader loader = new SuiteLoader();
        List<Dialogue> all = settings.suites.isEmpty() ? loader.loadBuiltIn() : loader.loadAll(settings.suites);
        List<Dialogue> selected = SuiteLoader.select(all, settings.tags);
        if (selected.isEmpty()) {
            throw new IllegalArgumentException(all.isEmpty() ? "no cases in " + settings.suites
                    : "no case has the tags " + settings.tags);
        }
        return selected;
    }

    /**
     * Runs every selected case against the target, writes the reports if a directory was given and
     * prints the summary. An unreachable target throws {@link AssertionFailedError}.
     */
    public RunSummary run() {
        List<Dialogue> dialogues = dialogues();
        PrintStream out = settings.out;
        Optional<ReportWriter> reports = settings.reportDir.map(dir ->
                new ReportWriter(dir, id -> RuleCatalog.standard().find(id).map(Rule::text)));
        try {
            if (reports.isPresent()) {
                reports.get().prepare();
            }
            InetSocketAddress address = resolveTarget();
            RunSummary summary;
            // the same service as the command line: paced off loopback and said so, one greeting first
            try (RunService service = new RunService(settings.run, out::println)) {
                RunService.Destination destination = service.guarded(address, targetLabel(), TargetPolicy.Traffic.SCRIPTED);
                service.preflight(destination);
                summary = service.runCases(dialogues, destination, List.of(), Tool.version());
            }
            if (reports.isPresent()) {
                reports.get().write(summary);
            }
            out.print(TerminalSummary.render(summary, false));
            reports.ifPresent(r -> out.println("report: " + r.directory().toAbsolutePath()));
            return summary;
        } catch (TargetUnreachableException e) {
            String why = e.getMessage().startsWith(targetLabel()) ? e.getMessage() : targetLabel() + ": " + e.getMessage();
            throw new AssertionFailedError("SMTP target " + why, e);
        } catch (ReportException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs the cases ({@link #run()}) and returns one dynamic test per case, named {@code suite/id: title}. */
    public Stream<DynamicTest> dynamicTests() {
        RunSummary summary = run();
        return Stream.concat(summary.cases().stream().map(c -> CaseTests.of(c, settings.out)),
                summary.incidentalFindings().stream().map(f -> CaseTests.of(f, settings.out)));
    }

    /** Like {@link #dynamicTests()}, grouped in one container per suite, tests named {@code id: title}. */
    public Stream<DynamicContainer> dynamicContainers() {
        Map<String, List<DynamicTest>> bySuite = new LinkedHashMap<>();
        RunSummary summary = run();
        for (CaseResult c : summary.cases()) {
            bySuite.computeIfAbsent(c.suite(), s -> new ArrayList<>())
                    .add(DynamicTest.dynamicTest(c.id() + ": " + c.title(), () -> CaseTests.check(c, settings.out)));
        }
        summary.incidentalFindings().forEach(f -> bySuite.computeIfAbsent("incidental", s -> new ArrayList<>())
                .add(CaseTests.of(f, settings.out)));
        return bySuite.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    /** {@code host:port}, IPv6 in brackets. */
    public String targetLabel() {
        return (settings.host.contains(":") ? "[" + settings.host + "]" : settings.host) + ":" + settings.port;
    }

    private InetSocketAddress resolveTarget() throws TargetUnreachableException {
        return new Target(settings.host, settings.port).resolve();
    }
}
