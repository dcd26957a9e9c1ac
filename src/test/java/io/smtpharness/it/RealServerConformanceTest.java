package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.AuthCredentials;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.RunExecutor;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.report.TerminalSummary;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunWideFinding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.suite.SuiteLoader;
import io.smtpharness.testing.RealServer;
import io.smtpharness.testing.RealServer.Kind;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every suite in {@code test-suites/} against real servers on loopback: Postfix 3.7, Exim 4.96
 * and OpenSMTPD 6.8 (Debian 12 builds, started by {@code src/test/servers/start-*.sh}). No case
 * may end in {@code error}, and every verdict other than passed was examined by hand and is pinned
 * with its reason in {@code src/test/resources/io/smtpharness/it/real-server-verdicts/<server>.txt}
 * (format: {@link PinnedVerdicts}), so a harness change that alters a verdict on a real server
 * shows up here.
 *
 * <p>When suites are added or judging changes, the assertion message prints the actual pins in
 * that file's syntax: examine each new line (the transcripts are in the message too), then paste
 * it with a one-line comment saying what the server did and whether it is a genuine deviation or
 * an effect of our test configuration (README, "Conformance of well-known servers").
 */
class RealServerConformanceTest {

    private static final Map<Kind, Optional<PinnedVerdicts>> PINS = new EnumMap<>(Kind.class);

    /** This server's pins, read once; empty when it has no file. */
    private static synchronized Optional<PinnedVerdicts> pins(Kind kind) {
        return PINS.computeIfAbsent(kind, PinnedVerdicts::load);
    }

    /**
     * The servers whose verdicts are pinned: a kind takes part once it has a file (aiosmtpd-tls,
     * sendmail, greenmail, smtp-server and smtp-server-tls have none yet). A malformed file fails
     * every test here with its {@code file:line}.
     */
    static Stream<Kind> pinnedKinds() {
        return Stream.of(Kind.values()).filter(kind -> pins(kind).isPresent());
    }

    private static PinnedVerdicts pinned(Kind kind) {
        return pins(kind).orElseThrow();
    }

    private static String file(Kind kind) {
        return PinnedVerdicts.SOURCE_DIR + PinnedVerdicts.fileName(kind);
    }

    private static List<Dialogue> allSuites;
    private static final Map<Kind, RunSummary> SUMMARIES = new EnumMap<>(Kind.class);

    static synchronized List<Dialogue> allSuites() {
        if (allSuites == null) {
            allSuites = SuiteLoader.select(new SuiteLoader().loadAll(List.of(Path.of("test-suites"))), Set.of());
        }
        return allSuites;
    }

    /**
     * The JVM-wide server of this kind (skipped locally / failed on CI when it cannot start) and,
     * once per kind, the run of every suite against it.
     */
    static synchronized RunSummary summary(Kind kind) {
        RealServer server = RealServer.sharedOrSkip(kind);
        RunSummary summary = SUMMARIES.get(kind);
        if (summary == null) {
            summary = runAll(server);
            System.err.println("[RealServerConformanceTest] " + server.version() + ": " + summary.counts() + " in "
                    + summary.durationMs() + " ms");
            SUMMARIES.put(kind, summary);
        }
        return summary;
    }

