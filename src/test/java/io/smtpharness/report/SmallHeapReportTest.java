package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Transcript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report writers stream: 213 cases, each with a transcript filled to the {@link Transcript} cap
 * (about 20 MB of transcript text in all), are written by each writer alone, and by all of them, in a
 * JVM of {@value #HEAP}, which holds the run but not a second whole copy of it as one document.
 */
class SmallHeapReportTest {

    static final String HEAP = "-Xmx100m";
    static final int CASES = 213;

    @TempDir
    Path tmp;

    /** Each writer on its own, so one that held a whole document could not hide behind another's margin. */
    @ParameterizedTest
    @ValueSource(strings = {SummaryJson.FILE_NAME, JunitXml.FILE_NAME, HtmlReport.FILE_NAME, AllureResults.DIRECTORY_NAME})
    void eachWriterFitsASmallHeapWithFullTranscripts(String writer) throws Exception {
        Path reports = tmp.resolve("reports");
        String output = writeInChild(reports, writer);
        Path written = reports.resolve(writer);
        switch (writer) {
            case SummaryJson.FILE_NAME -> {
                JsonNode summary = new ObjectMapper().readTree(written.toFile());
                assertThat(summary.get("cases")).hasSize(CASES);
                assertThat(summary.get("cases").get(CASES - 1).get("transcript").toString()).contains("left out here");
                assertThat(summary.get("serverWide").get(0).get("cases")).hasSize(CASES);
            }
            case JunitXml.FILE_NAME -> assertThat(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(written.toFile())
                    .getElementsByTagName("testcase").getLength()).isEqualTo(CASES);
            case HtmlReport.FILE_NAME -> assertThat(Files.size(written)).as("index.html octets").isGreaterThan(10_000_000L);
            default -> {
                try (var allure = Files.list(written)) {
                    assertThat(allure.filter(f -> f.toString().endsWith("-result.json")).count()).isEqualTo(CASES);
                }
            }
        }
        System.out.println(writer + ": " + output);
    }

    @Test
    void allWritersTogetherFitTheSameHeap() throws Exception {
        Path reports = tmp.resolve("reports");
        System.out.println(writeInChild(reports, "all"));
        try (var written = Files.list(reports)) {
            assertThat(written.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(SummaryJson.FILE_NAME,
                    JunitXml.FILE_NAME, HtmlReport.FILE_NAME, AllureResults.DIRECTORY_NAME);
        }
    }

    private String writeInChild(Path reports, String writer) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-cp", System.getProperty("java.class.path"), Writing.class.getName(), reports.toString(), writer)
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("a bound that only catches a hang").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError");
        return output;
    }

    /** The child JVM: builds the run and writes one report, or all of them. */
    public static final class Writing {
        public static void main(String[] args) throws Exception {
            List<CaseResult> cases = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                Transcript transcript = new Transcript();
                for (int line = 0; line < 5_000; line++) {
                    transcript.server("250-flood line " + line + " of case " + i + " " + "x".repeat(40) + "\r\n");
                }
                cases.add(new CaseResult("flood", "case-" + i, "a flooded case", List.of("5321-4.2-ONE-REPLY"),
                        List.of(), Status.FAILED, "reply cut off", List.of(new Finding("5321-4.2-ONE-REPLY",
                        Severity.FAILED, "reply cut off after 1000 lines", Finding.Reach.SERVER_WIDE)), 10,
                        transcript.events()));
            }
            RunSummary summary = new RunSummary("smtp-harness", "test", "127.0.0.1:1", Instant.now(), 1000, cases);
            Path reports = Files.createDirectories(Path.of(args[0]));
            switch (args[1]) {
                case SummaryJson.FILE_NAME -> SummaryJson.write(summary, reports.resolve(args[1]));
                case JunitXml.FILE_NAME -> JunitXml.write(summary, reports.resolve(args[1]));
                case HtmlReport.FILE_NAME -> new HtmlReport().write(summary, reports.resolve(args[1]));
                case AllureResults.DIRECTORY_NAME -> AllureResults.write(summary, reports.resolve(args[1]));
                default -> new ReportWriter(reports).write(summary);
            }
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.println("heap used after writing: " + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024)
                    + " MiB of " + rt.maxMemory() / (1024 * 1024) + " MiB");
        }
    }
}
