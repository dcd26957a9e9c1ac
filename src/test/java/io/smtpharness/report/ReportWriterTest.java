package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryReportIntoANewDirectory() throws IOException {
        Path reports = dir.resolve("reports/20250314T092653Z");
        new ReportWriter(reports).write(ReportFixtures.allStatuses());

        assertThat(reports.resolve("summary.json")).isNotEmptyFile();
        assertThat(reports.resolve("junit.xml")).isNotEmptyFile();
        assertThat(reports.resolve("index.html")).isNotEmptyFile();
        try (Stream<Path> allure = Files.list(reports.resolve("allure-results"))) {
            assertThat(allure.filter(f -> f.toString().endsWith("-result.json"))).hasSize(5);
        }
        assertThat(SummaryJson.read(reports.resolve("summary.json"))).isEqualTo(ReportFixtures.allStatuses());
    }

    @Test
    void writesSummaryJsonFirstThenJunitXmlThenHtmlThenAllureResults() throws IOException {
        Path reports = dir.resolve("out");
        new ReportWriter(reports).write(ReportFixtures.allStatuses());

        FileTime json = Files.getLastModifiedTime(reports.resolve("summary.json"));
        FileTime xml = Files.getLastModifiedTime(reports.resolve("junit.xml"));
        FileTime html = Files.getLastModifiedTime(reports.resolve("index.html"));
        assertThat(json).isLessThanOrEqualTo(xml);
        assertThat(xml).isLessThanOrEqualTo(html);
        assertThat(html).isLessThanOrEqualTo(Files.getLastModifiedTime(reports.resolve("allure-results")));
    }

    @Test
    void allureResultsThatCannotBeWrittenAreNamed() throws IOException {
        // a file in the place of allure-results: the three files before it are still written
        Files.writeString(dir.resolve("allure-results"), "x");

        assertThatThrownBy(() -> new ReportWriter(dir).write(ReportFixtures.allStatuses()))
                .isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).path()).isEqualTo(dir.resolve("allure-results")));
        assertThat(dir.resolve("index.html")).isNotEmptyFile();
    }

    @Test
    void passesRuleTitlesToTheHtml() throws IOException {
        new ReportWriter(dir, rule -> Optional.of("title of " + rule)).write(ReportFixtures.allStatuses());

        assertThat(Files.readString(dir.resolve("index.html"))).contains("title of 5321-4.1.4-ORDER");
    }

    @Test
    void unwritableDirectoryFailsWithAnErrorNamingThePath() throws IOException {
        // a regular file where the directory should be: fails for root too, unlike permission bits
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        Path reports = blocker.resolve("reports");

        assertThatThrownBy(() -> new ReportWriter(reports).write(ReportFixtures.allStatuses()))
                .isInstanceOf(ReportException.class)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(reports.toString())
                .satisfies(e -> assertThat(((ReportException) e).path()).isEqualTo(reports));
    }

    @Test
    void fileThatCannotBeWrittenIsNamed() throws IOException {
        // a directory in the place of summary.json makes exactly that file unwritable
        Files.createDirectories(dir.resolve("summary.json"));

        assertThatThrownBy(() -> new ReportWriter(dir).write(ReportFixtures.allStatuses()))
                .isInstanceOf(ReportException.class)
                .satisfies(e -> assertThat(((ReportException) e).path()).isEqualTo(dir.resolve("summary.json")));
    }

    @Test
    void listenerRemembersTheFailureInsteadOfThrowing() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        ReportWriter writer = new ReportWriter(blocker.resolve("reports"));

        writer.runFinished(ReportFixtures.allStatuses());

        assertThat(writer.failure()).isPresent();
        assertThat(writer.failure().get().path()).isEqualTo(blocker.resolve("reports"));
    }

    @Test
    void listenerWritesTheReportsWhenTheRunFinishes() {
        ReportWriter writer = new ReportWriter(dir.resolve("run"));

        writer.runFinished(ReportFixtures.allStatuses());

        assertThat(writer.failure()).isEmpty();
        assertThat(dir.resolve("run/index.html")).isNotEmptyFile();
    }

    @Test
    void defaultDirectoryIsReportsSlashUtcTimestamp() {
        Instant startedAt = Instant.parse("2025-03-14T09:26:53.987Z");

        assertThat(ReportWriter.directoryName(startedAt)).isEqualTo("20250314T092653Z");
        assertThat(ReportWriter.defaultDirectory(startedAt)).isEqualTo(Path.of("reports", "20250314T092653Z"));
    }
}