    /** Every suite against {@code server}, with the AUTH test account the fixtures that offer AUTH configure. */
    private static RunSummary runAll(RealServer server) {
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults())) {
            RunnerOptions options = RunnerOptions.defaults().withCredentials(
                    new AuthCredentials("harness", "harness-test-password"));
            RunExecutor executor = new RunExecutor(client, options, server.kind().maxConnections(), List.of());
            return executor.run(allSuites(), new InetSocketAddress(server.host(), server.port()),
                    server.hostAndPort(), server.version());
        }
    }

    /**
     * Same server, same suites, same verdicts: a second run gives every case the status and first
     * rule of the first run (cases whose first warning is a rule the server itself varies on, such
     * as how it splits a long line, left out), and the same incidental findings.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedKinds")
    void aSecondRunGivesTheSameVerdicts(Kind kind) {
        RunSummary first = summary(kind);
        RunSummary second = runAll(RealServer.sharedOrSkip(kind));
        Set<String> varying = pinned(kind).varying();
        Map<String, String> a = verdicts(first, varying);
        Map<String, String> b = verdicts(second, varying);
        a.keySet().retainAll(b.keySet());
        b.keySet().retainAll(a.keySet());
        assertThat(b).as(second.version() + ": run 2 against run 1").isEqualTo(a)
                .hasSizeGreaterThan(first.cases().size() - 5);
        assertThat(incidental(second)).isEqualTo(incidental(first));
    }

    /** Rule → severity of each incidental finding of the run (the worse one if a rule has two). */
    private static Map<String, Severity> incidental(RunSummary summary) {
        return summary.incidentalFindings().stream().collect(Collectors.toMap(RunWideFinding::ruleId,
                RunWideFinding::severity, BinaryOperator.maxBy(Comparator.naturalOrder()), TreeMap::new));
    }

    /** Case → "status rule-of-first-finding", leaving out cases whose first warning rule varies. */
    private static Map<String, String> verdicts(RunSummary summary, Set<String> varying) {
        Map<String, String> out = new TreeMap<>();
        for (Status status : Status.values()) {
            firstFindings(summary, status).forEach((id, rule) -> {
                if (!varying.contains(rule)) {
                    out.put(id, status.label() + " " + rule);
                }
            });
        }
        return out;
    }

    // Parameterized rather than @Nested per server: Surefire reports nested classes' same-named
    // methods as reruns of one test, which would hide one server's failure behind another's pass.

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedKinds")
    void everySuiteRan(Kind kind) {
        assertThat(summary(kind).cases()).isNotEmpty().hasSize(allSuites().size());
        // no case may sit out a long wait (issue 13: Sendmail's default run once took over 10 minutes,
        // cases expecting silence each waiting 300 s). What a case waited out is what its transcript
        // recorded, so this holds however busy the machine is; a run needs 6-30 s of wall time.
        assertThat(summary(kind).cases()).allSatisfy(c -> assertThat(waitedOutMs(c))
                .as(c.qualifiedId() + ": deadlines its transcript says it waited out").isLessThanOrEqualTo(60_000));
    }

    private static final java.util.regex.Pattern WAITED = java.util.regex.Pattern.compile("within (\\d+) ms");

    /** The sum of the deadlines that ran out in the case, as its transcript notes them. */
    private static long waitedOutMs(CaseResult c) {
        long sum = 0;
        for (var event : c.transcript()) {
            java.util.regex.Matcher m = WAITED.matcher(event.text());
            if (event.direction() == io.smtpharness.transcript.Direction.NOTE && m.find()) {
                sum += Long.parseLong(m.group(1));
            }
        }
        return sum;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedKinds")
    void noCaseEndsInError(Kind kind) {
        RunSummary summary = summary(kind);
        assertThat(summary.cases()).filteredOn(c -> c.status() == Status.ERROR)
                .as(() -> summary.version() + " cases in error:\n" + describe(summary, Status.ERROR))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedKinds")
    void everyFailedVerdictIsAnExaminedDeviation(Kind kind) {
        RunSummary summary = summary(kind);
        Map<String, String> actual = firstFindings(summary, Status.FAILED);
        assertThat(actual)
                .as(() -> summary.version() + ": the failed cases differ from the examined ones in " + file(kind)
                        + ". Actual failed lines, to examine and paste:\n" + PinnedVerdicts.failedLines(actual)
                        + "\nFailed cases:\n" + describe(summary, Status.FAILED) + "\n")
                .isEqualTo(pinned(kind).failed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedKinds")
    void warningsAreTheExaminedOnes(Kind kind) {
        RunSummary summary = summary(kind);
        Set<String> varying = pinned(kind).varying();
        Map<String, Long> actual = firstFindings(summary, Status.WARNING).values().stream()
                .filter(rule -> !varying.contains(rule))
                .collect(Collectors.groupingBy(rule -> rule, TreeMap::new, Collectors.counting()));
        assertThat(actual)
                .as(() -> summary.version() + ": warnings per rule differ from the examined ones in " + file(kind)
                        + ". Actual warning lines, to examine and paste:\n" + PinnedVerdicts.warningLines(actual)
                        + "\nWarning cases:\n" + describe(summary, Status.WARNING) + "\n")
                .isEqualTo(pinned(kind).warnings());
    }

    /**
     * The server's traits seen outside the cases that test them (reported once per run), rule →
     * severity. A rule seen at both severities is pinned at the worse one; the message lists both.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedKinds")
    void incidentalFindingsAreTheExaminedOnes(Kind kind) {
        RunSummary summary = summary(kind);
        List<RunWideFinding> found = summary.incidentalFindings();
        Map<String, Severity> actual = incidental(summary);
        assertThat(actual)
                .as(() -> summary.version() + ": incidental findings differ from the examined ones in " + file(kind)
                        + ". Actual incidental lines, to examine and paste:\n" + PinnedVerdicts.incidentalLines(actual)
                        + "\nIncidental findings:\n" + describe(found) + "\n")
                .isEqualTo(pinned(kind).incidental());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinnedKinds")
    void acceptedMessagesReachTheMaildir(Kind kind) throws Exception {
        RunSummary summary = summary(kind);
        long refused = summary.cases().stream().filter(c -> c.message().startsWith(CaseResult.SETUP_REFUSED)).count();
        if (refused > 0) {
            // a server that refuses our sender (Sendmail: its domain does not resolve) gets no message;
            // the run must say so, once, naming the option (RealServerDefencesTest sends one it accepts)
            assertThat(TerminalSummary.render(summary, false)).containsOnlyOnce(refused + " cases skipped, "
                    + CaseResult.SETUP_REFUSED).contains("--sender");
            return;
        }
        RealServer server = RealServer.sharedOrSkip(kind);
        // MTAs queue first and deliver a moment later: poll, with a bound
        List<Path> delivered = server.awaitDeliveries(1, Duration.ofSeconds(20));
        assertThat(delivered).as("messages in " + server.maildir()).isNotEmpty();
        // messages are octets, not UTF-8: the fuzz test delivers 8-bit content to the same shared server
        assertThat(delivered).anySatisfy(p -> assertThat(Files.readString(p, StandardCharsets.ISO_8859_1))
                .contains("Subject: smtp-harness"));
    }

    /**
     * Case {@code suite/id} → the rule of its first finding with that status, for the cases that
     * ended in {@code status}. Incidental findings never decide a case's status, so they are left out.
     */
    static Map<String, String> firstFindings(RunSummary summary, Status status) {
        Map<String, String> actual = new TreeMap<>();
        for (CaseResult c : summary.cases()) {
            if (c.status() == status) {
                actual.put(c.qualifiedId(), c.findings().stream()
                        .filter(f -> !f.incidental() && f.severity().toStatus() == status)
                        .map(Finding::ruleId).findFirst().orElse("(no finding: " + c.message() + ")"));
            }
        }
        return actual;
    }

    /** Each incidental finding with its evidence and its first few cases. */
    private static String describe(List<RunWideFinding> found) {
        if (found.isEmpty()) {
            return "  (none)";
        }
        int shown = 5;
        return found.stream()
                .map(f -> "  " + f.ruleId() + " [" + PinnedVerdicts.label(f.severity()) + "] in " + f.cases().size()
                        + " cases: " + f.evidence() + "\n      first cases: "
                        + String.join(", ", f.cases().subList(0, Math.min(shown, f.cases().size())))
                        + (f.cases().size() > shown ? ", ..." : ""))
                .collect(Collectors.joining("\n"));
    }

    private static String describe(RunSummary summary, Status only) {
        return summary.cases().stream()
                .filter(c -> only == null ? c.status() != Status.PASSED : c.status() == only)
                .map(c -> "  " + c.qualifiedId() + " [" + c.status().label() + "] " + c.message()
                        + "\n" + c.transcript().stream().map(t -> "      " + t).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
    }
}
