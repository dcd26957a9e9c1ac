package io.smtpharness.report;

import io.qameta.allure.AllureResultsWriteException;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Link;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.model.TestResult;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code allure-results/}, the Allure 2 result files of DESIGN.md's contract: one
 * {@code <uuid>-result.json} per case plus its transcript as {@code <uuid>-attachment.txt}, written
 * with allure-java-commons' own model and {@link FileSystemResultsWriter}.
 *
 * <p>Mapping: {@code passed} and {@code warning} become PASSED (CI must stay green on SHOULD rules;
 * a warning gets the tag {@code warning} and its findings in the status message), {@code failed}
 * FAILED, {@code error} BROKEN, {@code skipped} SKIPPED. Labels: {@code suite}, {@code feature}
 * (the RFC of the first cited rule, or {@code gray zone}), one {@code story} per cited rule, one
 * {@code tag} per case tag, {@code severity} ({@code critical} for failed, else {@code normal}) and
 * {@code framework}. Each cited RFC gets a link to rfc-editor.org (a URL in the file, nothing is
 * fetched). Each client command is a step {@code C: <text>} with the server's answer as parameter
 * {@code reply}; server lines before the first command go into a step {@code connect}.
 *
 * <p>Allure escapes what it renders, and the JSON writer escapes control characters, so the texts
 * go in verbatim: the transcript attachment is exactly one {@code t_ms dir text} line per event.
 * Result and attachment files already in the directory are deleted first, so a second run into the
 * same report directory does not mix its results with the first.
 */
public final class AllureResults {

    /** The directory name inside the report directory. */
    public static final String DIRECTORY_NAME = "allure-results";

    /** Longest step name; a longer command is cut and ends in an ellipsis. */
    static final int MAX_STEP_NAME = 200;

    private static final Pattern RFC_RULE = Pattern.compile("^(\\d{3,5})-");
    private static final String RFC_URL = "https://www.rfc-editor.org/rfc/rfc";

    private AllureResults() {
    }

    /** Writes one result (and one transcript attachment) per case into {@code directory}. */
    public static void write(RunSummary summary, Path directory) throws IOException {
        write(summary, directory, () -> UUID.randomUUID().toString());
    }

