package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.testing.RealServer.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parser of the real-server verdict files, the files themselves, and how
 * {@link RealServerConformanceTest} picks a case's pinned rule, all without starting a server.
 */
class PinnedVerdictsTest {

    @Test
    void readsEveryKindOfPinAndIgnoresComments() {
        PinnedVerdicts pins = PinnedVerdicts.parse("good.txt", List.of(
                "# Some Server 1.0 (start-some.sh): the notes on this server",
                "",
                "# genuine: ends DATA at \\n.\\n",
                "failed   rfc5321-core/end-of-data-only-on-crlf-dot-crlf   5321-4.1.1.4-NO-LF-EOD",
                "failed\tsmtp-smuggling/smuggle-after-lf-dot-lf\t5321-4.1.1.4-NO-LF-EOD   # a tab-separated one",
                "   ",
                "warning  5321-2.4-NONASCII-CMD  1      # 250 to a UTF-8 mailbox without SMTPUTF8 declared",
                "warning  5321-4.1.1.8-HELP      8",
                "incidental  5321-2.2.2-NO-UNREGISTERED-KW  warning   # PIPECONNECT",
                "incidental  5321-4.1.4-STATE:GREETED:EHLO  failed",
                "fuzz  crash  5321-3.8-CLOSE-ONLY-IF   # closes after a long line",
                "fuzz  rule   5321-3.8-CLOSE-ONLY-IF",
                "    # an indented comment"));

        assertThat(pins.failed()).containsExactly(
                Map.entry("rfc5321-core/end-of-data-only-on-crlf-dot-crlf", "5321-4.1.1.4-NO-LF-EOD"),
                Map.entry("smtp-smuggling/smuggle-after-lf-dot-lf", "5321-4.1.1.4-NO-LF-EOD"));
        assertThat(pins.warnings()).containsExactly(
                Map.entry("5321-2.4-NONASCII-CMD", 1L), Map.entry("5321-4.1.1.8-HELP", 8L));
        assertThat(pins.incidental()).containsExactly(
                Map.entry("5321-2.2.2-NO-UNREGISTERED-KW", Severity.WARNING),
                Map.entry("5321-4.1.4-STATE:GREETED:EHLO", Severity.FAILED));
        assertThat(pins.fuzz()).containsExactly("crash 5321-3.8-CLOSE-ONLY-IF", "rule 5321-3.8-CLOSE-ONLY-IF");
        assertThat(PinnedVerdicts.fuzzLines(pins.fuzz()).lines().toList()).containsExactly(
                "fuzz        crash  5321-3.8-CLOSE-ONLY-IF", "fuzz        rule   5321-3.8-CLOSE-ONLY-IF");
    }

    @Test
    void anEmptyFilePinsNothing() {
        PinnedVerdicts pins = PinnedVerdicts.parse("empty.txt", List.of("# only notes", ""));

        assertThat(pins.failed()).isEmpty();
        assertThat(pins.warnings()).isEmpty();
        assertThat(pins.incidental()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "failed  rfc5321-core/x                        | expected 3 fields",
            "failed  rfc5321-core/x  RULE  extra           | expected 3 fields",
            "failes  rfc5321-core/x  RULE                  | unknown pin 'failes' (failed, warning, incidental, varies or fuzz)",
            "fuzz    flake  5321-3.8-CLOSE-ONLY-IF          | a fuzz pin's kind is rule, crash or hang, found 'flake'",
            "failed  just-a-case-id  RULE                  | expected suite/case-id, found 'just-a-case-id'",
            "failed  rfc5321-core/   RULE                  | expected suite/case-id",
            "warning G-01  many                            | expected a count of cases (a positive number), found 'many'",
            "warning G-01  0                               | expected a count of cases (a positive number), found '0'",
            "warning G-01  1#a                             | found '1#a'",
            "incidental  G-01  note                        | expected severity warning or failed, found 'note'",
            "incidental  G-01  WARNING                     | expected severity warning or failed, found 'WARNING'",
            "varies  G-01  failed                          | a varying pin is a warning rule, found 'failed'",
            "warning G-02  1                               | warning G-02 is pinned twice (first at line 2)",
    })
    void aMalformedLineIsReportedWithFileAndLine(String line, String problem) {
        List<String> lines = List.of("# notes", "warning G-02  1", "failed  a/b  RULE", "", line.strip(), "warning G-03 2");

        assertThatThrownBy(() -> PinnedVerdicts.parse("some/dir/server.txt", lines))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("some/dir/server.txt:5: ")
                .hasMessageContaining(problem)
                .hasMessageEndingWith(": " + line.strip());
    }

