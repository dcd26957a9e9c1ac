package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.smtpharness.result.RunSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryContractFieldInContractOrder() throws IOException {
        JsonNode root = writeAndRead(ReportFixtures.allStatuses());

        assertThat(fieldNames(root)).containsExactly(
                "tool", "version", "target", "startedAt", "durationMs", "complete", "counts", "cases", "serverWide", "incidental",
                "findings");
        assertThat(root.get("tool").asText()).isEqualTo("smtp-harness");
        assertThat(root.get("version").asText()).isEqualTo("0.1.0");
        assertThat(root.get("target").asText()).isEqualTo("127.0.0.1:2525");
        assertThat(root.get("durationMs").asLong()).isEqualTo(31_600);
        assertThat(root.get("findings").isArray()).isTrue();
        assertThat(root.get("findings")).isEmpty();
    }

    @Test
    void startedAtIsIso8601InUtc() throws IOException {
        JsonNode root = writeAndRead(ReportFixtures.allStatuses());

        assertThat(root.get("startedAt").asText()).isEqualTo("2025-03-14T09:26:53.125Z");
    }

    @Test
    void countsHoldEveryStatusIncludingZeros() throws IOException {
        JsonNode counts = writeAndRead(ReportFixtures.summary(List.of(ReportFixtures.failed()))).get("counts");

        assertThat(fieldNames(counts)).containsExactly("passed", "failed", "warning", "skipped", "error");
        assertThat(counts.get("failed").asInt()).isEqualTo(1);
        assertThat(counts.get("passed").asInt()).isZero();
    }

    @Test
    void caseCarriesContractFieldsPlusTagsAndFindings() throws IOException {
        JsonNode failed = writeAndRead(ReportFixtures.allStatuses()).get("cases").get(1);

        assertThat(fieldNames(failed)).contains("suite", "id", "title", "rules", "status", "message",
                "durationMs", "transcript", "tags", "findings");
        assertThat(failed.get("suite").asText()).isEqualTo("core");
        assertThat(failed.get("id").asText()).isEqualTo("rcpt-before-mail");
        assertThat(failed.get("rules").get(0).asText()).isEqualTo("5321-4.1.4-ORDER");
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("durationMs").asLong()).isEqualTo(1530);
        assertThat(failed.get("tags").get(0).asText()).isEqualTo("sequence");
        JsonNode finding = failed.get("findings").get(0);
        assertThat(fieldNames(finding)).containsExactly("rule", "severity", "message");
        assertThat(finding.get("severity").asText()).isEqualTo("failed");
    }

    @Test
    void transcriptEventsUseTMsDirAndText() throws IOException {
        JsonNode cases = writeAndRead(ReportFixtures.allStatuses()).get("cases");
        JsonNode event = cases.get(1).get("transcript").get(1);

        assertThat(fieldNames(event)).containsExactly("t_ms", "dir", "text");
        assertThat(event.get("t_ms").asLong()).isEqualTo(5);
        assertThat(event.get("dir").asText()).isEqualTo("C");
        assertThat(event.get("text").asText()).isEqualTo("EHLO client.test\\r\\n");
        assertThat(cases.get(0).get("transcript").get(0).get("dir").asText()).isEqualTo("note");
    }

    @Test
    void statusIsTheLowerCaseLabelForEveryStatus() throws IOException {
        JsonNode cases = writeAndRead(ReportFixtures.allStatuses()).get("cases");

        List<String> statuses = new ArrayList<>();
        cases.forEach(c -> statuses.add(c.get("status").asText()));
        assertThat(statuses).containsExactly("passed", "failed", "warning", "skipped", "error");
    }

    @Test
    void readingBackGivesTheSameSummary() throws IOException {
        RunSummary summary = ReportFixtures.summary(List.of(ReportFixtures.passed(), ReportFixtures.failed(),
                ReportFixtures.warning(), ReportFixtures.skipped(), ReportFixtures.error()));
        Path file = dir.resolve("summary.json");
        SummaryJson.write(summary, file);

        assertThat(SummaryJson.read(file)).isEqualTo(summary);
    }

    @Test
    void aServerWideDeviationIsListedOnceWithItsCasesAndReadsBack() throws IOException {
        RunSummary summary = ReportFixtures.summary(List.of(ReportFixtures.endlessReply("a"), ReportFixtures.passed(),
                ReportFixtures.endlessReply("b")));
        Path file = dir.resolve("summary.json");
        SummaryJson.write(summary, file);
        JsonNode root = SummaryJson.readTree(file);

        assertThat(root.get("serverWide")).hasSize(1);
        assertThat(root.get("serverWide").get(0).get("rule").asText()).isEqualTo("5321-4.2-ONE-REPLY");
        assertThat(root.get("serverWide").get(0).get("cases").toString()).isEqualTo("[\"core/a\",\"core/b\"]");
        assertThat(root.get("incidental")).isEmpty();
        assertThat(root.get("cases").get(0).get("findings").get(0).get("serverWide").asBoolean()).isTrue();
        assertThat(SummaryJson.read(file)).isEqualTo(summary);
    }

    @Test
    void fileIsPrettyPrintedUtf8() throws IOException {
        RunSummary summary = ReportFixtures.summary(List.of(new io.smtpharness.result.CaseResult("süite", "ü",
                "Grüße ✉", List.of(), List.of(), io.smtpharness.result.Status.PASSED, "", List.of(), 0,
                List.of())));
        Path file = dir.resolve("summary.json");
        SummaryJson.write(summary, file);

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains("\n  \"tool\" : \"smtp-harness\"").contains("Grüße ✉");
    }

    @Test
    void controlCharactersInMessagesStayValidJson() throws IOException {
        JsonNode hostile = writeAndRead(ReportFixtures.summary(List.of(ReportFixtures.hostile())))
                .get("cases").get(0);

        assertThat(hostile.get("message").asText()).contains("\u0000 NUL").contains(ReportFixtures.SCRIPT);
    }

    private JsonNode writeAndRead(RunSummary summary) throws IOException {
        Path file = dir.resolve("summary.json");
        SummaryJson.write(summary, file);
        return SummaryJson.readTree(file);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
