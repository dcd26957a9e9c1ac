package io.smtpharness.report;

import io.smtpharness.result.Baseline;
import io.smtpharness.result.FuzzReport;
import io.smtpharness.result.LoadReport;
import io.smtpharness.result.RunListener;
import io.smtpharness.result.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes the report directory of DESIGN.md's contract: {@code summary.json}, {@code junit.xml},
 * {@code index.html} and {@code allure-results/} ({@link AllureResults}), in that order, so the
 * machine-readable file exists even if a later one fails.
 *
 * <p>Use {@link #write} to get the error directly. As a {@link RunListener} it must not throw, so
 * {@link #runFinished} remembers the error for {@link #failure()}; the caller checks it after the
 * run and reports it (the CLI cannot tell the user where the reports are otherwise).
 */
public final class ReportWriter implements RunListener {

    private static final DateTimeFormatter DIRECTORY_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final HtmlReport html;
    private final Invocation invocation;
    private final Optional<Baseline.Check> baseline;
    private volatile ReportException failure;

    /** Writes into {@code directory}, without rule titles in the HTML matrix. */
    public ReportWriter(Path directory) {
        this(directory, rule -> Optional.empty());
    }

    /** Writes into {@code directory}; {@code ruleTitles} names rules in the HTML matrix. */
    public ReportWriter(Path directory, Function<String, Optional<String>> ruleTitles) {
        this(directory, new HtmlReport(ruleTitles), Invocation.NONE, Optional.empty());
    }

    private ReportWriter(Path directory, HtmlReport html, Invocation invocation, Optional<Baseline.Check> baseline) {
        this.directory = Objects.requireNonNull(directory, "directory == null");
        this.html = html;
        this.invocation = Objects.requireNonNull(invocation, "invocation == null");
        this.baseline = Objects.requireNonNull(baseline, "baseline == null");
    }

    /** This writer, saying in the reports (Allure's environment and executor) how the harness was started. */
    public ReportWriter invokedAs(Invocation invocation) {
        return new ReportWriter(directory, html, invocation, baseline);
    }

    /**
     * This writer, adding the run's check against a baseline: {@value BaselineReport#FILE_NAME} and
     * the new and accepted marks in {@code index.html}.
     */
    public ReportWriter against(Baseline.Check check) {
        return new ReportWriter(directory, html, invocation, Optional.of(check));
    }

    /** {@code reports/<UTC timestamp>}, e.g. {@code reports/20250314T092653Z}, relative to the working directory. */
    public static Path defaultDirectory(Instant startedAt) {
        return Path.of("reports", directoryName(startedAt));
    }

    /** The timestamp part of the default directory: {@code yyyyMMdd'T'HHmmss'Z'} in UTC. */
    public static String directoryName(Instant instant) {
        return DIRECTORY_NAME.format(instant);
    }

    /** The directory this writer fills. */
    public Path directory() {
        return directory;
    }

    /**
     * Creates the directory and checks that files can be written there, so a bad --report-dir is
     * reported before a run rather than after it.
     */
    public void prepare() throws ReportException {
        try {
            Files.createDirectories(directory);
            Files.delete(Files.createTempFile(directory, ".write-check", ".tmp"));
        } catch (IOException e) {
            throw new ReportException(directory, e);
        }
    }

    /** Creates the directory if needed and writes all report files into it. */
    public void write(RunSummary summary) throws ReportException {
        write(summary, Optional.empty());
    }

    /** Writes all report files, with the fuzz run's findings, seeds and coverage when {@code fuzz} is present. */
    public void write(RunSummary summary, Optional<FuzzReport> fuzz) throws ReportException {
        write(summary, fuzz, Optional.empty());
    }

    /** Writes all report files, with the load run's rate and stage latencies. */
    public void write(RunSummary summary, LoadReport load) throws ReportException {
        write(summary, Optional.empty(), Optional.of(load));
    }

    private void write(RunSummary summary, Optional<FuzzReport> fuzz, Optional<LoadReport> load) throws ReportException {
        Objects.requireNonNull(summary, "summary == null");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new ReportException(directory, e);
        }
        writeOne(directory.resolve(SummaryJson.FILE_NAME), file -> SummaryJson.write(summary, fuzz, load, file));
        writeOne(directory.resolve(JunitXml.FILE_NAME), file -> JunitXml.write(summary, file));
        if (baseline.isPresent()) {
            writeOne(directory.resolve(BaselineReport.FILE_NAME), file -> BaselineReport.write(baseline.get(), file));
        }
        writeOne(directory.resolve(HtmlReport.FILE_NAME), file -> html.write(summary, fuzz, load, baseline, file));
        writeOne(directory.resolve(AllureResults.DIRECTORY_NAME), dir -> {
            AllureResults.write(summary, dir);
            AllureLaunch.write(summary, invocation, dir);
        });
    }

    /** Writes one output; a failure names that output's path. */
    private static void writeOne(Path path, Output output) throws ReportException {
        try {
            output.writeTo(path);
        } catch (IOException e) {
            throw new ReportException(path, e);
        }
    }

    @FunctionalInterface
    private interface Output {
        void writeTo(Path path) throws IOException;
    }

    /** Writes the reports; an error is kept for {@link #failure()} instead of thrown. */
    @Override
    public void runFinished(RunSummary summary) {
        try {
            write(summary);
            failure = null;
        } catch (ReportException e) {
            failure = e;
        }
    }

    /** The error of the last {@link #runFinished}, if it could not write the reports. */
    public Optional<ReportException> failure() {
        return Optional.ofNullable(failure);
    }
}