    @Test
    void theSameRuleMayBeBothAFailedCaseAndAWarningCount() {
        PinnedVerdicts pins = PinnedVerdicts.parse("x.txt", List.of(
                "failed  rfc5321-syntax/bad-mail-argument-keeps-state  5321-4.1.4-MAIL-ARG-501",
                "warning 5321-4.1.4-MAIL-ARG-501  1",
                "incidental 5321-4.1.4-MAIL-ARG-501 warning"));

        assertThat(pins.failed()).hasSize(1);
        assertThat(pins.warnings()).hasSize(1);
        assertThat(pins.incidental()).hasSize(1);
    }

    @Test
    void printedLinesParseBackToTheSamePins() {
        PinnedVerdicts pins = new PinnedVerdicts(
                Map.of("rfc5321-core/rset-before-ehlo", "5321-4.1.1.5-RSET-250",
                        "rfc5321-limits/domain-255-octets", "5321-4.5.3.1-DOMAIN-255"),
                Map.of("G-05", 12L, "5321-4.3.1-TABLE", 5L),
                Map.of("5321-2.2.2-NO-UNREGISTERED-KW", Severity.WARNING));
        String text = String.join("\n", PinnedVerdicts.failedLines(pins.failed()),
                PinnedVerdicts.warningLines(pins.warnings()), PinnedVerdicts.incidentalLines(pins.incidental()));

        assertThat(PinnedVerdicts.parse("printed", text.lines().toList())).isEqualTo(pins);
        assertThat(text).startsWith("failed      rfc5321-core/rset-before-ehlo     5321-4.1.1.5-RSET-250\n")
                .contains("\nwarning     G-05              12\n")
                .endsWith("\nincidental  5321-2.2.2-NO-UNREGISTERED-KW  warning");
    }

    @Test
    void pinsAreImmutable() {
        PinnedVerdicts pins = PinnedVerdicts.parse("x.txt", List.of("warning G-01 1"));

        assertThatThrownBy(() -> pins.warnings().put("G-02", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aCaseIsPinnedByItsFirstFindingOnARuleItTests() {
        Finding unregistered = new Finding("5321-2.2.2-NO-UNREGISTERED-KW", Severity.WARNING, "PIPECONNECT")
                .asIncidental();
        Finding noHelp = new Finding("5321-4.1.1.8-HELP", Severity.WARNING, "500 to HELP");
        Finding failedEarly = new Finding("5321-4.1.4-STATE:GREETED:EHLO", Severity.FAILED, "503").asIncidental();
        Finding noLfEod = new Finding("5321-4.1.1.4-NO-LF-EOD", Severity.FAILED, "250 at \\n.\\n");
        RunSummary summary = new RunSummary("smtp-harness", "test", "127.0.0.1:2525", Instant.EPOCH, 1, List.of(
                result("help", Status.WARNING, unregistered, noHelp),
                result("eod", Status.FAILED, unregistered, failedEarly, noLfEod),
                result("other", Status.PASSED, unregistered)));

        assertThat(RealServerConformanceTest.firstFindings(summary, Status.WARNING))
                .containsExactly(Map.entry("core/help", "5321-4.1.1.8-HELP"));
        assertThat(RealServerConformanceTest.firstFindings(summary, Status.FAILED))
                .containsExactly(Map.entry("core/eod", "5321-4.1.1.4-NO-LF-EOD"));
    }

    private static CaseResult result(String id, Status status, Finding... findings) {
        return new CaseResult("core", id, id, List.of(), List.of(), status, "", List.of(findings), 1, List.of());
    }

    /** A misspelt file name would leave its server silently unpinned. */
    @Test
    void everyVerdictFileNamesAServerKindAndParses() throws IOException {
        Set<String> known = Stream.of(Kind.values()).map(PinnedVerdicts::fileName).collect(Collectors.toSet());
        List<String> files;
        try (Stream<Path> listing = Files.list(Path.of(PinnedVerdicts.SOURCE_DIR))) {
            files = listing.map(p -> p.getFileName().toString()).sorted().toList();
        }

        assertThat(files).contains("postfix.txt", "exim.txt", "opensmtpd.txt");
        assertThat(known).containsAll(files);
        for (Kind kind : Kind.values()) {
            assertThat(PinnedVerdicts.load(kind)).as(kind.name())
                    .isEqualTo(files.contains(PinnedVerdicts.fileName(kind))
                            ? Optional.of(PinnedVerdicts.parse("x", Files.readAllLines(
                                    Path.of(PinnedVerdicts.SOURCE_DIR, PinnedVerdicts.fileName(kind)))))
                            : Optional.empty());
        }
    }
}