    /** As {@link #write(RunSummary, Path)}, with the result uuids from {@code uuids}. */
    static void write(RunSummary summary, Path directory, Supplier<String> uuids) throws IOException {
        Files.createDirectories(directory);
        removeOldResults(directory);
        FileSystemResultsWriter writer = new FileSystemResultsWriter(directory);
        long runStart = summary.startedAt().toEpochMilli();
        try {
            for (CaseResult c : summary.cases()) {
                // cases run at once: each at its own start, so Allure's duration and timeline are the run's
                long start = c.startedAt().map(Instant::toEpochMilli).orElse(runStart);
                TestResult result = toResult(c, uuids.get(), start, summary.tool());
                Attachment transcript = result.getAttachments().get(0);
                // attachment first: a result never points at a file that is not there
                writer.write(transcript.getSource(),
                        new ByteArrayInputStream(transcriptText(c).getBytes(StandardCharsets.UTF_8)));
                writer.write(result);
            }
        } catch (AllureResultsWriteException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /**
     * Deletes the files an earlier run left here ({@code *-result.json}, {@code *-container.json},
     * {@code *-attachment.*}); anything else, and subdirectories, stay.
     */
    private static void removeOldResults(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(AllureResults::isResultFile).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static boolean isResultFile(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && (name.endsWith("-result.json")
                || name.endsWith("-container.json") || name.contains("-attachment."));
    }

    /** The Allure result of one case that starts at {@code startMs} (epoch milliseconds). */
    static TestResult toResult(CaseResult c, String uuid, long startMs, String tool) {
        String stableId = md5(c.qualifiedId());
        TestResult result = new TestResult()
                .setUuid(uuid)
                .setHistoryId(stableId)
                .setTestCaseId(stableId)
                .setName(c.title())
                .setFullName(c.qualifiedId())
                .setStatus(status(c.status()))
                .setStage(Stage.FINISHED)
                .setStart(startMs)
                .setStop(startMs + c.durationMs())
                .setLabels(labels(c, tool))
                .setLinks(links(c))
                .setSteps(steps(c, startMs));
        statusDetails(c).ifPresent(result::setStatusDetails);
        result.setAttachments(new ArrayList<>(List.of(new Attachment()
                .setName("transcript")
                .setType("text/plain")
                .setSource(uuid + "-attachment.txt"))));
        return result;
    }

    /** The transcript as text: one {@code t_ms dir text} line per event, texts verbatim. */
    static String transcriptText(CaseResult c) {
        StringBuilder out = new StringBuilder();
        for (TranscriptEvent e : c.transcript()) {
            out.append(e.tMs()).append(' ').append(SummaryJson.dirLabel(e.direction())).append(' ')
                    .append(e.text()).append('\n');
        }
        return out.toString();
    }

    static io.qameta.allure.model.Status status(Status status) {
        switch (status) {
            case FAILED: return io.qameta.allure.model.Status.FAILED;
            case ERROR: return io.qameta.allure.model.Status.BROKEN;
            case SKIPPED: return io.qameta.allure.model.Status.SKIPPED;
            default: return io.qameta.allure.model.Status.PASSED; // passed and warning
        }
    }

    /** {@code RFC 5321} for {@code 5321-...}, {@code gray zone} for {@code G-...}, else nothing. */
    static Optional<String> feature(String ruleId) {
        Matcher rfc = RFC_RULE.matcher(ruleId);
        if (rfc.find()) {
            return Optional.of("RFC " + rfc.group(1));
        }
        return ruleId.startsWith("G-") ? Optional.of("gray zone") : Optional.empty();
    }

    private static List<Label> labels(CaseResult c, String tool) {
        List<Label> labels = new ArrayList<>();
        labels.add(label("suite", c.suite()));
        if (!c.rules().isEmpty()) {
            feature(c.rules().get(0)).ifPresent(f -> labels.add(label("feature", f)));
        }
        c.rules().forEach(rule -> labels.add(label("story", rule)));
        c.tags().forEach(tag -> labels.add(label("tag", tag)));
        if (c.status() == Status.WARNING) {
            labels.add(label("tag", "warning"));
        }
        labels.add(label("severity", c.status() == Status.FAILED ? "critical" : "normal"));
        labels.add(label("framework", tool));
        return labels;
    }

    private static Label label(String name, String value) {
        return new Label().setName(name).setValue(value);
    }

    /** One link per RFC cited by a rule or a finding, in first-seen order. */
    private static List<Link> links(CaseResult c) {
        Set<String> rfcs = new LinkedHashSet<>();
        List<String> ruleIds = new ArrayList<>(c.rules());
        c.findings().forEach(f -> ruleIds.add(f.ruleId()));
        for (String rule : ruleIds) {
            Matcher rfc = RFC_RULE.matcher(rule);
            if (rfc.find()) {
                rfcs.add(rfc.group(1));
            }
        }
        return rfcs.stream()
                .map(n -> new Link().setName("RFC " + n).setUrl(RFC_URL + n).setType("link"))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static Optional<StatusDetails> statusDetails(CaseResult c) {
        Set<String> message = new LinkedHashSet<>();
        if (!c.message().isEmpty()) {
            message.add(c.message());
        }
        if (c.status() == Status.WARNING) {
            c.findings().stream().filter(f -> f.severity() == Severity.WARNING)
                    .forEach(f -> message.add(f.toString()));
        }
        String trace = c.findings().stream().map(AllureResults::findingLine).collect(Collectors.joining("\n"));
        if (message.isEmpty() && trace.isEmpty()) {
            return Optional.empty();
        }
        StatusDetails details = new StatusDetails();
        if (!message.isEmpty()) {
            details.setMessage(String.join("\n", message));
        }
        if (!trace.isEmpty()) {
            details.setTrace(trace);
        }
        return Optional.of(details);
    }

    private static String findingLine(Finding f) {
        return f.severity().name().toLowerCase(Locale.ROOT) + " " + f;
    }

    /**
     * One step per client command with the server lines up to the next command as parameter
     * {@code reply}; server lines before the first command make a step {@code connect}. Notes are
     * left to the attachment. Steps carry no status: the case does not say which exchange broke a
     * rule, and a green step in a red case would mislead.
     */
    private static List<StepResult> steps(CaseResult c, long caseStartMs) {
        List<StepResult> steps = new ArrayList<>();
        StepResult current = null;
        List<String> replies = new ArrayList<>();
        for (TranscriptEvent e : c.transcript()) {
            if (e.direction() == Direction.C) {
                finish(current, replies);
                current = step(stepName("C: " + e.text()), caseStartMs + e.tMs());
                steps.add(current);
            } else if (e.direction() == Direction.S) {
                if (current == null) {
                    current = step("connect", caseStartMs + e.tMs());
                    steps.add(current);
                }
                replies.add(e.text());
                current.setStop(caseStartMs + e.tMs());
            }
        }
        finish(current, replies);
        return steps;
    }

    private static StepResult step(String name, long startMs) {
        return new StepResult().setName(name).setStage(Stage.FINISHED).setStart(startMs).setStop(startMs);
    }

    private static void finish(StepResult step, List<String> replies) {
        if (step != null && !replies.isEmpty()) {
            step.setParameters(new ArrayList<>(List.of(
                    new Parameter().setName("reply").setValue(String.join(" ", replies)))));
        }
        replies.clear();
    }

    static String stepName(String name) {
        return name.length() <= MAX_STEP_NAME ? name : name.substring(0, MAX_STEP_NAME - 1) + "…";
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
