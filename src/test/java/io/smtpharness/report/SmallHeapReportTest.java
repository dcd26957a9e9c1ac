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

/**
 * The report writers stream: 213 cases, each with a transcript filled to the {@link Transcript} cap
 * (about 20 MB of transcript text in all), are written in a JVM of {@value #HEAP}, which holds the run
 * but not a second whole copy of it as one document.
 */
class SmallHeapReportTest {

    static final String HEAP = "-Xmx100m";
    static final int CASES = 213;

    @TempDir
    Path tmp;

    @Test
    void everyWriterFitsASmallHeapWithFullTranscripts() throws Exception {
        Path reports = tmp.resolve("reports");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-cp", System.getProperty("java.class.path"), Writing.class.getName(), reports.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("a bound that only catches a hang").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError");
        JsonNode summary = new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.get("cases")).hasSize(CASES);
        assertThat(summary.get("cases").get(CASES - 1).get("transcript").toString()).contains("left out here");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
        assertThat(Files.size(reports.resolve("index.html"))).as("index.html octets").isGreaterThan(10_000_000L);
        try (var allure = Files.list(reports.resolve("allure-results"))) {
            assertThat(allure.filter(f -> f.toString().endsWith("-result.json")).count()).isEqualTo(CASES);
        }
        System.out.println(output);
    }

    /** The child JVM: builds the run and writes every report. */
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
                        Severity.FAILED, "reply cut off after 1000 lines")), 10, transcript.events()));
            }
            RunSummary summary = new RunSummary("smtp-harness", "test", "127.0.0.1:1", Instant.now(), 1000, cases);
            new ReportWriter(Path.of(args[0])).write(summary);
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.println("heap used after writing: " + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024)
                    + " MiB of " + rt.maxMemory() / (1024 * 1024) + " MiB");
        }
    }
}
