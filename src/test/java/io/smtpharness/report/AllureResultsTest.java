package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllureResultsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** Every result file of {@code directory}, keyed by fullName (suite/id). */
    private static Map<String, JsonNode> results(Path directory) throws IOException {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                JsonNode node = MAPPER.readTree(file.toFile());
                byName.put(node.path("fullName").asText(), node);
            }
        }
        return byName;
    }

    private static List<String> labels(JsonNode result, String name) {
        List<String> values = new ArrayList<>();
        result.path("labels").forEach(l -> {
            if (name.equals(l.path("name").asText())) {
                values.add(l.path("value").asText());
            }
        });
        return values;
    }

    private Map<String, JsonNode> writeAllStatuses() throws IOException {
        AllureResults.write(ReportFixtures.allStatuses(), dir);
        return results(dir);
    }

    @Test
    void writesOneResultPerCaseNamedByTitleAndQualifiedId() throws IOException {
        Map<String, JsonNode> results = writeAllStatuses();

        assertThat(results).containsOnlyKeys("core/greeting", "core/rcpt-before-mail", "ext/size-declared",
                "ext/pipelining", "core/quit");
        assertThat(results.get("core/greeting").path("name").asText()).isEqualTo("Server greets with 220");
        assertThat(results.values()).extracting(r -> r.path("uuid").asText()).doesNotHaveDuplicates();
    }

    @Test
    void mapsEveryStatusToItsAllureStatus() throws IOException {
        Map<String, JsonNode> results = writeAllStatuses();

        assertThat(results.get("core/greeting").path("status").asText()).isEqualTo("passed");
        assertThat(results.get("core/rcpt-before-mail").path("status").asText()).isEqualTo("failed");
        assertThat(results.get("ext/size-declared").path("status").asText()).isEqualTo("passed");
        assertThat(results.get("ext/pipelining").path("status").asText()).isEqualTo("skipped");
        assertThat(results.get("core/quit").path("status").asText()).isEqualTo("broken");
    }

    @Test
    void labelsNameSuiteRulesFeatureSeverityAndFramework() throws IOException {
        JsonNode failed = writeAllStatuses().get("core/rcpt-before-mail");

        assertThat(labels(failed, "suite")).containsExactly("core");
        assertThat(labels(failed, "story")).containsExactly("5321-4.1.4-ORDER");
        assertThat(labels(failed, "feature")).containsExactly("RFC 5321");
        assertThat(labels(failed, "tag")).containsExactly("sequence");
        assertThat(labels(failed, "severity")).containsExactly("critical");
        assertThat(labels(failed, "framework")).containsExactly("smtp-harness");
    }

    @Test
    void warningPassesWithAWarningTagAndItsFindingsInTheMessage() throws IOException {
        JsonNode warning = writeAllStatuses().get("ext/size-declared");

        assertThat(labels(warning, "tag")).containsExactly("warning");
        assertThat(labels(warning, "severity")).containsExactly("normal");
        assertThat(warning.path("statusDetails").path("message").asText())
                .contains("SIZE advertised without a number");
        assertThat(warning.path("statusDetails").path("trace").asText())
                .isEqualTo("warning 1870-SIZE: SIZE advertised without a number");
    }

    @Test
    void statusDetailsCarryTheMessageAndEveryFindingOnItsOwnLine() throws IOException {
        JsonNode failed = writeAllStatuses().get("core/rcpt-before-mail");

        assertThat(failed.path("statusDetails").path("message").asText())
                .isEqualTo("RCPT before MAIL got 250, expected 503");
        assertThat(failed.path("statusDetails").path("trace").asText().split("\n")).containsExactly(
                "failed 5321-4.1.4-ORDER: RCPT before MAIL got 250, expected 503",
                "note 5321-3.1-VERSION-IN-BANNER: banner names the version");
    }

    @Test
    void historyIdIsStableAcrossRunsWhileTheUuidIsNot() throws IOException {
        AllureResults.write(ReportFixtures.allStatuses(), dir.resolve("a"));
        AllureResults.write(ReportFixtures.allStatuses(), dir.resolve("b"));
        JsonNode first = results(dir.resolve("a")).get("core/quit");
        JsonNode second = results(dir.resolve("b")).get("core/quit");

        assertThat(first.path("historyId").asText()).isNotEmpty().isEqualTo(second.path("historyId").asText());
        assertThat(first.path("testCaseId").asText()).isEqualTo(second.path("testCaseId").asText());
        assertThat(first.path("uuid").asText()).isNotEqualTo(second.path("uuid").asText());
    }

    @Test
    void linksEachCitedRfcToTheRfcEditor() throws IOException {
        JsonNode failed = writeAllStatuses().get("core/rcpt-before-mail");

        assertThat(failed.path("links")).hasSize(1);
        assertThat(failed.path("links").get(0).path("name").asText()).isEqualTo("RFC 5321");
        assertThat(failed.path("links").get(0).path("url").asText())
                .isEqualTo("https://www.rfc-editor.org/rfc/rfc5321");
    }

    @Test
    void featureIsTheRfcOfTheFirstRuleOrGrayZone() {
        assertThat(AllureResults.feature("5321-3.3-X")).contains("RFC 5321");
        assertThat(AllureResults.feature("1870-SIZE")).contains("RFC 1870");
        assertThat(AllureResults.feature("G-07")).contains("gray zone");
        assertThat(AllureResults.feature("custom")).isEmpty();
    }

    @Test
    void eachClientCommandIsAStepWithTheServerReplyAsParameter() throws IOException {
        JsonNode steps = writeAllStatuses().get("core/rcpt-before-mail").path("steps");

        assertThat(steps).extracting(s -> s.path("name").asText())
                .containsExactly("connect", "C: EHLO client.test\\r\\n", "C: RCPT TO:<a@b.test>\\r\\n");
        assertThat(steps.get(0).path("parameters").get(0).path("value").asText())
                .isEqualTo("220 mx.example ESMTP\\r\\n");
        assertThat(steps.get(2).path("parameters").get(0).path("name").asText()).isEqualTo("reply");
        assertThat(steps.get(2).path("parameters").get(0).path("value").asText()).isEqualTo("250 OK\\r\\n");
    }

    @Test
    void longCommandsAreCutToTwoHundredCharactersInTheStepName() {
        String name = AllureResults.stepName("C: " + "A".repeat(500));

        assertThat(name).hasSize(AllureResults.MAX_STEP_NAME).startsWith("C: AAA").endsWith("…");
        assertThat(AllureResults.stepName("C: QUIT\\r\\n")).isEqualTo("C: QUIT\\r\\n");
    }

    /** Cases run at once: one without a start time of its own (AllureLaunchTest has those) starts with the run. */
    @Test
    void casesWithoutAStartTimeStartWithTheRun() throws IOException {
        Map<String, JsonNode> results = writeAllStatuses();
        long started = ReportFixtures.STARTED.toEpochMilli();
        JsonNode greeting = results.get("core/greeting");
        JsonNode failed = results.get("core/rcpt-before-mail");

        assertThat(greeting.path("start").asLong()).isEqualTo(started);
        assertThat(greeting.path("stop").asLong()).isEqualTo(started + 12);
        assertThat(failed.path("start").asLong()).isEqualTo(started);
        assertThat(failed.path("stop").asLong()).isEqualTo(started + 1530);
    }

    @Test
    void transcriptIsAttachedAsTextOneLinePerEvent() throws IOException {
        JsonNode failed = writeAllStatuses().get("core/rcpt-before-mail");
        JsonNode attachment = failed.path("attachments").get(0);

        assertThat(attachment.path("type").asText()).isEqualTo("text/plain");
        assertThat(attachment.path("source").asText()).isEqualTo(failed.path("uuid").asText() + "-attachment.txt");
        Path file = dir.resolve(attachment.path("source").asText());
        assertThat(file).isRegularFile();
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly(
                "2 S 220 mx.example ESMTP\\r\\n",
                "5 C EHLO client.test\\r\\n",
                "7 S 250 mx.example\\r\\n",
                "9 C RCPT TO:<a@b.test>\\r\\n",
                "11 S 250 OK\\r\\n");
    }

    @Test
    void everyResultPointsAtAnAttachmentThatExists() throws IOException {
        for (JsonNode result : writeAllStatuses().values()) {
            assertThat(dir.resolve(result.path("attachments").get(0).path("source").asText())).isRegularFile();
        }
    }

    @Test
    void hostileTranscriptTextIsKeptVerbatimInTheAttachment() throws IOException {
        CaseResult hostile = ReportFixtures.hostile();
        AllureResults.write(ReportFixtures.summary(List.of(hostile)), dir);
        JsonNode result = results(dir).get("evil/markup");

        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("name").asText()).isEqualTo(hostile.title());
        String text = Files.readString(dir.resolve(result.path("attachments").get(0).path("source").asText()));
        assertThat(text).isEqualTo("1 S 220 " + ReportFixtures.SCRIPT + "\\x00\\n\n"
                + "2 note saw \u0001 " + ReportFixtures.SCRIPT + "\n");
        assertThat(result.path("statusDetails").path("message").asText())
                .contains("\u0000 NUL").contains(ReportFixtures.SCRIPT);
    }

    @Test
    void secondWriteIntoTheSameDirectoryReplacesTheFirst() throws IOException {
        AllureResults.write(ReportFixtures.allStatuses(), dir);
        AllureResults.write(ReportFixtures.summary(List.of(ReportFixtures.passed())), dir);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).hasSize(2)
                    .anyMatch(n -> n.endsWith("-result.json")).anyMatch(n -> n.endsWith("-attachment.txt"));
        }
    }

    @Test
    void emptyRunLeavesAnEmptyDirectoryEvenAfterAnEarlierRun() throws IOException {
        AllureResults.write(ReportFixtures.allStatuses(), dir.resolve("results"));
        AllureResults.write(ReportFixtures.summary(List.of()), dir.resolve("results"));

        assertThat(dir.resolve("results")).isEmptyDirectory();
    }

    @Test
    void filesThatAreNotAllureResultsSurviveARewrite() throws IOException {
        Path mine = Files.writeString(dir.resolve("executor.json"), "{}");

        AllureResults.write(ReportFixtures.allStatuses(), dir);

        assertThat(mine).hasContent("{}");
    }

    @Test
    void unwritableDirectoryFailsWithAnIOException() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");

        assertThatThrownBy(() -> AllureResults.write(ReportFixtures.allStatuses(), blocker.resolve("allure")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void statusMappingCoversEveryStatus() {
        for (Status s : Status.values()) {
            assertThat(AllureResults.status(s)).isNotNull();
        }
    }
}
