package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** environment.properties, executor.json and categories.json, and the result times Allure draws the run from. */
class AllureLaunchTest {

    @TempDir
    Path tmp;

    @Test
    void theEnvironmentNamesTargetGreetingHarnessAndCommandAndSurvivesAHostileGreeting() throws Exception {
        RunSummary run = ReportFixtures.summary(List.of(ReportFixtures.error(), ReportFixtures.failed()));
        Map<String, String> env = AllureLaunch.environment(run, new Invocation("run --tags tls", Map.of()));
        assertThat(env).containsKeys("Target", "Greeting", "Harness", "Command", "Java")
                .containsEntry("Greeting", "220 mx.example ESMTP") // the first case met no greeting: it sent first
                .containsEntry("Command", "smtp-harness run --tags tls");

        RunSummary hostile = ReportFixtures.summary(List.of(ReportFixtures.hostile()));
        AllureLaunch.write(hostile, Invocation.NONE, tmp);
        String text = Files.readString(tmp.resolve(AllureLaunch.ENVIRONMENT));
        assertThat(text.lines()).allMatch(l -> l.matches("[A-Za-z]+=\\p{Print}*")).noneMatch(l -> l.startsWith("Command="));
        Properties read = new Properties();
        read.load(new StringReader(text)); // as Allure reads it
        assertThat(read.getProperty("Greeting")).isEqualTo("220 " + ReportFixtures.SCRIPT + "\\x00\\n");
    }

    @Test
    void theExecutorIsTheCiBuildOrNothing() throws Exception {
        assertThat(AllureLaunch.executor(Map.of())).isEmpty();
        JsonNode gitlab = AllureLaunch.executor(Map.of("GITLAB_CI", "true", "CI_PROJECT_URL", "https://gl.example/acme/mta",
                "CI_PIPELINE_IID", "17", "CI_JOB_NAME", "smtp 2/4", "CI_JOB_URL", "https://gl.example/acme/mta/-/jobs/5")).get();
        assertThat(gitlab.get("type").asText()).isEqualTo("gitlab");
        assertThat(gitlab.get("buildOrder").asLong()).isEqualTo(17);
        assertThat(gitlab.get("buildName").asText()).isEqualTo("pipeline #17, job smtp 2/4");
        assertThat(gitlab.get("buildUrl").asText()).isEqualTo("https://gl.example/acme/mta/-/jobs/5");
        JsonNode jenkins = AllureLaunch.executor(Map.of("JENKINS_URL", "https://ci.example/", "BUILD_NUMBER", "x1")).get();
        assertThat(jenkins.get("type").asText()).isEqualTo("jenkins");
        assertThat(jenkins.has("buildOrder")).as("not a number").isFalse();

        AllureLaunch.write(ReportFixtures.allStatuses(), new Invocation("", Map.of("GITHUB_ACTIONS", "true",
                "GITHUB_REPOSITORY", "acme/mta", "GITHUB_RUN_NUMBER", "3", "GITHUB_RUN_ID", "77")), tmp);
        JsonNode github = new ObjectMapper().readTree(tmp.resolve(AllureLaunch.EXECUTOR).toFile());
        assertThat(github.get("buildUrl").asText()).isEqualTo("https://github.com/acme/mta/actions/runs/77");
        AllureLaunch.write(ReportFixtures.allStatuses(), Invocation.NONE, tmp);
        assertThat(tmp.resolve(AllureLaunch.EXECUTOR)).as("a later run outside CI").doesNotExist();
    }

    /** Each category's test as Allure applies it (status, then the whole trace with DOTALL). */
    @Test
    void theCategoriesSeparateMustShouldGrayZoneAndHarnessErrors() {
        JsonNode categories = AllureLaunch.categories();
        assertThat(categoryOf(categories, ReportFixtures.failed())).containsExactly("MUST violations");
        assertThat(categoryOf(categories, ReportFixtures.warning())).containsExactly("SHOULD violations");
        CaseResult gray = new CaseResult("g", "bare-lf", "t", List.of("G-01"), List.of(), Status.WARNING, "lf",
                List.of(new Finding("G-01", Severity.WARNING, "accepted a bare LF")), 1, List.of());
        assertThat(categoryOf(categories, gray)).containsExactly("Gray zones");
        assertThat(categoryOf(categories, ReportFixtures.error())).containsExactly("Harness errors");
        assertThat(categoryOf(categories, ReportFixtures.passed())).isEmpty();
    }

    private static List<String> categoryOf(JsonNode categories, CaseResult c) {
        io.qameta.allure.model.TestResult result = AllureResults.toResult(c, "u", 0, "smtp-harness");
        String status = result.getStatus().value();
        String trace = result.getStatusDetails() == null ? null : result.getStatusDetails().getTrace();
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode category : categories) {
            boolean statusMatches = category.get("matchedStatuses").toString().contains("\"" + status + "\"");
            boolean traceMatches = !category.has("traceRegex") || trace != null
                    && Pattern.compile(category.get("traceRegex").asText(), Pattern.DOTALL).matcher(trace).matches();
            if (statusMatches && traceMatches) {
                names.add(category.get("name").asText());
            }
        }
        return names;
    }

    @Test
    void resultsStartWhenTheirCaseStartedAndTheTimeSurvivesSummaryJson() throws Exception {
        Instant at = ReportFixtures.STARTED.plusMillis(700);
        CaseResult c = ReportFixtures.passed();
        CaseResult timed = new CaseResult(c.suite(), c.id(), c.title(), c.rules(), c.tags(), c.status(), c.message(),
                c.findings(), c.durationMs(), c.transcript(), Optional.of(at));
        RunSummary run = ReportFixtures.summary(List.of(timed, ReportFixtures.failed()));
        AllureResults.write(run, tmp.resolve("allure"));
        List<JsonNode> results = new java.util.ArrayList<>();
        try (var files = Files.list(tmp.resolve("allure"))) {
            for (Path f : files.filter(f -> f.toString().endsWith("-result.json")).toList()) {
                results.add(new ObjectMapper().readTree(f.toFile()));
            }
        }
        assertThat(results).anySatisfy(r -> {
            assertThat(r.get("fullName").asText()).isEqualTo("core/greeting");
            assertThat(r.get("start").asLong()).isEqualTo(at.toEpochMilli());
        }).anySatisfy(r -> {
            assertThat(r.get("fullName").asText()).as("no start time: the run's").isEqualTo("core/rcpt-before-mail");
            assertThat(r.get("start").asLong()).isEqualTo(run.startedAt().toEpochMilli());
        });
        SummaryJson.write(run, Optional.empty(), Optional.empty(), tmp.resolve("summary.json"));
        RunSummary back = SummaryJson.read(tmp.resolve("summary.json"));
        assertThat(back.cases().get(0).startedAt()).contains(at);
        assertThat(back.cases().get(1).startedAt()).isEmpty();
    }
}
