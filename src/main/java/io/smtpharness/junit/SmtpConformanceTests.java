package io.smtpharness.junit;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.Target;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.RunExecutor;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Variables;
import io.smtpharness.report.ReportException;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.report.TerminalSummary;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Tool;
import io.smtpharness.rules.Rule;
import io.smtpharness.rules.RuleCatalog;
import io.smtpharness.suite.SuiteLoader;
import io.smtpharness.transcript.Transcript;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Properties;
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

    private final String host;
    private final int port;
    private final List<Path> suites;
    private final Set<String> tags;
    private final Variables variables;
    private final Optional<Path> reportDir;
    private final int maxConnections;
    private final Duration replyTimeout;
    private final boolean allowDelivery;
    private final PrintStream out;

    private SmtpConformanceTests(String host, int port, List<Path> suites, Set<String> tags, Variables variables,
                                 Optional<Path> reportDir, int maxConnections, Duration replyTimeout,
                                 boolean allowDelivery, PrintStream out) {
        if (maxConnections < 1 || maxConnections > 64) {
            throw new IllegalArgumentException("maxConnections must be between 1 and 64, not " + maxConnections);
        }
        this.host = Objects.requireNonNull(host, "host == null");
        this.port = port;
        this.suites = List.copyOf(suites);
        this.tags = Set.copyOf(tags);
        this.variables = Objects.requireNonNull(variables, "variables == null");
        this.reportDir = Objects.requireNonNull(reportDir, "reportDir == null");
        this.maxConnections = maxConnections;
        this.replyTimeout = Objects.requireNonNull(replyTimeout, "replyTimeout == null");
        this.allowDelivery = allowDelivery;
        this.out = Objects.requireNonNull(out, "out == null");
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
        return new SmtpConformanceTests(host, port, List.of(), Set.of(), Variables.defaults(), Optional.empty(), 4,
                ClientOptions.defaults().replyTimeout(), false, System.out);
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
        return new SmtpConformanceTests(host, port, List.of(paths), tags, variables, reportDir, maxConnections,
                replyTimeout, allowDelivery, out);
    }

    /** Only cases with one of these tags; none: all (slow cases only when {@code slow} is named). */
    public SmtpConformanceTests withTags(String... selected) {
        return new SmtpConformanceTests(host, port, suites, Set.of(selected), variables, reportDir, maxConnections,
                replyTimeout, allowDelivery, out);
    }

    /** Our EHLO name, our reverse path and a mailbox the server accepts. */
    public SmtpConformanceTests withVariables(String helo, String sender, String recipient) {
        return new SmtpConformanceTests(host, port, suites, tags, Variables.of(helo, sender, recipient), reportDir,
                maxConnections, replyTimeout, allowDelivery, out);
    }

    /** Where to write the report files ({@code summary.json}, {@code junit.xml}, ...); {@code null}: none. */
    public SmtpConformanceTests withReportDir(Path directory) {
        return new SmtpConformanceTests(host, port, suites, tags, variables, Optional.ofNullable(directory),
                maxConnections, replyTimeout, allowDelivery, out);
    }

    /** Cases run at once (1 to 64; default 4). */
    public SmtpConformanceTests withMaxConnections(int connections) {
        return new SmtpConformanceTests(host, port, suites, tags, variables, reportDir, connections, replyTimeout,
                allowDelivery, out);
    }

    /** Deadline for each whole reply (default 30 s). */
    public SmtpConformanceTests withReplyTimeout(Duration timeout) {
        return new SmtpConformanceTests(host, port, suites, tags, variables, reportDir, maxConnections, timeout,
                allowDelivery, out);
    }

    /** Let cases complete messages against a non-loopback target (default: they are skipped). */
    public SmtpConformanceTests withAllowDelivery(boolean allow) {
        return new SmtpConformanceTests(host, port, suites, tags, variables, reportDir, maxConnections, replyTimeout,
                allow, out);
    }

    /** Where the run summary and warnings are printed (default {@code System.out}). */
    public SmtpConformanceTests withOutput(PrintStream stream) {
        return new SmtpConformanceTests(host, port, suites, tags, variables, reportDir, maxConnections, replyTimeout,
                allowDelivery, stream);
    }

    /** The selected cases, loaded (a malformed suite file throws, naming file and line). */
    public List<Dialogue> dialogues() {
        SuiteLoader loader = new SuiteLoader();
        List<Dialogue> all = suites.isEmpty() ? loader.loadBuiltIn() : loader.loadAll(suites);
        List<Dialogue> selected = SuiteLoader.select(all, tags);
        if (selected.isEmpty()) {
            throw new IllegalArgumentException(all.isEmpty() ? "no cases in " + suites : "no case has the tags " + tags);
        }
        return selected;
    }

    /**
     * Runs every selected case against the target, writes the reports if a directory was given and
     * prints the summary. An unreachable target throws {@link AssertionFailedError}.
     */
    public RunSummary run() {
        List<Dialogue> dialogues = dialogues();
        Optional<ReportWriter> reports = reportDir.map(dir ->
                new ReportWriter(dir, id -> RuleCatalog.standard().find(id).map(Rule::text)));
        try {
            if (reports.isPresent()) {
                reports.get().prepare();
            }
            InetSocketAddress address = resolveTarget();
            ClientOptions clientOptions = ClientOptions.defaults().withReplyTimeout(replyTimeout);
            RunnerOptions runnerOptions = RunnerOptions.defaults().withVariables(variables).withAllowDelivery(allowDelivery);
            RunSummary summary;
            try (SmtpClient client = new SmtpClient(clientOptions)) {
                client.connect(address, new Transcript()).close();
                summary = new RunExecutor(client, runnerOptions, maxConnections, List.of())
                        .run(dialogues, address, targetLabel(), Tool.version());
            }
            if (reports.isPresent()) {
                reports.get().write(summary);
            }
            out.print(TerminalSummary.render(summary, false));
            reports.ifPresent(r -> out.println("report: " + r.directory().toAbsolutePath()));
            return summary;
        } catch (TargetUnreachableException e) {
            throw new AssertionFailedError("SMTP target " + targetLabel() + ": " + e.getMessage(), e);
        } catch (ReportException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs the cases ({@link #run()}) and returns one dynamic test per case, named {@code suite/id: title}. */
    public Stream<DynamicTest> dynamicTests() {
        RunSummary summary = run();
        return Stream.concat(summary.cases().stream().map(c -> CaseTests.of(c, out)),
                summary.incidentalFindings().stream().map(f -> CaseTests.of(f, out)));
    }

    /** Like {@link #dynamicTests()}, grouped in one container per suite, tests named {@code id: title}. */
    public Stream<DynamicContainer> dynamicContainers() {
        Map<String, List<DynamicTest>> bySuite = new LinkedHashMap<>();
        RunSummary summary = run();
        for (CaseResult c : summary.cases()) {
            bySuite.computeIfAbsent(c.suite(), s -> new ArrayList<>())
                    .add(DynamicTest.dynamicTest(c.id() + ": " + c.title(), () -> CaseTests.check(c, out)));
        }
        summary.incidentalFindings().forEach(f -> bySuite.computeIfAbsent("incidental", s -> new ArrayList<>())
                .add(CaseTests.of(f, out)));
        return bySuite.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    /** {@code host:port}, IPv6 in brackets. */
    public String targetLabel() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private InetSocketAddress resolveTarget() throws TargetUnreachableException {
        return new Target(host, port).resolve();
    }
}
